"""The DOCX briefing: Chinese headings, figures, tables, charts and East Asian fonts."""

from __future__ import annotations

import io

import docx
from docx.oxml.ns import qn

from fangkong.briefing.render import BODY_FONT, build_docx
from fangkong.briefing.tests.conftest import make_summary
from fangkong.reporting.summary import DaySummary


def _open(data: bytes) -> docx.document.Document:
    return docx.Document(io.BytesIO(data))


def _text(document: docx.document.Document) -> str:
    return "\n".join(p.text for p in document.paragraphs)


def test_it_has_the_masthead_issue_number_and_date(summary: DaySummary) -> None:
    text = _text(_open(build_docx(summary, 12, "")))
    assert "疫情防控工作日报" in text
    assert "（2021年第12期）" in text
    assert "2021年8月5日" in text
    assert "区疫情防控指挥部办公室" in text


def test_it_states_the_overall_figures_and_timeliness(summary: DaySummary) -> None:
    text = _text(_open(build_docx(summary, 1, "")))
    assert "应报10个，已报9个" in text
    assert "已报9个（按时报送6个，零报告2个，迟报1个），未报1个（待报0个，逾期未报0个，缺报1个）" in text
    assert "按时报送率80.0%" in text
    assert "目前尚有2件迟报、漏报问责事项未办结" in text


def test_it_tabulates_totals_townships_late_units_and_urgent_reports(summary: DaySummary) -> None:
    tables = [
        [[c.text for c in row.cells] for row in t.rows] for t in _open(build_docx(summary, 1, "")).tables
    ]
    totals, townships, late, urgent = tables
    assert totals[0] == ["指标", "全区合计"]
    assert ["核酸检测人数", "1532"] in totals
    assert townships[0] == ["乡镇（街道）", "返乡人员", "居家观察", "核酸检测人数"]
    assert townships[1] == ["王助镇", "12", "5", "1032"]
    assert townships[-1] == ["合计", "17", "9", "1532"]
    # Missing units come first: they are the ones still to chase.
    assert late[1] == ["王助村", "未报", "未报送"]
    assert late[2] == ["新习村", "迟报", "8月5日 13:05"]
    assert urgent[1][1:4] == ["王助镇", "发现发热病人", "王助村发现一名发热病人，已送定点医院。"]
    assert urgent[1][4] == "8月5日 09:45"


def test_it_embeds_both_charts(summary: DaySummary) -> None:
    document = _open(build_docx(summary, 1, ""))
    assert len(document.inline_shapes) == 2
    assert "图1  各乡镇（街道）主要数据" in _text(document)


def test_it_writes_the_next_steps_one_paragraph_per_line(summary: DaySummary) -> None:
    text = _text(_open(build_docx(summary, 1, "一、继续排查返乡人员。\n\n二、加快疫苗接种。")))
    assert "五、下一步工作\n一、继续排查返乡人员。\n二、加快疫苗接种。" in text


def test_it_says_so_when_the_office_has_not_typed_next_steps(summary: DaySummary) -> None:
    assert "（指挥部办公室尚未填写。）" in _text(_open(build_docx(summary, 1, "")))


def test_every_run_names_an_east_asian_font(summary: DaySummary) -> None:
    document = _open(build_docx(summary, 1, "一、继续排查。"))
    runs = [r for p in document.paragraphs for r in p.runs if r.text]
    runs += [
        r for t in document.tables for row in t.rows for c in row.cells for p in c.paragraphs for r in p.runs
    ]
    assert runs
    for run in runs:
        rpr = run._element.rPr
        assert rpr is not None and rpr.rFonts is not None, run.text
        assert rpr.rFonts.get(qn("w:eastAsia")), run.text
    normal = document.styles["Normal"].element.rPr
    assert normal is not None and normal.rFonts is not None
    assert normal.rFonts.get(qn("w:eastAsia")) == BODY_FONT


def test_a_day_without_any_figures_still_makes_a_document() -> None:
    empty = make_summary(
        indicators=[],
        totals={},
        per_township=[],
        late_or_missing=[],
        urgent=[],
        timeliness={"expected": 0},
        accountability_open=0,
    )
    text = _text(_open(build_docx(empty, 3, "")))
    assert "当日无统计指标数据。" in text
    assert "当日无专题报送。" in text
    assert "无迟报、未报单位。" in text
    assert "问责" not in text
