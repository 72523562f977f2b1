"""Import runs whose job died, re-runs, an unreachable job queue, and the retention of uploaded files."""

from __future__ import annotations

import datetime
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import time_machine
from huey.contrib.djhuey import HUEY

from fangkong.audit.models import AuditAction, AuditEvent
from fangkong.pushlists import runs, tasks
from fangkong.pushlists.actions import do_purge_stored_files, do_recover_stale_imports
from fangkong.pushlists.models import BatchStatus, PushBatch, PushItem
from fangkong.pushlists.tests.conftest import NOW, sample_rows, write_csv


@pytest.fixture(autouse=True)
def own_var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path / "var"
    settings.MEDIA_ROOT = tmp_path / "var" / "media"


def _killed_mid_run(batch: PushBatch) -> None:
    """What a consumer killed during the import leaves: the batch `running` (and, were the import not one
    transaction, some of its rows)."""
    PushBatch.objects.filter(pk=batch.pk).update(status=BatchStatus.RUNNING, finished_at=None)


def _events(batch: PushBatch) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(object_uuid=batch.uuid).order_by("id"))


def test_a_running_batch_whose_run_died_is_failed_and_its_rows_removed(district, import_file, tmp_path):
    batch = import_file(write_csv(tmp_path / "l.csv", sample_rows()))
    _killed_mid_run(batch)

    recovered = do_recover_stale_imports(NOW)

    batch.refresh_from_db()
    assert [b.pk for b in recovered] == [batch.pk]
    assert batch.status == BatchStatus.FAILED and "interrupted" in batch.failure
    assert not PushItem.objects.filter(batch=batch).exists()
    assert _events(batch)[-1].changes == {"status": ["running", "failed"]}


def test_a_batch_running_in_another_process_is_left_alone(district, import_file, tmp_path):
    batch = import_file(write_csv(tmp_path / "l.csv", sample_rows()))
    _killed_mid_run(batch)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import fcntl, os, sys, time\n"
            "fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT)\n"
            "fcntl.flock(fd, fcntl.LOCK_EX)\n"
            "print('held', flush=True)\n"
            "time.sleep(60)\n",
            str(runs._path(batch.uuid)),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"

        assert do_recover_stale_imports(NOW) == []
        batch.refresh_from_db()
        assert batch.status == BatchStatus.RUNNING

        # Killed with SIGKILL: nothing runs in that process, but the kernel releases its lock.
        holder.send_signal(signal.SIGKILL)
        holder.wait()
        assert [b.pk for b in do_recover_stale_imports(NOW)] == [batch.pk]
    finally:
        if holder.poll() is None:
            holder.kill()
            holder.wait()


def test_a_run_already_holding_the_lock_is_not_started_twice(district, import_file, tmp_path):
    path = write_csv(tmp_path / "l.csv", sample_rows())
    batch = import_file(path)
    PushItem.objects.filter(batch=batch).delete()
    PushBatch.objects.filter(pk=batch.pk).update(status=BatchStatus.QUEUED)

    with runs.run_lock(batch.uuid) as held:
        assert held
        again = import_file(path)
        assert again.status == BatchStatus.QUEUED and not PushItem.objects.filter(batch=batch).exists()


def test_the_consumer_recovers_interrupted_imports_when_it_starts(district, import_file, tmp_path):
    batch = import_file(write_csv(tmp_path / "l.csv", sample_rows()))
    _killed_mid_run(batch)

    for hook in HUEY._startup.values():  # what each consumer worker runs as it starts
        hook()

    batch.refresh_from_db()
    assert batch.status == BatchStatus.FAILED


def test_a_recovered_batch_runs_again_from_its_page_with_an_audit_row(
    district, import_file, command_user, client_for, tmp_path
):
    batch = import_file(write_csv(tmp_path / "l.csv", sample_rows()))
    _killed_mid_run(batch)
    do_recover_stale_imports(NOW)

    response = client_for(command_user).post(f"/push-lists/batches/{batch.uuid}/rerun/")

    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.status == BatchStatus.DONE and PushItem.objects.filter(batch=batch).count() == 4
    rerun = [e for e in _events(batch) if e.actor_id == command_user.pk and e.action == AuditAction.UPDATE]
    assert rerun and rerun[0].changes == {"status": ["failed", "queued"]}


def test_an_upload_that_cannot_be_queued_says_so_and_can_be_queued_again(
    district, command_user, client_for, tmp_path, monkeypatch
):
    def broker_down(*args: object) -> None:
        raise ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(tasks, "import_batch", broker_down)
    client = client_for(command_user)
    path = write_csv(tmp_path / "l.csv", sample_rows())
    with path.open("rb") as fh:
        response = client.post(
            "/push-lists/upload/", {"file": fh, "name": "n", "deadline_hours": 24}, follow=True
        )

    assert response.status_code == 200
    assert "导入未能加入任务队列" in response.content.decode()
    batch = PushBatch.objects.get()
    assert batch.status == BatchStatus.FAILED

    monkeypatch.undo()
    client.post(f"/push-lists/batches/{batch.uuid}/rerun/")
    batch.refresh_from_db()
    assert batch.status == BatchStatus.DONE


def test_uploaded_files_are_deleted_after_their_retention(district, import_file, tmp_path, settings):
    settings.PUSHLIST_KEEP_IMPORTED_DAYS, settings.PUSHLIST_KEEP_FAILED_DAYS = 1, 7
    done = import_file(write_csv(tmp_path / "done.csv", sample_rows()))
    failed = import_file(write_csv(tmp_path / "failed.csv", [["x"]], header=["nothing"]))
    assert failed.status == BatchStatus.FAILED
    stored_done, stored_failed = Path(done.file_path), Path(failed.file_path)
    assert stored_done.exists() and stored_failed.exists()
    assert stored_done.stat().st_mode & 0o077 == 0  # full ID numbers: not readable by other accounts

    assert do_purge_stored_files(NOW + datetime.timedelta(hours=23)) == 0
    assert do_purge_stored_files(NOW + datetime.timedelta(days=1, minutes=1)) == 1
    assert not stored_done.exists() and stored_failed.exists()
    assert do_purge_stored_files(NOW + datetime.timedelta(days=7, minutes=1)) == 1
    assert not stored_failed.exists()

    for batch in (done, failed):
        batch.refresh_from_db()
        assert batch.file_path == ""
        assert _events(batch)[-1].action == AuditAction.OTHER


def test_a_failed_batch_whose_file_was_deleted_asks_for_the_file_again(
    district, import_file, command_user, client_for, tmp_path
):
    path = write_csv(tmp_path / "l.csv", sample_rows())
    batch = import_file(path)
    PushItem.objects.filter(batch=batch).delete()
    PushBatch.objects.filter(pk=batch.pk).update(status=BatchStatus.FAILED, finished_at=NOW)
    do_purge_stored_files(NOW + datetime.timedelta(days=8))

    with time_machine.travel(NOW + datetime.timedelta(days=8)):
        response = client_for(command_user).post(f"/push-lists/batches/{batch.uuid}/rerun/", follow=True)
    assert "上传的文件已不再保留" in response.content.decode()

    again = import_file(path)  # the same bytes uploaded again: the batch takes the new copy
    assert again.pk == batch.pk and again.status == BatchStatus.DONE
