"""Rendering a `DaySummary` into the briefing document: DOCX (python-docx) and PDF (HTML → WeasyPrint).

Both renderers are pure: a summary, an issue number and the office's next steps in, bytes out. They are
given the same chart PNGs so one generation draws each chart once.

Chinese text needs an East Asian font named explicitly in Word: `w:eastAsia` on every run's `rFonts`
(python-docx's `font.name` only sets the Latin slots). The PDF uses the Noto CJK fonts through
fontconfig; WeasyPrint embeds the subset it used.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation
from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import Table
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from fangkong.briefing import wording as w
from fangkong.reporting.summary import DaySummary, UnitStatus, UrgentItem

# Fonts of a Chinese official document (GB/T 9704): title in a Song face, headings in Hei, body in
# FangSong. These names are what Word on the office PCs knows; Latin text uses Times New Roman.
TITLE_FONT = "宋体"
HEADING_FONT = "黑体"
BODY_FONT = "仿宋"
LATIN_FONT = "Times New Roman"
RED = RGBColor(0xC0, 0x00, 0x00)
BODY_PT = 14
TABLE_PT = 10.5
# With more indicator columns than this, the per-township table uses a smaller type size.
PORTRAIT_MAX_COLUMNS = 7


@dataclass(frozen=True)
class ChartImages:
    """The two chart PNGs of one briefing."""

    townships: bytes
    timeliness: bytes


def make_charts(summary: DaySummary) -> ChartImages:
    # matplotlib and WeasyPrint load in about a second; importing them here keeps that cost out of the
    # start-up of every web and job process for a document made once a day.
    from fangkong.briefing import charts

    return ChartImages(charts.township_chart(summary), charts.timeliness_chart(summary))


def _late_rows(summary: DaySummary) -> list[tuple[str, str, str]]:
    return [
        (u.region_name, u.status_label, w.clock(u.submitted_at)) for u in late_units(summary.late_or_missing)
    ]


def late_units(items: list[UnitStatus]) -> list[UnitStatus]:
    # Missing units first: they are the ones the office still has to chase.
    order = {"missing": 0, "overdue": 1, "pending": 2, "late": 3}
    return sorted(items, key=lambda u: (order.get(u.status, 3), u.region_code))


def _urgent_rows(items: list[UrgentItem]) -> list[tuple[str, str, str, str, str]]:
    return [
        (
            w.clock(u.sent_at),
            u.unit_name,
            u.kind_label,
            u.text,
            w.clock(u.acknowledged_at) if u.acknowledged_at else w.NOT_ACKNOWLEDGED,
        )
        for u in sorted(items, key=lambda u: u.sent_at)
    ]


def township_rows(summary: DaySummary) -> list[list[str]]:
    codes = [code for code, _name in summary.indicators]
    rows = [[name, *(str(values.get(code, 0)) for code in codes)] for name, values in summary.per_township]
    rows.append([w.ROW_TOTAL, *(str(summary.totals.get(code, 0)) for code in codes)])
    return rows


def _texts(summary: DaySummary, issue_no: int) -> dict[str, str]:
    t = summary.timeliness
    return {
        "title": w.TITLE,
        "issue": w.ISSUE.format(issue_no=issue_no),
        "year_issue": w.YEAR_ISSUE.format(year=summary.day.year, issue_no=issue_no),
        "issuer": w.ISSUER,
        "date": w.chinese_date(summary.day),
        "overall": w.OVERALL_INTRO.format(
            day=w.chinese_date(summary.day), expected=t.get("expected", 0), reported=w.reported(t)
        ),
        "timeliness": w.TIMELINESS_TEXT.format(
            expected=t.get("expected", 0),
            received=t.get("received", 0),
            not_filed=t.get("not_filed", 0),
            on_time=t.get("on_time", 0),
            zero=t.get("zero", 0),
            late=t.get("late", 0),
            overdue=t.get("overdue", 0),
            missing=t.get("missing", 0),
            pending=t.get("pending", 0),
            rate=w.on_time_rate(t),
        ),
        "accountability": (
            w.ACCOUNTABILITY_TEXT.format(count=summary.accountability_open)
            if summary.accountability_open
            else ""
        ),
    }


# --- DOCX -----------------------------------------------------------------------------------------


def set_run_font(
    run: Run, east_asia: str, size: float, *, bold: bool = False, color: RGBColor | None = None
) -> None:
    """Latin and East Asian font of one run; Word ignores `font.name` for Chinese characters."""
    run.font.name = LATIN_FONT
    run.font.size = Pt(size)
    run.font.bold = bold
    if color is not None:
        run.font.color.rgb = color
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), east_asia)


def _para(
    doc: DocxDocument,
    text: str,
    *,
    font: str = BODY_FONT,
    size: float = BODY_PT,
    bold: bool = False,
    align: int | None = None,
    color: RGBColor | None = None,
    indent: bool = False,
    space_after: float = 4,
) -> Paragraph:
    p = doc.add_paragraph()
    if align is not None:
        p.alignment = align  # type: ignore[assignment]
    if indent:
        p.paragraph_format.first_line_indent = Pt(size * 2)  # 首行缩进两字
    p.paragraph_format.space_after = Pt(space_after)
    set_run_font(p.add_run(text), font, size, bold=bold, color=color)
    return p


def _bottom_border(p: Paragraph, color: str = "C00000", size: int = 18) -> None:
    """The red rule under a document's masthead (红头下的红线)."""
    p_pr = p._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in {"w:val": "single", "w:sz": str(size), "w:space": "1", "w:color": color}.items():
        bottom.set(qn(key), value)
    borders.append(bottom)
    p_pr.append(borders)


