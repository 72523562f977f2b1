"""Reading a lab's result file (CSV in UTF-8/GBK, or XLSX through `lib.spreadsheets`): every cell as text, the
header row found by its names in Chinese or English, row errors collected instead of stopping at the first."""

from __future__ import annotations

import codecs
import csv
import datetime
import itertools
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from fangkong.lib import spreadsheets
from fangkong.lib.reporting_day import SHANGHAI

COLUMNS: dict[str, tuple[str, ...]] = {
    "barcode": (
        "条码",
        "条码号",
        "样本条码",
        "采样管条码",
        "试管条码",
        "管码",
        "barcode",
        "tube",
        "sample_id",
    ),
    "result": ("结果", "检测结果", "result"),
    "ct_orf1ab": ("orf1ab", "ctorf1ab", "orf1abct", "orf1ab基因ct值", "orf1ab基因", "ct_orf1ab"),
    "ct_n": ("n", "ctn", "nct", "n基因ct值", "n基因", "ct_n"),
    "resulted_at": ("检测时间", "报告时间", "结果时间", "时间", "resulted_at", "time", "reported_at"),
    "lab": ("检测机构", "实验室", "机构", "lab", "laboratory"),
}
REQUIRED = ("barcode", "result")
_ALIASES = {re.sub(r"[\s_]", "", alias.lower()): key for key, names in COLUMNS.items() for alias in names}
HEADER_SCAN_ROWS = 20
MAX_ROWS = 200_000
EXCEL_EPOCH = datetime.datetime(1899, 12, 30)  # noqa: DTZ001 - a wall-clock serial origin, localised below


class LayoutError(ValueError):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _norm(value: str) -> str:
    return re.sub(r"[\s*＊:：()（）_]", "", value).lower()


def match_header(cells: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, cell in enumerate(cells):
        key = _ALIASES.get(_norm(cell))
        if key and key not in found:
            found[key] = index
    return found


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _csv_rows(path: Path) -> Iterator[list[str]]:
    raw = path.read_bytes()
    if b"\x00" in raw:
        raise LayoutError(_("The file contains NUL characters; save it as UTF-8 or GBK CSV."))
    if raw.startswith(codecs.BOM_UTF8):
        text = raw[3:].decode("utf-8")
    else:
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            text = raw.decode("gb18030", errors="replace")
    first = text.split("\n", 1)[0]
    delimiter = "\t" if first.count("\t") > first.count(",") else ","
    try:
        yield from csv.reader(text.splitlines(), delimiter=delimiter)
    except csv.Error as exc:
        raise LayoutError(_("The file is not valid CSV: %(error)s") % {"error": exc}) from None


def _xlsx_rows(path: Path) -> Iterator[list[str]]:
    try:
        with spreadsheets.open_sheet(path, max_rows=MAX_ROWS) as sheet:
            for row in sheet.rows():
                yield [
                    (EXCEL_EPOCH + datetime.timedelta(days=v)).strftime("%Y-%m-%d %H:%M:%S")
                    if isinstance(v, float) and 40000 < v < 80000 and not v.is_integer()
                    else _text(v)
                    for v in row
                ]
    except spreadsheets.SpreadsheetError as exc:
        raise LayoutError(exc.message) from None


def _parse_time(text: str, default: datetime.datetime) -> datetime.datetime | None:
    if not text:
        return default
    moment = parse_datetime(text.replace("/", "-"))
    if moment is None:
        try:
            day = datetime.date.fromisoformat(text.replace("/", "-"))
        except ValueError:
            return None
        moment = datetime.datetime(day.year, day.month, day.day, 12)  # noqa: DTZ001 - localised next line
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=SHANGHAI)
    return moment


def _parse_ct(text: str) -> float | str | None:
    if not text or text in ("-", "/", "无", "N/A", "NA"):
        return None
    try:
        value = float(text)
    except ValueError:
        return "bad"
    return value if 0 < value < 50 else "bad"


def read_results(path: Path, *, now: datetime.datetime) -> tuple[list[Any], list[tuple[int, str, str]]]:
    """(rows that read well, row errors [(row number, barcode, message)]). Raises LayoutError for the file."""
    from fangkong.testing.actions import BARCODE_RE, RESULT_WORDS, ResultRow

    with path.open("rb") as fh:
        magic = fh.read(4)
    stream = _xlsx_rows(path) if magic == b"PK\x03\x04" else _csv_rows(path)
    head = list(itertools.islice(stream, HEADER_SCAN_ROWS))
    header_at, columns = 0, {}
    for number, cells in enumerate(head, start=1):
        found = match_header([_text(c) for c in cells])
        if all(k in found for k in REQUIRED):
            header_at, columns = number, found
            break
    if not columns:
        raise LayoutError(_("No header row with the needed columns was found: 条码/barcode and 结果/result."))
    rows: list[ResultRow] = []
    errors: list[tuple[int, str, str]] = []

    def cell(cells: list[str], key: str) -> str:
        index = columns.get(key)
        return cells[index].strip() if index is not None and index < len(cells) else ""

    # A lab file repeats a handful of times and lab names: one object each, not one per row (peak memory).
    times: dict[str, datetime.datetime | None] = {}
    labs: dict[str, str] = {}

    for number, cells in enumerate(itertools.chain(head, stream), start=1):
        if number <= header_at or not any(c.strip() for c in cells):
            continue
        if len(rows) + len(errors) >= MAX_ROWS:
            raise LayoutError(_("The file has more than %(n)d rows.") % {"n": MAX_ROWS})
        barcode = cell(cells, "barcode")
        word = cell(cells, "result").lower()
        result = RESULT_WORDS.get(word)
        text = cell(cells, "resulted_at")
        if text not in times:
            times[text] = _parse_time(text, now)
        moment = times[text]
        ct1, ct2 = _parse_ct(cell(cells, "ct_orf1ab")), _parse_ct(cell(cells, "ct_n"))
        if not BARCODE_RE.match(barcode):
            errors.append((number, barcode, _("The barcode is missing or not a tube barcode.")))
        elif result is None:
            errors.append(
                (number, barcode, _("The result must be 阴性/negative, 阳性/positive or 无效/invalid."))
            )
        elif moment is None or moment > now:
            errors.append((number, barcode, _("The time is not a date and time in the past.")))
        elif ct1 == "bad" or ct2 == "bad":
            errors.append((number, barcode, _("A Ct value must be a number between 0 and 50.")))
        else:
            rows.append(
                ResultRow(
                    number,
                    barcode,
                    result,
                    moment,
                    labs.setdefault(lab := cell(cells, "lab")[:100], lab),
                    ct1 if isinstance(ct1, float) else None,
                    ct2 if isinstance(ct2, float) else None,
                )
            )
    return rows, errors
