"""Periodic duty work: record missed check-ins every 10 minutes."""

from __future__ import annotations

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from fangkong.duty.actions import do_record_missed_checkins


@db_periodic_task(crontab(minute="*/10"))
def record_missed_checkins() -> int:
    return do_record_missed_checkins(timezone.now())
