"""Scheduled briefing work: every five minutes, generate today's briefing once its time has passed."""

from __future__ import annotations

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, lock_task

from fangkong.briefing.actions import generate_due_briefings


@db_periodic_task(crontab(minute="*/5"))
@lock_task("briefing-daily")
def generate_daily_briefing() -> int:
    """Runs often so a restart or a changed BRIEFING_TIME is picked up; the action is idempotent.

    The lock keeps a slow generation from overlapping the next run (which would make two versions).
    """
    return len(generate_due_briefings(timezone.now()))
