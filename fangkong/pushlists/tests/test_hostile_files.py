"""Hostile uploads fail their own import with a clear message; the process that imports stays up.

The files are real XLSX archives built byte by byte (`lib/tests/hostile_xlsx.py`): the 1.9 KB workbook whose
dimension reaches XFD1048576, the same without a declared dimension (only the child's memory limit stops it),
a dense compression bomb, an over-long cell and a NUL character.
"""

from __future__ import annotations

import os
import resource

from fangkong.lib.tests import hostile_xlsx as hx
from fangkong.people.models import Person
from fangkong.pushlists.models import BatchStatus, PushErrorRow, PushItem
from fangkong.pushlists.tests.conftest import HEADER, id_number, write_csv


def _nothing_stored() -> bool:
    return (PushItem.objects.count(), PushErrorRow.objects.count(), Person.objects.count()) == (0, 0, 0)


def test_a_workbook_declaring_xfd1048576_is_refused_before_it_is_read(district, import_file, tmp_path):
    path = hx.dimension_bomb(tmp_path / "bomb.xlsx")
    assert path.stat().st_size < 2000

    batch = import_file(path)

    assert batch.status == BatchStatus.FAILED
    assert "16384 columns; at most 100" in batch.failure
    assert _nothing_stored()


def test_a_workbook_that_exhausts_the_readers_memory_fails_its_import_only(district, import_file, tmp_path):
    path = hx.sparse_bomb(tmp_path / "sparse.xlsx")
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

    batch = import_file(path)

    assert batch.status == BatchStatus.FAILED
    assert "more memory than a file of this kind may use" in batch.failure
    assert _nothing_stored()
    # The allocation happened (and failed) in the child: this process grew by no more than a few MB.
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before < 50_000
    assert os.getpid()  # still here


def test_a_compression_bomb_is_refused_by_its_ratio(district, import_file, tmp_path):
    path = hx.dense_bomb(tmp_path / "dense.xlsx")

    batch = import_file(path)

    assert batch.status == BatchStatus.FAILED
    assert "expands to more data than a spreadsheet may hold" in batch.failure
    assert _nothing_stored()


def test_an_over_long_cell_is_refused_with_its_place(district, import_file, tmp_path):
    path = hx.write(
        tmp_path / "long.xlsx",
        hx.HEADER
        + hx.row(2, hx.cell("A2", "张三"), hx.cell("B2", id_number(1)), hx.cell("C2", "1" * 40_000)),
    )

    batch = import_file(path)

    assert batch.status == BatchStatus.FAILED
    assert "row 2, column 3 holds more than 32767 characters" in batch.failure
    assert _nothing_stored()


def test_a_nul_character_in_a_workbook_is_refused(district, import_file, tmp_path):
    # _x0000_ is how SpreadsheetML escapes a control character; the reader turns it into NUL.
    path = hx.write(
        tmp_path / "nul.xlsx",
        hx.HEADER + hx.row(2, hx.cell("A2", "张_x0000_三"), hx.cell("B2", id_number(1))),
    )

    batch = import_file(path)

    assert batch.status == BatchStatus.FAILED
    assert "row 2, column 1 contains a NUL character" in batch.failure
    assert _nothing_stored()


def test_a_nul_character_in_a_csv_is_refused(district, import_file, tmp_path):
    path = write_csv(tmp_path / "nul.csv", [["张\x00三", id_number(1), "", "", "", "", ""]])

    batch = import_file(path)

    assert batch.status == BatchStatus.FAILED
    assert "NUL characters" in batch.failure
    assert _nothing_stored()


def test_a_csv_line_of_many_megabytes_is_refused(district, import_file, tmp_path):
    path = tmp_path / "long.csv"
    path.write_text(",".join(HEADER) + "\n" + "张三," + "1," * (1 << 20) + "\n")

    batch = import_file(path)

    assert batch.status == BatchStatus.FAILED
    assert "Line 2 is longer than 1048576 bytes" in batch.failure
    assert _nothing_stored()


def test_after_a_hostile_file_a_good_workbook_still_imports(district, import_file, tmp_path):
    import_file(hx.sparse_bomb(tmp_path / "sparse.xlsx"))
    good = hx.write(
        tmp_path / "good.xlsx",
        hx.HEADER + hx.row(2, hx.cell("A2", "张三"), hx.cell("B2", id_number(1)), hx.cell("C2", "")),
    )

    batch = import_file(good)

    assert batch.status == BatchStatus.DONE and batch.rows_imported == 1
