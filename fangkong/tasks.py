"""Project-wide jobs: the consumer's heartbeat, read by `/healthz` (fangkong/health.py), and the record of
every periodic job's runs (fangkong/jobruns.py)."""

from __future__ import annotations

import logging
from typing import Any

from django.utils import timezone
from huey import crontab, signals
from huey.api import PeriodicTask
from huey.contrib.djhuey import HUEY, db_periodic_task, on_startup

from fangkong import jobruns
from fangkong.health import record_heartbeat

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


@HUEY.signal(signals.SIGNAL_EXECUTING, *_ENDINGS)
def record_periodic_run(signal: str, task: Any, *args: Any) -> None:
    """Every periodic job passes here as it starts and ends: one place records them all (issue 20)."""
    if not isinstance(task, PeriodicTask):
        return
    try:
        if signal == signals.SIGNAL_EXECUTING:
            jobruns.record_start(task.name, timezone.now())
        else:
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
