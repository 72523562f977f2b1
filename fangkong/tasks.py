"""Project-wide jobs: the consumer's heartbeat, read by `/healthz` (fangkong/health.py), the record of
every periodic job's runs (fangkong/jobruns.py), and one run per due time however many consumers enqueue a job."""

from __future__ import annotations

import logging
from typing import Any

from django.db import close_old_connections
from django.utils import timezone
from huey import crontab, signals
from huey.api import PeriodicTask
from huey.contrib.djhuey import HUEY, db_periodic_task, on_startup
from huey.exceptions import CancelExecution

from fangkong import jobruns
from fangkong.health import record_heartbeat
from fangkong.models import PeriodicClaim

log = logging.getLogger(__name__)

# The signals that end a run (huey sends exactly one of them after EXECUTING) and what each means.
_ENDINGS = {
    signals.SIGNAL_COMPLETE: jobruns.Outcome.OK,
    signals.SIGNAL_ERROR: jobruns.Outcome.ERROR,
    signals.SIGNAL_TIMEOUT: jobruns.Outcome.ERROR,
    signals.SIGNAL_CANCELED: jobruns.Outcome.ERROR,
    signals.SIGNAL_LOCKED: jobruns.Outcome.LOCKED,
    signals.SIGNAL_INTERRUPTED: jobruns.Outcome.INTERRUPTED,
}


# Set on the copy of a periodic job another consumer already ran for its due time: it is no run at all.
DUPLICATE = "fangkong_duplicate"


@HUEY.pre_execute()
def run_periodic_once(task: Any) -> None:
    """Every consumer started with periodic jobs enqueues each job when it is due, so with two consumers two
    copies of it arrive: the first to claim (job, due time) in the database runs, the other is cancelled and
    leaves no record. Then records the start of the run (issue 20). Immediate mode (tests, HUEY_IMMEDIATE) has
    no consumers and claims nothing: a job called twice runs twice."""
    if not isinstance(task, PeriodicTask):
        return
    now = timezone.now()
    if not HUEY.immediate:
        close_old_connections()  # as the job's own wrapper does: a connection the database dropped is renewed
        due = jobruns.latest_due(task, now)
        if due is not None and not PeriodicClaim.claim(task.name, due, now):
            log.info("%s for %s already run by another consumer: skipped", task.name, due.isoformat())
            setattr(task, DUPLICATE, True)
            raise CancelExecution(retry=False)
    try:
        jobruns.record_start(task.name, now)
    except Exception as exc:  # the cache is Redis when the broker is; the job itself must still run
        log.warning("run of %s not recorded: %s", task.name, exc)


@HUEY.signal(*_ENDINGS)
def record_periodic_run(signal: str, task: Any, *args: Any) -> None:
    """Every periodic job passes here as it ends: one place records them all (issue 20); its start is recorded
    by `run_periodic_once`."""
    if not isinstance(task, PeriodicTask) or getattr(task, DUPLICATE, False):
        return
    try:
        jobruns.record_end(task.name, timezone.now(), _ENDINGS[signal])
    except Exception as exc:  # the cache is Redis when the broker is; the job itself must still run
        log.warning("run of %s not recorded: %s", task.name, exc)


@db_periodic_task(crontab(minute="*"))
def heartbeat() -> None:
    """Every minute: a job went through the queue and ran, so the consumer and the broker both work."""
    record_heartbeat(timezone.now())


@on_startup()
def heartbeat_on_startup() -> None:
    try:
        now = timezone.now()
        record_heartbeat(now)
        jobruns.record_consumer_started(now)
    except Exception as exc:  # the cache is Redis when the broker is; the periodic beat catches up
        log.warning("consumer heartbeat not recorded at start-up: %s", exc)
