"""Medical surveillance figures for the daily report."""

from __future__ import annotations

import datetime

from fangkong.accounts.access import within
from fangkong.clinics.models import FollowUp, SurveillanceRecord
from fangkong.lib.reporting_day import day_end, day_start
from fangkong.regions.models import Region


def registered(region: Region, day: datetime.date, kind: str) -> int:
    """Registrations of `kind` made on `day` by facilities in `region`'s subtree."""
    return SurveillanceRecord.objects.filter(
        within(region), kind=kind, registered_at__gte=day_start(day), registered_at__lt=day_end(day)
    ).count()


def overdue(region: Region, at: datetime.datetime) -> int:
    """Follow-up tasks of `region`'s subtree not done within their 24 hours, as at `at`."""
    return FollowUp.objects.filter(within(region), due_at__lt=at).exclude(done_at__lte=at).count()
