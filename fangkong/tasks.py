"""Project-wide jobs: the consumer's heartbeat, read by `/healthz` (fangkong/health.py)."""

from __future__ import annotations

import logging

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, on_startup

from fangkong.health import record_heartbeat

log = logging.getLogger(__name__)


@db_periodic_task(crontab(minute="*"))
def heartbeat() -> None:
    """Every minute: a job went through the queue and ran, so the consumer and the broker both work."""
    record_heartbeat(timezone.now())


@on_startup()
def heartbeat_on_startup() -> None:
    try:
        record_heartbeat(timezone.now())
    except Exception as exc:  # the cache is Redis when the broker is; the periodic beat catches up
        log.warning("consumer heartbeat not recorded at start-up: %s", exc)
