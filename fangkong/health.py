"""`/healthz`: what a load balancer and a monitor need to know, as JSON.

- `database`: a `SELECT 1` (with the request's statement timeout) — the only check that sets the HTTP
  status: 200 when the database answers, 503 when it does not, so a load balancer takes a web server out
  of rotation only when it cannot serve pages.
- `broker`: the job queue (Redis, or SQLite under var/) answers and how many jobs wait.
- `consumer`: the last heartbeat of a job consumer (`fangkong.tasks.heartbeat`, every minute), its age in
  seconds, and `ok` while it is younger than `CONSUMER_HEARTBEAT_STALE_SECONDS`.
- `jobs`: each periodic job's last run (start, end, outcome) and whether it is overdue — due more than
  five minutes ago with no run since (fangkong/jobruns.py); `ok` while none is overdue or failed its last run.
`status` is `ok` when all four are, `degraded` when the database is up but jobs are not, `down` otherwise.
"""

from __future__ import annotations

import datetime
import logging
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from fangkong import jobruns
from fangkong.lib.web import public

log = logging.getLogger(__name__)
HEARTBEAT_KEY = "fangkong:consumer-heartbeat"


def record_heartbeat(now: datetime.datetime) -> None:
    cache.set(HEARTBEAT_KEY, now.isoformat(), timeout=None)


def _database() -> dict[str, Any]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any driver error means the same thing here: not serving
        return {"ok": False, "error": type(exc).__name__}
    return {"ok": True, "vendor": connection.vendor}


def _broker() -> dict[str, Any]:
    from huey.contrib.djhuey import HUEY

    try:
        pending = HUEY.pending_count()
    except Exception as exc:  # redis.ConnectionError, sqlite3.OperationalError
        return {"ok": False, "backend": type(HUEY).__name__, "error": type(exc).__name__}
    return {"ok": True, "backend": type(HUEY).__name__, "pending": pending}


def _consumer(now: datetime.datetime) -> dict[str, Any]:
    try:
        raw = cache.get(HEARTBEAT_KEY)
    except Exception as exc:  # the shared cache is Redis when the broker is: it may be down as well
        return {"ok": False, "error": type(exc).__name__}
    if not raw:
        return {"ok": False, "last_heartbeat": None}
    last = datetime.datetime.fromisoformat(raw)
    age = (now - last).total_seconds()
    return {
        "ok": age <= settings.CONSUMER_HEARTBEAT_STALE_SECONDS,
        "last_heartbeat": raw,
        "age_seconds": round(age),
    }


def _jobs(now: datetime.datetime) -> dict[str, Any]:
    try:
        statuses = jobruns.job_statuses(now)
    except Exception as exc:  # the shared cache is Redis when the broker is: it may be down as well
        return {"ok": False, "error": type(exc).__name__}
    overdue = [job.name for job in statuses if job.overdue]
    failed = [job.name for job in statuses if job.outcome == jobruns.Outcome.ERROR]
    return {
        "ok": not overdue and not failed,
        "overdue": overdue,
        "failed": failed,
        "runs": {job.name: job.as_json() for job in statuses},
    }


@public
@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    now = timezone.now()
    database = _database()
    broker = _broker()
    consumer = _consumer(now)
    jobs = _jobs(now)
    if not database["ok"]:
        status = "down"
    elif broker["ok"] and consumer["ok"] and jobs["ok"]:
        status = "ok"
    else:
        status = "degraded"
    body = {"status": status, "database": database, "broker": broker, "consumer": consumer, "jobs": jobs}
    return JsonResponse(body, status=200 if database["ok"] else 503)
