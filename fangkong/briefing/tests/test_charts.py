"""Charts: PNG bytes drawn with the Noto Sans CJK face so Chinese labels render."""

from __future__ import annotations

from matplotlib import font_manager

from fangkong.briefing import charts
from fangkong.briefing.tests.conftest import make_summary
from fangkong.reporting.summary import DaySummary

PNG = b"\x89PNG\r\n\x1a\n"


def test_it_registers_the_simplified_chinese_noto_face() -> None:
    family = charts.ensure_cjk_font()
    path = font_manager.findfont(font_manager.FontProperties(family=family), fallback_to_default=False)
    assert "NotoSansCJK" in path


def test_the_township_chart_is_a_png(summary: DaySummary) -> None:
    assert charts.township_chart(summary).startswith(PNG)


def test_the_timeliness_chart_is_a_png(summary: DaySummary) -> None:
    assert charts.timeliness_chart(summary).startswith(PNG)


def test_it_draws_at_most_four_indicators_and_skips_those_that_are_zero_everywhere() -> None:
    indicators = [(f"i{n}", f"指标{n}") for n in range(6)]
    summary = make_summary(
        indicators=indicators, totals={"i0": 0, "i1": 3, "i2": 1, "i3": 5, "i4": 2, "i5": 9}
    )
    assert [code for code, _name in charts.chart_indicators(summary)] == ["i1", "i2", "i3", "i4"]


def test_empty_days_still_get_a_picture() -> None:
    empty = make_summary(per_township=[], timeliness={"expected": 0})
    assert charts.township_chart(empty).startswith(PNG)
    assert charts.timeliness_chart(empty).startswith(PNG)
