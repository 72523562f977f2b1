"""Checkpoint figures for the daily report and the checkpoint page: read from the per-day counters."""

from __future__ import annotations

import datetime

from django.db.models import Sum

from fangkong.accounts.access import within
from fangkong.checkpoints.models import FIGURE_FIELDS, CrossingDay, ShiftStart
from fangkong.regions.models import Region


def total(region: Region, day: datetime.date, figure: str) -> int:
    """A figure (`people`, `vehicles`, `fevers` …) of `day` summed over the checkpoints of `region`'s subtree."""
    if figure not in FIGURE_FIELDS:
        raise ValueError(figure)
    value = CrossingDay.objects.filter(within(region), day=day).aggregate(n=Sum(figure))["n"]
    return int(value or 0)


def manned(region: Region, day: datetime.date) -> int:
    """在岗卡口数: checkpoints of `region`'s subtree where a shift was started (equipment confirmed) on `day`."""
    return (
        ShiftStart.objects.filter(within(region), day=day).order_by().values("checkpoint").distinct().count()
    )
