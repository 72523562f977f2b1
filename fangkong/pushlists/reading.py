"""Reading a pushed list as the data centre sends it: CSV (UTF-8, UTF-8 with BOM or GBK) or XLSX.

Every cell comes out as text. The header row is found by its names (Chinese or English), below any title
rows. XLSX numbers are turned back into the text a person typed: an ID number that Excel stored as a
number with more than 15 significant digits has lost digits and is rendered in scientific notation, so
validation rejects it; date serials in the arrival column become dates.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from fangkong.lib import spreadsheets

# Canonical column → header names that mean it (compared after `_norm_header`).
COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("姓名", "name", "名字", "人员姓名", "full_name"),
    "id_number": (
        "身份证号",
        "身份证号码",
        "身份证",
        "证件号码",
        "证件号",
        "公民身份号码",
        "id_number",
        "idnumber",
        "id_card",
        "idcard",
        "id",
    ),
    "phone": ("手机号", "手机号码", "联系电话", "电话", "电话号码", "phone", "mobile", "tel"),
    "origin": ("来源地", "来源", "出发地", "来自", "途经地", "origin", "from"),
    "arrival": (
        "到达时间",
        "抵达时间",
        "到达日期",
        "返回时间",
        "入境时间",
        "arrival",
        "arrival_time",
        "arrived_at",
    ),
    "township": (
        "所属乡镇",
        "乡镇",
        "乡镇街道",
        "乡镇/街道",
        "所属街道",
        "所属乡镇街道",
        "乡镇办",
        "township",
        "town",
    ),
    "address": ("地址", "住址", "现住址", "居住地址", "详细地址", "现居住地址", "address"),
}
COLUMN_LABELS = {
    "name": "姓名/name",
    "id_number": "身份证号/id_number",
    "phone": "手机号/phone",
    "origin": "来源地/origin",
    "arrival": "到达时间/arrival",
    "township": "所属乡镇/township",
    "address": "地址/address",
}
_ALIASES = {alias: key for key, names in COLUMNS.items() for alias in names}
HEADER_SCAN_ROWS = 30
EXCEL_EPOCH = datetime.datetime(1899, 12, 30)  # noqa: DTZ001 - a wall-clock serial origin, localised later
# Excel keeps 15 significant digits; a bigger whole number in a cell has already lost some.
EXCEL_EXACT_LIMIT = 10**15


class LayoutError(ValueError):
    """The file cannot be read as a push list; `message` is for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _norm_header(value: str) -> str:
    text = re.sub(r"[\s*＊:：()（）]", "", value).lower()
    return text


def match_header(cells: list[str]) -> dict[str, int]:
    """Column key → index for the cells of one candidate header row (first occurrence wins)."""
    found: dict[str, int] = {}
    for index, cell in enumerate(cells):
        key = _ALIASES.get(_norm_header(cell))
        if key and key not in found:
            found[key] = index
    return found


def missing_columns(found: dict[str, int]) -> list[str]:
    """Required: a name, and an ID number or a phone to find the person by."""
    missing = []
    if "name" not in found:
        missing.append(COLUMN_LABELS["name"])
    if "id_number" not in found and "phone" not in found:
        missing.append(COLUMN_LABELS["id_number"] + " " + _("or") + " " + COLUMN_LABELS["phone"])
    return missing


@dataclass
class Sheet:
    """An opened push list: the header mapping and an iterator over (row number, cells as text)."""

    columns: dict[str, int]
    rows: Iterator[tuple[int, list[str]]]
    total: int  # an estimate of the data rows, for progress


def _csv_encoding(path: Path) -> str:
    with path.open("rb") as fh:
        sample = fh.read(1 << 20)
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
    except UnicodeDecodeError:
        return "gb18030"  # a superset of GBK, which is what Chinese Excel writes
    return "utf-8"


# A pushed row is a few hundred bytes; a longer line is not a push list (and would be held whole in memory).
MAX_LINE_BYTES = 1 << 20


def _scan_csv(path: Path) -> int:
    """Count the lines of a CSV file, refusing NUL characters and over-long lines before parsing it."""
    count = 0
    line = 0  # bytes of the current line so far
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 22):
            if b"\x00" in chunk:
                raise LayoutError(
                    _(
                        "The file contains NUL characters (is it saved as UTF-16?); save it as UTF-8 or GBK CSV."
                    )
                )
            parts = chunk.split(b"\n")
            newlines = len(parts) - 1
            lengths = list(map(len, parts))
            lengths[0] += line  # the first part continues the line carried over from the previous chunk
            longest = max(lengths)
            if longest > MAX_LINE_BYTES:
                raise LayoutError(
                    _("Line %(line)d is longer than %(limit)d bytes; the file is not a push list.")
                    % {"line": count + lengths.index(longest) + 1, "limit": MAX_LINE_BYTES}
                )
            line = lengths[-1]
            count += newlines
    return count


