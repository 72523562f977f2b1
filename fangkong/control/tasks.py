"""Periodic control work: every hour, release the orders whose protocol is over and whose tests are all
negative, and hold (flag) the others. Idempotent, so a late or restarted consumer catches up."""

from __future__ import annotations

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, lock_task

from fangkong.control.actions import do_release_due


@db_periodic_task(crontab(minute="5"))
@lock_task("release_due_orders")
def release_due_orders() -> tuple[int, int]:
    return do_release_due(timezone.now())
