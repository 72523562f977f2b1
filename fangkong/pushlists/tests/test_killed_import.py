"""A crash during an import leaves nothing stored; running it again imports the whole batch."""

from __future__ import annotations

import pytest

from fangkong.people.models import Person
from fangkong.pushlists import importer
from fangkong.pushlists.models import BatchStatus, PushBatch, PushErrorRow, PushItem
from fangkong.pushlists.tests.conftest import id_number, write_csv


def test_a_crash_mid_batch_stores_nothing_and_a_rerun_works(district, import_file, tmp_path, monkeypatch):
    rows = [[f"人{i}", id_number(i), "", "", "", "王助镇", ""] for i in range(1, 26)]
    rows.append(["坏", "123", "", "", "", "", ""])
    path = write_csv(tmp_path / "list.csv", rows)
    monkeypatch.setattr(importer, "CHUNK", 10)
    real_load = importer.Importer._load
    calls = {"n": 0}

    def crash_on_second_chunk(self: importer.Importer, good: list) -> None:
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("killed")
        real_load(self, good)

    monkeypatch.setattr(importer.Importer, "_load", crash_on_second_chunk)
    with pytest.raises(RuntimeError):
        import_file(path)

    batch = PushBatch.objects.get()
    assert batch.status == BatchStatus.FAILED and "killed" in batch.failure
    assert (PushItem.objects.count(), Person.objects.count(), PushErrorRow.objects.count()) == (0, 0, 0)

    monkeypatch.setattr(importer.Importer, "_load", real_load)
    again = import_file(path)

    assert again.pk == batch.pk
    assert again.status == BatchStatus.DONE
    assert (again.rows_imported, again.rows_error) == (25, 1)
    assert (
        PushItem.objects.count() == 25 and Person.objects.count() == 0
    )  # issue 11: no person from an import