def _open_csv(path: Path) -> Sheet:
    lines = _scan_csv(path)
    encoding = _csv_encoding(path)
    fh = path.open(encoding=encoding, newline="")
    first = fh.readline()
    fh.seek(0)
    delimiter = "\t" if first.count("\t") > first.count(",") else ","
    reader = csv.reader(fh, delimiter=delimiter)
    header_at, columns = _find_header(
        (i + 1, row) for i, row in zip(range(HEADER_SCAN_ROWS), reader, strict=False)
    )
    fh.seek(0)
    reader = csv.reader(fh, delimiter=delimiter)

    def rows() -> Iterator[tuple[int, list[str]]]:
        try:
            for number, row in enumerate(reader, start=1):
                if number > header_at:
                    yield number, row
        except UnicodeDecodeError:
            raise LayoutError(_("The file is not valid text in UTF-8 or GBK.")) from None
        except csv.Error as exc:  # a field beyond csv.field_size_limit(), a stray quote at the end
            raise LayoutError(_("The file is not valid CSV: %(error)s") % {"error": exc}) from None
        finally:
            fh.close()

    return Sheet(columns, rows(), max(lines - header_at, 0))


def _find_header(candidates: Iterator[tuple[int, list[str]]]) -> tuple[int, dict[str, int]]:
    best: tuple[int, dict[str, int]] = (0, {})
    try:
        for number, cells in candidates:
            found = match_header(cells)
            if len(found) > len(best[1]):
                best = (number, found)
            if len(found) >= 2 and not missing_columns(found):
                return number, found
    except UnicodeDecodeError:
        raise LayoutError(_("The file is not valid text in UTF-8 or GBK.")) from None
    missing = missing_columns(best[1])
    raise LayoutError(
        _("No header row with the needed columns was found. Missing: %(columns)s.")
        % {"columns": ", ".join(missing)}
    )


def _excel_text(value: Any, key: str | None) -> str:
    """A calamine cell value as the text a person would have typed."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, datetime.time):
        return value.isoformat()
    if isinstance(value, int | float):
        if key == "arrival" and 1 <= value < 2958466:
            moment = EXCEL_EPOCH + datetime.timedelta(days=float(value))
            return moment.strftime("%Y-%m-%d %H:%M:%S")
        if float(value).is_integer():
            if abs(value) >= EXCEL_EXACT_LIMIT:
                # What Excel shows for a long number: the digits beyond 15 are gone.
                return f"{float(value):.5E}".replace("E+0", "E+")
            return str(int(value))
        return repr(float(value))
    return str(value)


def _open_xlsx(path: Path) -> Sheet:
    # Read in a child process under a memory limit, after the declared sizes are checked (lib.spreadsheets).
    workbook = spreadsheets.open_sheet(path)
    meta = workbook.meta
    stream = workbook.rows()
    start_row, start_col = meta.start
    head = list(itertools.islice(stream, HEADER_SCAN_ROWS))
    try:
        header_at, columns = _find_header(
            (start_row + i + 1, [_excel_text(v, None) for v in row]) for i, row in enumerate(head)
        )
    except LayoutError:
        workbook.close()
        raise
    keys: dict[int, str] = {index: key for key, index in columns.items()}
    # Merged cells hold their value in the top-left cell only; spread it over the range.
    fill: dict[tuple[int, int], tuple[int, int]] = {}
    for (r0, c0), (r1, c1) in meta.merged:
        if r1 + 1 <= header_at or (r1 - r0 + 1) * (c1 - c0 + 1) > 100_000:
            continue
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                if (r, c) != (r0, c0):
                    fill[(r, c)] = (r0, c0)
    total = max(meta.height - (header_at - start_row), 0)

    # Per cell column key, so the hot loop below needs no arithmetic; most cells are text already.
    width = meta.width
    cell_keys = [keys.get(start_col + i) for i in range(width)]
    all_rows = itertools.chain(head, stream)

    def rows() -> Iterator[tuple[int, list[str]]]:
        for offset, raw in enumerate(all_rows):
            number = start_row + offset + 1  # 1-based, as Excel numbers rows
            if number > header_at:
                yield (
                    number,
                    [
                        v.strip() if type(v) is str else _excel_text(v, cell_keys[i] if i < width else None)
                        for i, v in enumerate(raw)
                    ],
                )

    if fill:
        # Index of merged top-left cells for the lookup above without scanning `fill` per cell.
        tops = set(fill.values())

        def rows_fast() -> Iterator[tuple[int, list[str]]]:
            seen: dict[tuple[int, int], str] = {}
            for offset, raw in enumerate(all_rows):
                number = start_row + offset + 1
                if number <= header_at:
                    continue
                cells = [_excel_text(v, keys.get(start_col + i)) for i, v in enumerate(raw)]
                for i in range(len(cells)):
                    at = (number - 1, start_col + i)
                    if at in tops:
                        seen[at] = cells[i]
                    elif not cells[i] and at in fill:
                        cells[i] = seen.get(fill[at], "")
                yield number, cells

        return Sheet(columns, _failing_as_layout(rows_fast()), total)
    return Sheet(columns, _failing_as_layout(rows()), total)


def _failing_as_layout(rows: Iterator[tuple[int, list[str]]]) -> Iterator[tuple[int, list[str]]]:
    """A refusal met while streaming (a long cell, the reader's memory limit) fails the import as a layout
    error: the user's message, the batch failed, nothing stored."""
    try:
        yield from rows
    except spreadsheets.SpreadsheetError as exc:
        raise LayoutError(exc.message) from None


def open_push_list(path: Path) -> Sheet:
    """Open `path` by its content: an XLSX is a ZIP archive; anything else is read as CSV text."""
    with path.open("rb") as fh:
        magic = fh.read(4)
    if magic == b"PK\x03\x04":
        try:
            return _open_xlsx(path)
        except spreadsheets.SpreadsheetError as exc:
            raise LayoutError(exc.message) from None
    return _open_csv(path)
