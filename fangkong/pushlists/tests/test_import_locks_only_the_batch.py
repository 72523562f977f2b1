"""An import holds no row lock for its run: the county's region row and the batch row stay free, so a second
upload (and anything else that locks them) does not wait for the import to finish; two runs of one batch are
kept apart by the run lock and the claim of the batch. PostgreSQL (SQLite has no row locks).

(Issue 11 changed the expectation for the batch row: the import commits chunk by chunk instead of holding
one transaction with the batch row locked.)"""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections, transaction

from fangkong.pushlists import actions
from fangkong.pushlists.models import PushBatch
from fangkong.pushlists.tests.conftest import NOW, sample_rows, write_csv
from fangkong.regions.models import Region

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks: PostgreSQL only")


@pytest.mark.django_db(transaction=True)
def test_the_region_row_is_not_locked_while_a_batch_imports(district, command_user, tmp_path, monkeypatch):
    path = write_csv(tmp_path / "l.csv", sample_rows())
    batch, _new = actions.do_register_batch(command_user, path, name="l", now=NOW)
    inside, release = threading.Event(), threading.Event()
    real_open = actions.open_push_list

    def pause_while_locked(p):  # called inside _load_batch, once the batch is claimed
        inside.set()
        release.wait(30)
        return real_open(p)

    monkeypatch.setattr(actions, "open_push_list", pause_while_locked)

    def run() -> None:
        try:
            actions.run_import(batch, command_user, batch.created_at)
        finally:
            connections.close_all()

    importer = threading.Thread(target=run)
    importer.start()
    try:
        assert inside.wait(30)
        with transaction.atomic():
            # NOWAIT: an error at once if the import held the region row.
            county = Region.objects.select_for_update(nowait=True).get(pk=batch.region_id)
            assert county.pk == district.county.pk
            claimed = PushBatch.objects.select_for_update(nowait=True).get(pk=batch.pk)
            assert claimed.status == "running"
    finally:
        release.set()
        importer.join(60)
    batch.refresh_from_db()
    assert batch.status == "done"