def _repeat_header(table: Table) -> None:
    tr_pr = table.rows[0]._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)


def _table(
    doc: DocxDocument,
    header: list[str],
    rows: Sequence[Sequence[str]],
    *,
    size: float = TABLE_PT,
    bold_last: bool = False,
) -> Table:
    table = doc.add_table(rows=1 + len(rows), cols=len(header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for row_idx, values in enumerate([header, *rows]):
        is_bold = row_idx == 0 or (bold_last and row_idx == len(rows))
        for col_idx, value in enumerate(values):
            cell = table.cell(row_idx, col_idx)
            p = cell.paragraphs[0]
            if col_idx > 0 and value.isdigit():
                p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            set_run_font(p.add_run(value), HEADING_FONT if row_idx == 0 else BODY_FONT, size, bold=is_bold)
    _repeat_header(table)
    return table


def _picture(doc: DocxDocument, png: bytes, caption: str) -> None:
    doc.add_picture(io.BytesIO(png), width=Cm(15.5))
    doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
    _para(doc, caption, size=10.5, align=WD_ALIGN_PARAGRAPH.CENTER)


def _page_number_footer(doc: DocxDocument) -> None:
    p = doc.sections[0].footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    p._p.append(field)


def _setup(doc: DocxDocument) -> None:
    normal = doc.styles["Normal"]
    normal.font.name = LATIN_FONT
    normal.font.size = Pt(BODY_PT)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(3.0), Cm(2.8)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    _page_number_footer(doc)


def build_docx(
    summary: DaySummary, issue_no: int, next_steps: str, *, images: ChartImages | None = None
) -> bytes:
    """The briefing as a Word document (A4, 公文 fonts, tables and the two charts)."""
    images = images or make_charts(summary)
    text = _texts(summary, issue_no)
    doc = Document()
    _setup(doc)
    doc.core_properties.title = f"{w.TITLE} {text['date']}"
    doc.core_properties.author = w.ISSUER

    _para(doc, w.TITLE, font=TITLE_FONT, size=26, bold=True, color=RED, align=WD_ALIGN_PARAGRAPH.CENTER)
    _para(doc, text["year_issue"], align=WD_ALIGN_PARAGRAPH.CENTER)
    masthead = _para(doc, f"{w.ISSUER}\t{text['date']}", space_after=12)
    masthead.paragraph_format.tab_stops.add_tab_stop(Cm(15.6), alignment=2)  # right-aligned date
    _bottom_border(masthead)

    _para(doc, w.H_OVERALL, font=HEADING_FONT, size=16)
    _para(doc, text["overall"], indent=True)
    if summary.indicators:
        _table(
            doc,
            [w.COL_INDICATOR, w.COL_TOTAL],
            [[name, str(summary.totals.get(code, 0))] for code, name in summary.indicators],
        )
    else:
        _para(doc, w.NO_INDICATORS, indent=True)

    _para(doc, w.H_TOWNSHIPS, font=HEADING_FONT, size=16)
    if summary.per_township and summary.indicators:
        wide = len(summary.indicators) > PORTRAIT_MAX_COLUMNS
        _table(
            doc,
            [w.COL_TOWNSHIP, *(name for _code, name in summary.indicators)],
            township_rows(summary),
            size=9 if wide else TABLE_PT,
            bold_last=True,
        )
    else:
        _para(doc, w.NO_TOWNSHIPS, indent=True)
    _picture(doc, images.townships, w.FIGURE_TOWNSHIPS)

    _para(doc, w.H_TIMELINESS, font=HEADING_FONT, size=16)
    _para(doc, text["timeliness"], indent=True)
    if text["accountability"]:
        _para(doc, text["accountability"], indent=True)
    _picture(doc, images.timeliness, w.FIGURE_TIMELINESS)
    late = _late_rows(summary)
    if late:
        _para(doc, w.LATE_LIST_INTRO, indent=True)
        _table(doc, [w.COL_UNIT, w.COL_STATUS, w.COL_SUBMITTED], late)
    else:
        _para(doc, w.NO_LATE, indent=True)

    _para(doc, w.H_URGENT, font=HEADING_FONT, size=16)
    urgent = _urgent_rows(summary.urgent)
    if urgent:
        _table(doc, [w.COL_SENT, w.COL_FROM, w.COL_KIND, w.COL_CONTENT, w.COL_ACK], urgent)
    else:
        _para(doc, w.NO_URGENT, indent=True)

    _para(doc, w.H_NEXT_STEPS, font=HEADING_FONT, size=16)
    for paragraph in w.next_steps_paragraphs(next_steps) or [w.NO_NEXT_STEPS]:
        _para(doc, paragraph, indent=True)

    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


# --- PDF ------------------------------------------------------------------------------------------


def _data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def render_html(summary: DaySummary, issue_no: int, next_steps: str, *, images: ChartImages) -> str:
    """The print HTML that WeasyPrint turns into the PDF (also what the PDF tests read)."""
    context: dict[str, Any] = {
        "w": w,
        "text": _texts(summary, issue_no),
        "summary": summary,
        "indicators": summary.indicators,
        "indicator_rows": [(name, summary.totals.get(code, 0)) for code, name in summary.indicators],
        "township_rows": township_rows(summary) if summary.per_township and summary.indicators else [],
        "wide": len(summary.indicators) > PORTRAIT_MAX_COLUMNS,
        "late_rows": _late_rows(summary),
        "urgent_rows": _urgent_rows(summary.urgent),
        "next_steps": w.next_steps_paragraphs(next_steps),
        "township_chart": _data_uri(images.townships),
        "timeliness_chart": _data_uri(images.timeliness),
    }
    with translation.override("zh-hans"):
        return render_to_string("briefing/document.html", context)


def build_pdf(
    summary: DaySummary, issue_no: int, next_steps: str, *, images: ChartImages | None = None
) -> bytes:
    """The briefing as PDF: the print template rendered by Django, laid out by WeasyPrint."""
    images = images or make_charts(summary)
    html = render_html(summary, issue_no, next_steps, images=images)
    import weasyprint

    pdf = weasyprint.HTML(string=html).write_pdf()
    assert pdf is not None  # noqa: S101 - write_pdf without a target always returns bytes
    return pdf
