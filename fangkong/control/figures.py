"""The control figures for the daily report and the briefing: `fn(region, day, at) -> int` over `region`'s
subtree (registered in `apps.py`)."""

from __future__ import annotations

import datetime
from collections.abc import Callable

from fangkong.accounts.access import within
from fangkong.control import days
from fangkong.control.models import ContactKind, ContactLink, ControlOrder, FollowUp, OrderStatus, StageKind
from fangkong.regions.models import Region

Figure = Callable[[Region, datetime.date, datetime.datetime], int]


def under(kind: StageKind) -> Figure:
    def figure(region: Region, day: datetime.date, at: datetime.datetime) -> int:
        return days.kind_counts(ControlOrder.objects.filter(within(region)), day).get(kind.value, 0)

    return figure


def released(region: Region, day: datetime.date, at: datetime.datetime) -> int:
    return ControlOrder.objects.filter(within(region), status=OrderStatus.RELEASED, closed_on=day).count()


def follow_ups_done(region: Region, day: datetime.date, at: datetime.datetime) -> int:
    return FollowUp.objects.filter(within(region), day=day, recorded_at__lte=at).count()


def follow_ups_missed(region: Region, day: datetime.date, at: datetime.datetime) -> int:
    asked, done = days.follow_up_totals(ControlOrder.objects.filter(within(region)), day)
    return asked - done


def alerts(region: Region, day: datetime.date, at: datetime.datetime) -> int:
    return FollowUp.objects.filter(within(region), day=day, alert=True, recorded_at__lte=at).count()


def close_contacts(region: Region, day: datetime.date, at: datetime.datetime) -> int:
    return ContactLink.objects.filter(within(region), kind=ContactKind.CLOSE, created_at__lte=at).count()
