"""Scheduled reporting work. Each task runs often and calls one action with `now`; the action decides from
`now` (in Asia/Shanghai) whether the 10:00 / 11:30 reminder, the 12:00 sweep or the day-end marking is due
and not yet done, so the consumer's own time zone does not matter."""

from __future__ import annotations

import logging

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, lock_task

from fangkong.reporting.actions import do_deadline_sweep, do_escalate_urgent

log = logging.getLogger(__name__)


@db_periodic_task(crontab(minute="*"))
@lock_task("reporting-deadline-sweep")
def deadline_sweep() -> None:
    result = do_deadline_sweep(timezone.now())
    if result.reminded or any(result.late.values()) or any(result.missing.values()):
        log.info("deadline sweep: %s", result.as_dict())


@db_periodic_task(crontab(minute="*"))
@lock_task("reporting-escalate-urgent")
def escalate_urgent() -> None:
    count = do_escalate_urgent(timezone.now())
    if count:
        log.info("escalated %d urgent reports", count)
