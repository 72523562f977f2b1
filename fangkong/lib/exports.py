"""The one export writer: every CSV and XLSX file the platform produces is written here.

A cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage return is a formula to Excel and LibreOffice
(`=HYPERLINK(…)`, `-2+3`, the DDE payload `=cmd|' /C calc'!A0`), so such text gets a leading apostrophe and
stays text. Numbers, dates and booleans are written as they are. The caller records the export in the audit
log with the row count this writer returns, so the log never claims more rows than the file holds.

A file made for someone carries a `Stamp` (个人信息保护法: who exported it and when, Beijing time): a CSV's first
line, an XLSX's document properties and its last sheet.
"""

from __future__ import annotations

import csv
import datetime
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import IO, Any
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_BOM = "\ufeff"  # Excel opens a UTF-8 CSV correctly only with it
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

Row = Sequence[Any]
SHANGHAI = ZoneInfo("Asia/Shanghai")


@dataclass(frozen=True)
class Stamp:
    """Who exported a file and when."""

    by: str  # "张三 (wangzhu)"
    at: datetime.datetime  # aware

    @classmethod
    def of(cls, full_name: str, username: str, at: datetime.datetime) -> Stamp:
        return cls(f"{full_name} ({username})" if full_name else username, at)

    @property
    def local(self) -> str:
        return self.at.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")

    def cells(self) -> list[str]:
        return [_("Exported by"), self.by, _("Exported at"), self.local]


def neutralise(value: Any) -> Any:
    """`value` as a cell that cannot run: text starting like a formula is prefixed with an apostrophe."""
    if value is None:
        return ""
    if isinstance(value, str):
        return "'" + value if value.startswith(FORMULA_STARTS) else value
    if isinstance(value, bool | int | float | datetime.date | datetime.datetime):
        return value
    return neutralise(str(value))


def _csv_text(value: Any) -> str:
    value = neutralise(value)
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_lines(
    header: Row, rows: Iterable[Row], *, bom: bool = True, stamp: Stamp | None = None
) -> Iterator[str]:
    """The file as lines of text (for a streamed response or a file), BOM first, then the stamp if given."""
    writer = csv.writer(_Echo())
    start = CSV_BOM if bom else ""
    if stamp is not None:
        yield start + writer.writerow([_csv_text(v) for v in stamp.cells()])
        start = ""
    yield start + writer.writerow([_csv_text(v) for v in header])
    for row in rows:
        yield writer.writerow([_csv_text(v) for v in row])


def write_csv(
    out: IO[str], header: Row, rows: Iterable[Row], *, bom: bool = True, stamp: Stamp | None = None
) -> int:
    """Write a UTF-8 CSV (open `out` with newline=""); returns the number of data rows.

    `bom=False` appends another block (a second header) to a file already begun."""
    count = -1
    for count, line in enumerate(csv_lines(header, rows, bom=bom, stamp=stamp)):  # noqa: B007 - last index
        out.write(line)
    return max(count - (1 if stamp is not None else 0), 0)


class XlsxWriter:
    """A streaming (write-only) workbook whose sheets take rows through `neutralise`."""

    def __init__(self, stamp: Stamp | None = None) -> None:
        self.workbook = Workbook(write_only=True)
        self.rows = 0
        self.stamp = stamp
        if stamp is not None:
            self.workbook.properties.creator = stamp.by
            self.workbook.properties.lastModifiedBy = stamp.by
            self.workbook.properties.created = stamp.at.astimezone(datetime.UTC).replace(tzinfo=None)

    def sheet(self, title: str, header: Row) -> WriteOnlyWorksheet:
        sheet = self.workbook.create_sheet(title)
        self._append(sheet, header)
        return sheet

    def append(self, sheet: WriteOnlyWorksheet, row: Row) -> None:
        self._append(sheet, row)
        self.rows += 1

    def _append(self, sheet: WriteOnlyWorksheet, row: Row) -> None:
        cells = []
        for value in row:
            cell = WriteOnlyCell(sheet, neutralise(value))
            if isinstance(cell.value, str):
                # openpyxl guesses a formula from a leading `=`; text is always text here.
                cell.data_type = "s"
            cells.append(cell)
        sheet.append(cells)

    def save(self, out: IO[bytes]) -> int:
        """Write the workbook to `out`; returns the number of data rows (headers not counted)."""
        if self.stamp is not None:  # the last sheet says who exported the file and when
            sheet = self.workbook.create_sheet(_("Export"))
            by_label, by, at_label, at = self.stamp.cells()
            self._append(sheet, [by_label, by])
            self._append(sheet, [at_label, at])
        self.workbook.save(out)
        return self.rows


def write_xlsx(
    out: IO[bytes], title: str, header: Row, rows: Iterable[Row], *, stamp: Stamp | None = None
) -> int:
    """A one-sheet workbook (and the stamp's sheet); returns the number of data rows."""
    writer = XlsxWriter(stamp)
    sheet = writer.sheet(title, header)
    for row in rows:
        writer.append(sheet, row)
    return writer.save(out)
