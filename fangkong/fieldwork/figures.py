"""Field-work figures for the daily report and the briefing: `fn(region, day, at) -> int` over `region`'s subtree
(registered in `apps.py`). 消杀面积 (`fieldwork.disinfection_area`) is the daily form's indicator."""

from __future__ import annotations

import datetime

from django.db.models import Sum

from fangkong.accounts.access import within
from fangkong.fieldwork.models import DisinfectionRecord, FieldTask, TaskStatus
from fangkong.regions.models import Region


def disinfection_area(region: Region, day: datetime.date, at: datetime.datetime) -> int:
    """m² disinfected on the Beijing `day`, as recorded by the instant `at`."""
    total = DisinfectionRecord.objects.filter(within(region), day=day, recorded_at__lte=at).aggregate(
        n=Sum("area_m2")
    )["n"]
    return int(total or 0)


def disinfections(region: Region, day: datetime.date, at: datetime.datetime) -> int:
    return DisinfectionRecord.objects.filter(within(region), day=day, recorded_at__lte=at).count()


def tasks_done(region: Region, day: datetime.date, at: datetime.datetime) -> int:
    from fangkong.lib.reporting_day import day_end, day_start

    return FieldTask.objects.filter(
        within(region),
        status=TaskStatus.DONE,
        done_at__gte=day_start(day),
        done_at__lt=day_end(day),
        done_at__lte=at,
    ).count()
