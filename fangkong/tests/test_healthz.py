"""/healthz: the database, the job broker and the consumer's heartbeat, as JSON; 503 only when the
database does not answer."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.db import OperationalError, connection
from django.test import Client
from django.utils import timezone

from fangkong import health, jobruns


def test_it_reports_database_broker_and_a_fresh_heartbeat(db):
    health.record_heartbeat(timezone.now() - datetime.timedelta(seconds=30))
    for (
        task
    ) in jobruns.periodic_tasks():  # every periodic job just ran (tests of jobs: test_periodic_job_runs)
        jobruns.record_start(task.name, timezone.now())
        jobruns.record_end(task.name, timezone.now(), jobruns.Outcome.OK)

    response = Client().get("/healthz")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"]["ok"] and body["broker"]["ok"]
    assert body["consumer"]["ok"] and 25 <= body["consumer"]["age_seconds"] <= 60


def test_a_stale_heartbeat_is_degraded_but_still_200(db):
    health.record_heartbeat(timezone.now())
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=10)):
        response = Client().get("/healthz")

    assert response.status_code == 200
    assert response.json()["status"] == "degraded"
    assert response.json()["consumer"]["ok"] is False


def test_an_unreachable_broker_is_degraded(db, monkeypatch):
    from huey.contrib.djhuey import HUEY

    health.record_heartbeat(timezone.now())

    def down() -> int:
        raise ConnectionError("Error 111 connecting to 127.0.0.1:6379")

    monkeypatch.setattr(HUEY, "pending_count", down)
    body = Client().get("/healthz").json()

    assert body["status"] == "degraded"
    assert body["broker"] == {"ok": False, "backend": type(HUEY).__name__, "error": "ConnectionError"}


@pytest.mark.django_db
def test_a_database_that_fails_is_503(monkeypatch):
    def broken(*args: object, **kwargs: object) -> object:
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", broken)
    response = Client().get("/healthz")

    assert response.status_code == 503
    assert response.json()["status"] == "down"
