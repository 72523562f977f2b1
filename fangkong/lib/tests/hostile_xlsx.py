"""Build real XLSX files (ZIP archives of SpreadsheetML) the way an attacker would, byte by byte."""

from __future__ import annotations

import zipfile
from pathlib import Path

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)


def cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def row(number: int, *cells: str) -> str:
    return f'<row r="{number}">{"".join(cells)}</row>'


def write(path: Path, rows_xml: str, dimension: str | None = None) -> Path:
    """A one-sheet workbook whose sheet XML holds `rows_xml`, declaring `dimension` if given."""
    sheet = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        + (f'<dimension ref="{dimension}"/>' if dimension else "")
        + f"<sheetData>{rows_xml}</sheetData></worksheet>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
    return path


HEADER = row(1, cell("A1", "姓名"), cell("B1", "身份证号"), cell("C1", "手机号"))


def dimension_bomb(path: Path) -> Path:
    """The 1.9 KB file of the issue: a declared range up to XFD1048576 and a cell there."""
    return write(path, HEADER + row(1048576, cell("XFD1048576", "x")), dimension="A1:XFD1048576")


def sparse_bomb(path: Path) -> Path:
    """The same cells with no dimension declared: only reading the cells reveals the range."""
    return write(path, HEADER + row(1048576, cell("XFD1048576", "x")))


def dense_bomb(path: Path, rows: int = 200_000) -> Path:
    """Many identical dense rows: a few hundred KB that expand to tens of MB of XML."""
    body = "".join(
        row(n, cell(f"A{n}", "张三" * 20), cell(f"B{n}", "1" * 18), cell(f"C{n}", "1" * 11))
        for n in range(2, 12)
    )
    # Repeating the same ten rows keeps their (stale) row numbers: the ratio is what is under test.
    return write(path, HEADER + body * (rows // 10))
