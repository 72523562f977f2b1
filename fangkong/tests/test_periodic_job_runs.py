"""Issue 20: each periodic job's last run is recorded as it passes through huey, and a job that did not run
when due shows as overdue in /healthz and on the command office's home page."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from fangkong import health, jobruns

SHANGHAI = ZoneInfo("Asia/Shanghai")
# 10:00 Beijing time is 02:00 UTC: the hourly jobs (minute 17, UTC) were last due at 01:17 UTC.
T0 = datetime.datetime(2026, 11, 30, 10, 0, tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def empty_cache() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


def run_every_job(but: str = "") -> None:
    """What the periodic consumer does when jobs are due: huey executes each task and its signals record
    the run — the same path the consumer takes."""
    from huey.contrib.djhuey import HUEY

    for task in jobruns.periodic_tasks():
        if task.name != but:
            HUEY.execute(task)


def jobs(client: Client) -> dict:
    return client.get("/healthz").json()["jobs"]


def test_every_periodic_job_has_a_label():
    names = {task.name for task in jobruns.periodic_tasks()}

    assert names == set(jobruns.LABELS)
    assert len(names) >= 8


def test_a_job_that_ran_is_ok(db):
    with time_machine.travel(T0, tick=False):
        run_every_job()
        health.record_heartbeat(T0)
    with time_machine.travel(T0 + datetime.timedelta(seconds=40), tick=False):
        body = Client().get("/healthz").json()

    assert body["status"] == "ok"
    assert body["jobs"]["ok"] is True and body["jobs"]["overdue"] == []
    sweep = body["jobs"]["runs"]["deadline_sweep"]
    assert sweep["outcome"] == "ok" and sweep["overdue"] is False
    assert datetime.datetime.fromisoformat(sweep["last_started"]) == T0
    assert datetime.datetime.fromisoformat(sweep["last_finished"]) == T0


def test_a_job_whose_schedule_passed_without_a_run_is_overdue(db):
    with time_machine.travel(T0, tick=False):
        run_every_job()
    # 02:12 UTC: every job ran again except the every-minute deadline sweep.
    with time_machine.travel(T0 + datetime.timedelta(minutes=12), tick=False):
        run_every_job(but="deadline_sweep")
        health.record_heartbeat(timezone.now())
        body = Client().get("/healthz").json()

    assert body["status"] == "degraded" and body["jobs"]["ok"] is False
    assert body["jobs"]["overdue"] == ["deadline_sweep"]
    sweep = body["jobs"]["runs"]["deadline_sweep"]
    # Due every minute; the latest due time more than the five minutes' grace ago is 02:06 UTC.
    assert datetime.datetime.fromisoformat(sweep["missed_due"]) == datetime.datetime(
        2026, 11, 30, 2, 6, tzinfo=datetime.UTC
    )
    assert datetime.datetime.fromisoformat(sweep["last_started"]) == T0


def test_an_hourly_job_is_overdue_only_after_its_minute_and_the_grace(db):
    with time_machine.travel(T0, tick=False):  # 02:00 UTC; the hourly jobs are due at minute 17
        run_every_job()

    def overdue_at(minute: int) -> list[str]:
        with time_machine.travel(T0.replace(minute=minute), tick=False):
            run_every_job(but="purge_stored_files")
            return jobs(Client())["overdue"]

    assert overdue_at(16) == []
    assert overdue_at(22) == []  # due at 02:17, still within the five minutes' grace
    assert overdue_at(23) == ["purge_stored_files"]


def test_the_consumer_being_down_shows_every_job_overdue(db):
    with time_machine.travel(T0, tick=False):
        run_every_job()
        health.record_heartbeat(timezone.now())
    with time_machine.travel(T0 + datetime.timedelta(hours=2), tick=False):
        body = Client().get("/healthz").json()

    assert body["status"] == "degraded"
    assert body["consumer"]["ok"] is False
    assert sorted(body["jobs"]["overdue"]) == sorted(jobruns.LABELS)


def test_with_no_consumer_ever_started_every_job_is_overdue(db):
    with time_machine.travel(T0, tick=False):
        assert sorted(jobs(Client())["overdue"]) == sorted(jobruns.LABELS)


def test_a_job_that_never_ran_counts_from_the_consumer_start(db):
    with time_machine.travel(T0, tick=False):
        jobruns.record_consumer_started(timezone.now())
    with time_machine.travel(T0 + datetime.timedelta(minutes=4), tick=False):
        assert jobs(Client())["overdue"] == []  # a fresh install is not red at once
    with time_machine.travel(T0 + datetime.timedelta(minutes=30), tick=False):
        assert sorted(jobs(Client())["overdue"]) == sorted(jobruns.LABELS)


def test_a_job_whose_last_run_failed_is_reported(db, monkeypatch):
    def broken(now: datetime.datetime) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr("fangkong.tasks.record_heartbeat", broken)
    with time_machine.travel(T0, tick=False):
        run_every_job()
        body = jobs(Client())

    assert body["ok"] is False
    assert body["failed"] == ["heartbeat"] and body["overdue"] == []
    assert body["runs"]["heartbeat"]["outcome"] == "error"


def test_a_run_refused_by_its_lock_does_not_count(db):
    from huey.contrib.djhuey import HUEY

    with time_machine.travel(T0, tick=False):
        run_every_job()
    with time_machine.travel(T0 + datetime.timedelta(minutes=12), tick=False):
        with HUEY.lock_task("reporting-deadline-sweep"):
            run_every_job()
        body = jobs(Client())

    assert body["runs"]["deadline_sweep"]["outcome"] == "locked"
    assert body["overdue"] == ["deadline_sweep"]


def test_the_command_office_sees_overdue_jobs_on_the_home_page_in_chinese(db, command_user, cadre_a):
    with time_machine.travel(T0, tick=False):
        run_every_job()
    with time_machine.travel(T0 + datetime.timedelta(minutes=12), tick=False):
        run_every_job(but="deadline_sweep")
        office, cadre = Client(), Client()
        office.force_login(command_user)
        cadre.force_login(cadre_a)
        page = office.get("/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
        cadre_page = cadre.get("/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()

    assert 'data-testid="overdue-jobs"' in page
    assert "日报告截止检查" in page
    assert 'data-testid="overdue-jobs"' not in cadre_page


def test_the_home_page_says_nothing_while_every_job_is_on_time(db, command_user):
    with time_machine.travel(T0, tick=False):
        run_every_job()
        office = Client()
        office.force_login(command_user)
        page = office.get("/").content.decode()

    assert 'data-testid="overdue-jobs"' not in page
