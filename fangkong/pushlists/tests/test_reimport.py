"""The same file imported twice creates nothing new; a file is identified by its SHA-256."""

from __future__ import annotations

import shutil

from fangkong.people.models import Person
from fangkong.pushlists.models import PushBatch, PushItem
from fangkong.pushlists.tests.conftest import sample_rows, write_csv


def test_importing_the_same_file_twice_creates_nothing_new(district, import_file, tmp_path):
    path = write_csv(tmp_path / "list.csv", sample_rows())
    first = import_file(path)
    counts = (PushBatch.objects.count(), PushItem.objects.count(), Person.objects.count())

    copy = tmp_path / "renamed.csv"
    shutil.copyfile(path, copy)
    second = import_file(copy)

    assert second.pk == first.pk
    assert (PushBatch.objects.count(), PushItem.objects.count(), Person.objects.count()) == counts


def test_rows_have_a_stable_key_across_imports_of_the_same_content(
    district, import_file, tmp_path, command_user
):
    first = import_file(write_csv(tmp_path / "a.csv", sample_rows()))
    keys = list(PushItem.objects.filter(batch=first).values_list("row_key", flat=True))
    # The same rows with one more at the end: a different file, so a new batch, but the same row keys.
    rows = [*sample_rows(), ["新人", "", "13700001111", "", "", "王助镇", ""]]
    second = import_file(write_csv(tmp_path / "b.csv", rows))

    assert second.pk != first.pk
    assert list(PushItem.objects.filter(batch=second).values_list("row_key", flat=True))[:4] == keys
    assert Person.objects.count() == 0  # issue 11: an import stores leads and creates no person
