"""Reading uploaded XLSX workbooks without letting a hostile file take the platform down.

A 1.9 KB workbook whose declared range reaches XFD1048576 makes the reader allocate 512 GiB; a few MB of
highly compressed XML expand to gigabytes. So, before reading: the ZIP members' declared uncompressed sizes
and compression ratios are checked, and every worksheet's declared dimension is capped in rows, columns and
cells. Then the workbook is read in a child process (`fangkong.lib.sheet_worker`) under a memory and CPU
limit; rows stream back over a pipe. A file that gets past the checks and still blows up ends the child
only, and the caller gets a `SpreadsheetError` with a message in the user's language.

Used by the push-list import (`pushlists.reading`) and the risk-area import (`screening.actions`).
"""

from __future__ import annotations

import json
import logging
import pickle
import re
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.utils.translation import gettext as _

log = logging.getLogger(__name__)

# Excel's own limits; a real push list has about ten columns.
MAX_ROWS = 1_048_576
MAX_COLUMNS = 100
MAX_CELLS = 20_000_000
MAX_CELL_CHARS = 32_767
# What the XML of a workbook may expand to, in total, and the most one member may expand per byte stored.
# Real sheets compress 5–20×; a compression bomb 100–1000×.
MAX_UNCOMPRESSED_BYTES = 2 << 30
MAX_RATIO = 150
RATIO_FROM_BYTES = 1 << 20  # small members (styles, a short sheet) may compress as they like
DIMENSION_SCAN_BYTES = 64 << 10

_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s+ref=\"([A-Za-z]{1,3})?(\d+)?(?::([A-Za-z]{1,3})(\d+))?\"")


