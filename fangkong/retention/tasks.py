"""The retention policy as a scheduled job: offered every hour, it runs once per Beijing day (the first hour after
midnight, 00:19 Beijing time, when nobody files; or the first hour the consumer is up after missing that). Each run is
idempotent, so a missed day is caught up by the next run."""

from __future__ import annotations

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, lock_task

from fangkong.retention.actions import do_apply_retention_once_a_day


@db_periodic_task(crontab(minute="19"))
@lock_task("apply_retention")
def apply_retention() -> int:
    run = do_apply_retention_once_a_day(timezone.now())
    return run.total if run else 0
