"""Push-list figures for the daily report (reporting reads these; it does not import the models).

Each counts items in the subtree of `region`: received on a Beijing day (from imported batches),
verified on a Beijing day, and overdue at an instant (pending past the deadline, counted against the
unit holding the item).
"""

from __future__ import annotations

import datetime

from django.db.models import Q

from fangkong.lib.reporting_day import day_end
from fangkong.pushlists.models import BatchStatus, PushItem
from fangkong.regions.models import Region


def _day_bounds(day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    return day_end(day - datetime.timedelta(days=1)), day_end(day)


def items_received(region: Region, day: datetime.date) -> int:
    start, end = _day_bounds(day)
    return (
        PushItem.objects.within(region)
        .filter(batch__status=BatchStatus.DONE, batch__created_at__gte=start, batch__created_at__lt=end)
        .count()
    )


def items_verified(region: Region, day: datetime.date) -> int:
    start, end = _day_bounds(day)
    return PushItem.objects.within(region).filter(verified_at__gte=start, verified_at__lt=end).count()


def items_overdue(region: Region, at: datetime.datetime) -> int:
    """Items imported by `at`, past their deadline at `at` and not verified by then: the figure as it was
    at that instant, so a past day's figure does not change when items are verified afterwards."""
    return (
        PushItem.objects.within(region)
        .filter(batch__status=BatchStatus.DONE, batch__finished_at__lte=at, deadline_at__lt=at)
        .filter(Q(outcome="") | Q(verified_at__gt=at))
        .count()
    )