class SpreadsheetError(ValueError):
    """The workbook is refused or cannot be read; `message` is for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + (ord(letter) - 64)
    return number


def _limits_message(rows: int, columns: int, max_rows: int) -> str | None:
    if rows > max_rows:
        return _("The sheet has %(rows)d rows; at most %(limit)d can be imported.") % {
            "rows": rows,
            "limit": max_rows,
        }
    if columns > MAX_COLUMNS:
        return _("The sheet has %(columns)d columns; at most %(limit)d are read.") % {
            "columns": columns,
            "limit": MAX_COLUMNS,
        }
    if rows * columns > MAX_CELLS:
        return _("The sheet has %(cells)d cells; at most %(limit)d are read.") % {
            "cells": rows * columns,
            "limit": MAX_CELLS,
        }
    return None


def check_xlsx(path: Path, *, max_rows: int = MAX_ROWS) -> None:
    """Refuse a workbook whose ZIP members or declared sheet ranges are too big, before it is read."""
    too_big = _("The file expands to more data than a spreadsheet may hold; it is refused.")
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            total = 0
            for member in members:
                total += member.file_size
                if member.file_size > RATIO_FROM_BYTES and member.file_size > MAX_RATIO * max(
                    member.compress_size, 1
                ):
                    raise SpreadsheetError(too_big)
            if total > MAX_UNCOMPRESSED_BYTES:
                raise SpreadsheetError(too_big)
            for member in members:
                if not re.fullmatch(r"xl/worksheets/[^/]+\.xml", member.filename):
                    continue
                # Decompressing a bounded prefix: the dimension sits near the start of the sheet's XML.
                with archive.open(member) as fh:
                    head = fh.read(DIMENSION_SCAN_BYTES)
                found = _DIMENSION.search(head)
                if not found:
                    continue
                first_col, first_row, last_col, last_row = found.groups()
                first_c = _column_number(first_col.decode()) if first_col else 1
                first_r = int(first_row) if first_row else 1
                last_c = _column_number(last_col.decode()) if last_col else first_c
                last_r = int(last_row) if last_row else first_r
                message = _limits_message(
                    abs(last_r - first_r) + 1, abs(last_c - first_c) + 1, max_rows + HEADER_ROWS
                )
                if message:
                    raise SpreadsheetError(message)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, NotImplementedError) as exc:
        raise SpreadsheetError(_("The spreadsheet cannot be read: %(error)s") % {"error": exc}) from None


# Title rows above the header are allowed on top of the data rows.
HEADER_ROWS = 30


@dataclass
class SheetMeta:
    start: tuple[int, int] = (0, 0)
    height: int = 0
    width: int = 0
    merged: list[tuple[tuple[int, int], tuple[int, int]]] = field(default_factory=list)


def _worker_message(code: str, params: dict[str, Any]) -> str:
    if code == "rows":
        return _("The sheet has %(rows)d rows; at most %(limit)d can be imported.") % params
    if code == "columns":
        return _("The sheet has %(columns)d columns; at most %(limit)d are read.") % params
    if code == "cell":
        return _("The cell in row %(row)d, column %(column)d holds more than %(limit)d characters.") % params
    if code == "nul":
        return _("The cell in row %(row)d, column %(column)d contains a NUL character.") % params
    if code == "unreadable":
        return _("The spreadsheet cannot be read: %(error)s") % params
    return memory_message()


def memory_message() -> str:
    return _(
        "The spreadsheet needs more memory than a file of this kind may use (%(mb)d MB) and was not read."
    ) % {"mb": settings.SPREADSHEET_MEMORY_MB}


class Sheet:
    """The first sheet of a workbook, read in a child process. Use as a context manager or exhaust `rows`."""

    def __init__(self, path: Path, *, max_rows: int = MAX_ROWS) -> None:
        check_xlsx(path, max_rows=max_rows)
        limits = {
            "memory_bytes": settings.SPREADSHEET_MEMORY_MB << 20,
            "cpu_seconds": settings.SPREADSHEET_CPU_SECONDS,
            "max_rows": max_rows,
            "header_rows": HEADER_ROWS,
            "max_columns": MAX_COLUMNS,
            "max_cell_chars": MAX_CELL_CHARS,
        }
        self._stderr: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115 - closed in close()
        self._proc = subprocess.Popen(  # noqa: S603 - fixed argv, our own module
            [sys.executable, "-m", "fangkong.lib.sheet_worker", str(path), json.dumps(limits)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
        )
        self._out: IO[bytes] = self._proc.stdout  # type: ignore[assignment] # stdout=PIPE makes it a stream
        first = self._frame()
        self.meta = SheetMeta(**first) if first is not None else SheetMeta()

    def _failed(self, message: str) -> SpreadsheetError:
        self.close()
        return SpreadsheetError(message)

    def _frame(self) -> Any:
        """The next frame's payload: meta (dict), rows (list) or None at the end."""
        try:
            # The child is our own code sending plain values (str, numbers, dates) it read from the file.
            # One load per frame: each frame is a separate pickle with its own memo.
            frame = pickle.load(self._out)  # noqa: S301
        except (EOFError, pickle.UnpicklingError):
            self._proc.wait()
            self._stderr.seek(0)
            log.warning(
                "spreadsheet reader ended with status %s: %s",
                self._proc.returncode,
                self._stderr.read()[-2000:].decode(errors="replace"),
            )
            raise self._failed(memory_message()) from None
        kind = frame[0]
        if kind == "error":
            raise self._failed(_worker_message(frame[1], frame[2]))
        if kind == "end":
            self.close()
            return None
        return frame[1]

    def rows(self) -> Iterator[list[Any]]:
        """The sheet's rows from its first used cell, as calamine gives them (str, int, float, dates…)."""
        try:
            while (batch := self._frame()) is not None:
                yield from batch
        finally:
            self.close()

    def close(self) -> None:
        if self._proc.poll() is None:
            self._proc.kill()
        self._proc.wait()
        self._out.close()
        self._stderr.close()

    def __enter__(self) -> Sheet:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_sheet(path: Path, *, max_rows: int = MAX_ROWS) -> Sheet:
    """Check `path` and start reading its first sheet in a child process (see the module docstring)."""
    return Sheet(path, max_rows=max_rows)
