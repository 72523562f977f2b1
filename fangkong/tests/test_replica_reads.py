"""Reads from a real PostgreSQL streaming replica (issue 16; `.ci/run-replica` starts one with `.ci/replica`).

Skipped unless DATABASE_REPLICA_URL is set. Under the test runner the `replica` alias is a test mirror of
`default` (fangkong/test_settings.py): Django points it at the test database's name but keeps the replica's
host and port, so `connections["replica"]` is the real standby's copy of the test database, which sees only
what the primary committed and replayed. These tests commit (transaction=True), and a test that wants the
router's replica reads to land on the standby lifts the mirror for its duration.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from typing import Any

import psycopg
import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext

from fangkong.dbrouter import STICKY_COOKIE
from fangkong.regions.models import Region

REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")
PRIMARY_URL = os.environ.get("DATABASE_URL", "")

pytestmark = [
    pytest.mark.skipif(not REPLICA_URL, reason="needs DATABASE_REPLICA_URL (.ci/run-replica)"),
    pytest.mark.django_db(transaction=True, databases=["default", "replica"]),
]


def scalar(alias: str, sql: str) -> Any:
    with connections[alias].cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchone()[0]


def wait_for(check: Callable[[], bool], seconds: float = 20) -> float:
    """Poll until `check()` holds; the seconds it took (the replica's replay lag, seen from here)."""
    start = time.monotonic()
    while not check():
        if time.monotonic() - start > seconds:
            raise AssertionError(f"not replayed within {seconds} s")
        time.sleep(0.02)
    return time.monotonic() - start


def replayed() -> bool:
    """The standby has replayed everything the primary has written so far."""
    target = scalar("default", "SELECT pg_current_wal_lsn()::text")
    return bool(scalar("replica", f"SELECT pg_last_wal_replay_lsn() >= '{target}'::pg_lsn"))


@pytest.fixture(autouse=True)
def seeded(district: Any) -> None:
    # transaction=True tests start from flushed tables: put back what migrations seed (the forms, the sections).
    from fangkong.tests.conftest import ensure_migration_seeds

    ensure_migration_seeds()


@pytest.fixture
def real_replica_reads(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The router's `replica` decisions go to the standby itself, not to the mirrored test database."""
    monkeypatch.setitem(connections["replica"].settings_dict["TEST"], "MIRROR", None)
    yield


@pytest.fixture
def replay_paused() -> Iterator[None]:
    scalar("replica", "SELECT pg_wal_replay_pause()")
    try:
        yield
    finally:
        scalar("replica", "SELECT pg_wal_replay_resume()")


def test_the_replica_is_a_streaming_standby_of_the_primary():
    # Cluster-wide facts: asked of each server's `postgres` database.
    with (
        psycopg.connect(REPLICA_URL, dbname="postgres") as replica,
        psycopg.connect(PRIMARY_URL, dbname="postgres") as primary,
    ):
        assert replica.execute("SELECT pg_is_in_recovery()").fetchone() == (True,)
        assert primary.execute("SELECT pg_is_in_recovery()").fetchone() == (False,)
        states = primary.execute("SELECT state FROM pg_stat_replication").fetchall()
    assert ("streaming",) in states


def test_the_replica_alias_reads_the_standby_and_refuses_writes(district):
    assert scalar("replica", "SELECT pg_is_in_recovery()") is True
    assert scalar("default", "SELECT pg_is_in_recovery()") is False

    wait_for(lambda: Region.objects.using("replica").filter(code=district.village_b.code).exists())

    with pytest.raises(Exception, match="read-only transaction"):
        Region.objects.using("replica").filter(pk=district.village_b.pk).update(name="x")


def test_a_dashboard_reads_the_replica_until_the_user_writes(
    district, cadre_a, client_for, real_replica_reads, replay_paused
):
    """With replay paused, a unit renamed on the primary keeps its old name on the standby: the dashboard shows
    the old name (it read the replica); after the user's own write (a POST) it shows the new one (primary)."""
    # replay_paused is set up after `district` committed, but the pause may come before the replay.
    scalar("replica", "SELECT pg_wal_replay_resume()")
    wait_for(replayed)
    scalar("replica", "SELECT pg_wal_replay_pause()")
    Region.objects.filter(pk=district.village_a.pk).update(name="改名村")
    client = client_for(cadre_a)

    with CaptureQueriesContext(connections["replica"]) as on_replica:
        page = client.get("/dashboards/screening/").content.decode()
    assert "王助村" in page and "改名村" not in page
    assert len(on_replica.captured_queries) > 0

    client.post("/i18n/setlang/", {"language": "zh-hans"})
    assert STICKY_COOKIE in client.cookies
    with CaptureQueriesContext(connections["replica"]) as on_replica:
        page = client.get("/dashboards/screening/").content.decode()
    assert "改名村" in page
    assert on_replica.captured_queries == []


def test_a_write_is_visible_on_the_replica_within_a_second(district):
    wait_for(replayed)
    lags = []
    for n in range(5):
        name = f"新习村{n}"
        Region.objects.filter(pk=district.village_b.pk).update(name=name)
        on_replica = Region.objects.using("replica").filter(name=name)
        lags.append(wait_for(on_replica.exists, seconds=5))
    print(f"replay lag seen by a reader: max {max(lags) * 1000:.0f} ms over {len(lags)} writes")
    assert max(lags) < 1.0
