"""The PDF briefing: a real PDF, laid out by WeasyPrint with the Noto CJK fonts embedded."""

from __future__ import annotations

import weasyprint

from fangkong.briefing.render import build_pdf, make_charts, render_html
from fangkong.briefing.tests.conftest import pdf_characters, pdf_streams
from fangkong.reporting.summary import DaySummary


def test_it_is_a_pdf_with_the_noto_cjk_fonts_embedded(summary: DaySummary) -> None:
    pdf = build_pdf(summary, 12, "一、继续排查返乡人员。")
    assert pdf.startswith(b"%PDF")
    everything = pdf + b"".join(pdf_streams(pdf))
    assert b"Noto-Serif-CJK-SC" in everything or b"NotoSerifCJK" in everything
    assert b"Noto-Sans-CJK-SC" in everything or b"NotoSansCJK" in everything


def test_its_fonts_carry_the_chinese_glyphs_of_the_text(summary: DaySummary) -> None:
    chars = pdf_characters(build_pdf(summary, 12, "一、继续排查返乡人员。"))
    for word in ["疫情防控工作日报", "王助镇", "新习镇", "核酸检测", "迟报", "未报", "继续排查"]:
        assert set(word) <= chars, word


def test_the_html_it_lays_out_holds_every_section(summary: DaySummary) -> None:
    html = render_html(summary, 12, "一、继续排查返乡人员。", images=make_charts(summary))
    for expected in [
        "（2021年第12期）",
        "2021年8月5日",
        "一、总体情况",
        "二、各乡镇（街道）情况",
        "三、报送及时情况",
        "四、专题报送（紧急信息）",
        "五、下一步工作",
        "<td>王助镇</td>",
        '<td class="num">1032</td>',
        "按时报送率80.0%",
        "王助村发现一名发热病人",
        "一、继续排查返乡人员。",
        "data:image/png;base64,",
    ]:
        assert expected in html, expected
    document = weasyprint.HTML(string=html).render()
    assert 1 <= len(document.pages) <= 4
