"""The child process that reads an uploaded workbook: `python -m fangkong.lib.sheet_worker FILE LIMITS`.

Runs without Django and under a memory and CPU limit set before the spreadsheet library is imported, so a
workbook that makes the reader allocate without bound ends this process only. It writes pickled frames
to stdout: ("meta", {...}), then ("rows", [row, ...]) batches, then ("end", None); or ("error", code,
params), which the parent (`fangkong.lib.spreadsheets`) turns into a message in the user's language.
"""

from __future__ import annotations

import json
import pickle
import resource
import sys
from typing import Any, BinaryIO

BATCH = 2000


def _emit(out: BinaryIO, frame: tuple[Any, ...]) -> None:
    pickle.dump(frame, out, protocol=pickle.HIGHEST_PROTOCOL)


def _limit(memory_bytes: int, cpu_seconds: int) -> None:
    if memory_bytes > 0:
        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    if cpu_seconds > 0:
        resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds))


def read(path: str, limits: dict[str, int], out: BinaryIO) -> None:
    from python_calamine import CalamineWorkbook

    max_rows, max_columns = limits["max_rows"], limits["max_columns"]
    max_cell = limits["max_cell_chars"]
    workbook = CalamineWorkbook.from_path(path)
    sheet = workbook.get_sheet_by_index(0)
    # The range is known once the sheet is loaded; refuse before a single row is sent.
    if sheet.height > max_rows + limits["header_rows"]:
        _emit(out, ("error", "rows", {"rows": sheet.height, "limit": max_rows}))
        return
    if sheet.width > max_columns:
        _emit(out, ("error", "columns", {"columns": sheet.width, "limit": max_columns}))
        return
    start = sheet.start or (0, 0)
    _emit(
        out,
        (
            "meta",
            {
                "start": tuple(start),
                "height": sheet.height,
                "width": sheet.width,
                "merged": [tuple(map(tuple, m)) for m in (sheet.merged_cell_ranges or [])],
            },
        ),
    )
    batch: list[list[Any]] = []
    for offset, row in enumerate(sheet.iter_rows()):
        for column, value in enumerate(row):
            if type(value) is str and (len(value) > max_cell or "\x00" in value):
                code = "nul" if "\x00" in value else "cell"
                where = {"row": start[0] + offset + 1, "column": start[1] + column + 1, "limit": max_cell}
                _emit(out, ("error", code, where))
                return
        batch.append(row)
        if len(batch) >= BATCH:
            _emit(out, ("rows", batch))
            batch = []
    if batch:
        _emit(out, ("rows", batch))
    _emit(out, ("end", None))


def main(argv: list[str]) -> int:
    path, raw_limits = argv[1], argv[2]
    limits = json.loads(raw_limits)
    _limit(limits["memory_bytes"], limits["cpu_seconds"])
    out = sys.stdout.buffer
    try:
        read(path, limits, out)
    except MemoryError:
        _emit(out, ("error", "memory", {}))
        return 3
    except BaseException as exc:  # calamine raises its own types (and pyo3 panics) for broken workbooks
        _emit(out, ("error", "unreadable", {"error": str(exc)[:300]}))
        return 2
    finally:
        out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
