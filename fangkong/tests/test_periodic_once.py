"""Several huey consumers (issue 16): each consumer started with periodic jobs enqueues every job when it is due,
so two consumers enqueue two copies — the job still runs once per due time (fangkong/tasks.py,
`PeriodicClaim`). Immediate mode, which has no consumers, claims nothing."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

import pytest
import time_machine
from django.core.cache import cache
from huey.contrib import djhuey
from huey.contrib.djhuey import HUEY

from fangkong import jobruns, tasks
from fangkong.models import KEEP_CLAIMS, PeriodicClaim

# 02:17:05 UTC: the every-minute heartbeat and the hourly jobs at minute 17 are due.
T0 = datetime.datetime(2026, 11, 30, 2, 17, 5, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def like_a_consumer(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Run tasks as a consumer does (the test settings run them immediately, claiming nothing). A consumer also
    closes stale connections around each job; inside a test's transaction that would close the test's own
    connection (on PostgreSQL the test's rows then outlive it), so that part is left out here."""
    monkeypatch.setattr(HUEY, "_immediate", False)
    monkeypatch.setattr(djhuey, "close_old_connections", lambda: None)
    monkeypatch.setattr(tasks, "close_old_connections", lambda: None)
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def beats(monkeypatch: pytest.MonkeyPatch) -> list[datetime.datetime]:
    """Each time the heartbeat job's body really ran."""
    ran: list[datetime.datetime] = []
    monkeypatch.setattr(tasks, "record_heartbeat", ran.append)
    return ran


def copy_of(name: str):
    """A fresh copy of a periodic job, as each consumer's scheduler enqueues one."""
    return next(task for task in jobruns.periodic_tasks() if task.name == name)


def test_two_consumers_copies_of_a_job_run_it_once_per_due_time(db, beats):
    with time_machine.travel(T0, tick=False):
        HUEY.execute(copy_of("heartbeat"))
    # The other consumer's copy, picked up a few seconds later in the same minute.
    with time_machine.travel(T0 + datetime.timedelta(seconds=20), tick=False):
        HUEY.execute(copy_of("heartbeat"))

    assert len(beats) == 1
    claim = PeriodicClaim.objects.get(job="heartbeat")
    assert claim.due == T0.replace(second=0)

    # The next minute is a new due time: it runs again, once.
    with time_machine.travel(T0 + datetime.timedelta(minutes=1), tick=False):
        HUEY.execute(copy_of("heartbeat"))
        HUEY.execute(copy_of("heartbeat"))
    assert len(beats) == 2


def test_an_hourly_job_run_late_still_counts_for_its_due_time(db):
    name = "purge_stored_files"  # minute 17
    with time_machine.travel(T0, tick=False):
        HUEY.execute(copy_of(name))
    # The second copy waited behind an import for ten minutes: its due time is still 02:17.
    with time_machine.travel(T0 + datetime.timedelta(minutes=10), tick=False):
        HUEY.execute(copy_of(name))

    assert PeriodicClaim.objects.filter(job=name).count() == 1
    record = cache.get(jobruns.RUN_KEY.format(name))
    # The turned-away copy left no trace: the run recorded is the first one, finished and ok.
    assert record["started"] == T0.isoformat() and record["outcome"] == jobruns.Outcome.OK


def test_the_refused_copy_does_not_touch_the_record_of_the_run(db, beats):
    with time_machine.travel(T0, tick=False):
        HUEY.execute(copy_of("heartbeat"))
    before = cache.get(jobruns.RUN_KEY.format("heartbeat"))
    with time_machine.travel(T0 + datetime.timedelta(seconds=30), tick=False):
        HUEY.execute(copy_of("heartbeat"))

    assert cache.get(jobruns.RUN_KEY.format("heartbeat")) == before
    assert before["outcome"] == jobruns.Outcome.OK


def test_old_claims_are_removed_as_new_ones_are_made(db):
    PeriodicClaim.objects.create(job="heartbeat", due=T0 - KEEP_CLAIMS * 2, claimed_at=T0, consumer="old")
    PeriodicClaim.objects.create(
        job="heartbeat", due=T0 - datetime.timedelta(hours=1), claimed_at=T0, consumer="x"
    )

    assert PeriodicClaim.claim("heartbeat", T0.replace(second=0), T0)
    assert not PeriodicClaim.claim("heartbeat", T0.replace(second=0), T0)

    assert not PeriodicClaim.objects.filter(consumer="old").exists()
    assert PeriodicClaim.objects.count() == 2


def test_immediate_mode_claims_nothing(db, beats, monkeypatch):
    monkeypatch.setattr(HUEY, "_immediate", True)
    with time_machine.travel(T0, tick=False):
        HUEY.execute(copy_of("heartbeat"))
        HUEY.execute(copy_of("heartbeat"))

    assert len(beats) == 2
    assert not PeriodicClaim.objects.exists()


def test_the_due_time_is_the_latest_minute_the_crontab_matched():
    assert jobruns.latest_due(copy_of("heartbeat"), T0) == T0.replace(second=0)
    assert jobruns.latest_due(
        copy_of("purge_stored_files"), T0 + datetime.timedelta(minutes=50)
    ) == T0.replace(second=0)
