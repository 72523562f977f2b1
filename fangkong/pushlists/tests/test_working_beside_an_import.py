"""Working beside an import (issue 11): the import commits chunk by chunk with the batch invisible until its
final commit; a killed run's rows are removed when it is marked failed and the import runs again; on SQLite a
login during an import answers within the limit (1.5 s)."""

from __future__ import annotations

import csv
import datetime
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from fangkong.pushlists import importer
from fangkong.pushlists.access import items_for
from fangkong.pushlists.actions import (
    do_import_push_list,
    do_recover_stale_imports,
    do_rerun_batch,
    run_import,
)
from fangkong.pushlists.models import BatchStatus, PushBatch, PushErrorRow, PushItem
from fangkong.pushlists.tests.conftest import HEADER, NOW, id_number, write_csv

pytestmark = pytest.mark.django_db(transaction=True)
LIMIT_SECONDS = 1.5


class Killed(BaseException):
    """What SIGKILL looks like from inside: nothing of the import's own error handling runs."""


def _rows(n: int) -> list[list[str]]:
    rows = [[f"人{i}", id_number(i), "", "", "", "王助镇", ""] for i in range(1, n + 1)]
    rows.append(["坏", "123", "", "", "", "", ""])
    return rows


def test_a_running_batch_is_invisible_and_a_killed_one_is_cleaned_and_runs_again(
    district, command_user, cadre_a, tmp_path, monkeypatch
):
    path = write_csv(tmp_path / "list.csv", _rows(25))
    monkeypatch.setattr(importer, "CHUNK", 10)
    real_load = importer.Importer._load
    seen: dict[str, int] = {}

    def killed_in_the_second_chunk(self: importer.Importer, good: list) -> None:
        if self.counts.rows_imported == 10:
            # The first chunk is committed, yet no one sees it while the batch runs.
            seen["stored"] = PushItem.objects.count()
            seen["visible"] = items_for(command_user).count() + items_for(cadre_a).count()
            raise Killed
        real_load(self, good)

    monkeypatch.setattr(importer.Importer, "_load", killed_in_the_second_chunk)
    with pytest.raises(Killed):
        do_import_push_list(command_user, path, "list", NOW)

    assert seen == {"stored": 10, "visible": 0}
    batch = PushBatch.objects.get()
    assert batch.status == BatchStatus.RUNNING  # its process died: nobody marked it
    assert PushItem.objects.count() == 10

    assert do_recover_stale_imports(NOW) == [batch]
    batch.refresh_from_db()
    assert batch.status == BatchStatus.FAILED
    assert (PushItem.objects.count(), PushErrorRow.objects.count()) == (0, 0)

    monkeypatch.setattr(importer.Importer, "_load", real_load)
    again = run_import(do_rerun_batch(command_user, batch, NOW), command_user, NOW)
    assert again.status == BatchStatus.DONE
    assert (again.rows_imported, again.rows_error, PushItem.objects.count()) == (25, 1, 25)
    assert items_for(cadre_a).count() == 25


def test_a_failed_run_removes_its_committed_chunks_before_it_is_marked_failed(
    district, command_user, tmp_path, monkeypatch
):
    path = write_csv(tmp_path / "list.csv", _rows(25))
    monkeypatch.setattr(importer, "CHUNK", 10)
    monkeypatch.setattr("fangkong.pushlists.actions.REMOVE_CHUNK", 3)  # several delete transactions
    real_load = importer.Importer._load

    def fails_in_the_third_chunk(self: importer.Importer, good: list) -> None:
        if self.counts.rows_imported == 20:
            raise RuntimeError("disk full")
        real_load(self, good)

    monkeypatch.setattr(importer.Importer, "_load", fails_in_the_third_chunk)
    with pytest.raises(RuntimeError):
        do_import_push_list(command_user, path, "list", NOW)

    batch = PushBatch.objects.get()
    assert batch.status == BatchStatus.FAILED and "disk full" in batch.failure
    assert (PushItem.objects.count(), PushErrorRow.objects.count()) == (0, 0)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's single write lock")
def test_a_login_during_an_import_answers_within_the_limit(district, command_user, tmp_path):
    """A real import in its own process against a file database (WAL, as in production), and logins from
    another process while it runs: each login writes (session, last login, audit) and must not wait for the
    import to end."""
    database = tmp_path / "beside.sqlite3"
    with connection.cursor() as cursor:
        cursor.execute("VACUUM INTO %s", [str(database)])  # the migrated test schema with the personas
    rows = 60_000
    source = tmp_path / "big.csv"
    with source.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADER)
        for i in range(rows):
            born = datetime.date(1950 + i // 1000, 1, 1)
            town = "王助镇" if i % 2 else "新习镇"
            writer.writerow(
                [f"人{i}", id_number(i % 1000, born), f"139{i:08d}", "南京", "2021-08-01", town, ""]
            )
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "FANGKONG_VAR_DIR": str(tmp_path / "var"),
        "DJANGO_SETTINGS_MODULE": "fangkong.test_settings",
    }
    root = Path(settings.BASE_DIR)
    probe = subprocess.Popen(
        [sys.executable, str(Path(__file__).with_name("login_probe.py")), "zhihuibu", "pw-zhihuibu", "300"],
        cwd=root,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert probe.stdout is not None
    assert probe.stdout.readline().strip() == "ready", probe.communicate()
    importing = subprocess.run(
        [sys.executable, "manage.py", "import_push_list", str(source), "--user", "zhihuibu"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    out, err = probe.communicate(timeout=300)
    assert importing.returncode == 0, importing.stderr[-2000:]
    figures = json.loads(out.strip().splitlines()[-1])
    assert figures.get("logins_during_import", 0) >= 1, (figures, err[-2000:])
    assert figures["worst_seconds"] <= LIMIT_SECONDS, figures
    with sqlite3.connect(database) as db:
        assert db.execute("SELECT status, rows_imported FROM pushlists_pushbatch").fetchone() == (
            "done",
            rows,
        )
