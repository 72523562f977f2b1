"""Periodic supervision work: every hour, tell the units and inspectors about rectification items that passed
their due day unfixed. Idempotent (each item is told once), so a late or restarted consumer catches up."""

from __future__ import annotations

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, lock_task

from fangkong.supervision.actions import do_notify_overdue_items


@db_periodic_task(crontab(minute="9"))
@lock_task("notify_overdue_items")
def notify_overdue_items() -> int:
    return do_notify_overdue_items(timezone.now())
