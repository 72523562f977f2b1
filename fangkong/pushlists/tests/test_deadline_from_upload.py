"""The 24 h verification deadline counts from the upload, not from when the import job runs (issue 18):
uploaded at 09:00, imported at 12:00, every item is due at 09:00 the next day; a re-run gives no fresh 24 h."""

from __future__ import annotations

import datetime
from pathlib import Path

from fangkong.pushlists.actions import do_register_batch, run_import
from fangkong.pushlists.models import BatchStatus, PushBatch, PushItem
from fangkong.pushlists.tests.conftest import NOW, sample_rows, write_csv


def test_an_import_run_three_hours_after_the_upload_keeps_the_uploads_deadline(command_user, tmp_path: Path):
    batch, _new = do_register_batch(
        command_user, write_csv(tmp_path / "l.csv", sample_rows()), name="l", now=NOW
    )
    run_import(batch, command_user, NOW + datetime.timedelta(hours=3))
    deadlines = set(PushItem.objects.values_list("deadline_at", flat=True))
    assert deadlines == {NOW + datetime.timedelta(hours=24)}


def test_a_re_run_after_a_failure_gives_no_fresh_24_hours(command_user, tmp_path: Path):
    batch, _new = do_register_batch(
        command_user, write_csv(tmp_path / "l.csv", sample_rows()), name="l", now=NOW
    )
    PushBatch.objects.filter(pk=batch.pk).update(status=BatchStatus.FAILED)
    again, is_new = do_register_batch(
        command_user, Path(batch.file_path), name="l", now=NOW + datetime.timedelta(hours=20)
    )
    assert not is_new
    run_import(again, command_user, NOW + datetime.timedelta(hours=20))
    assert set(PushItem.objects.values_list("deadline_at", flat=True)) == {NOW + datetime.timedelta(hours=24)}
