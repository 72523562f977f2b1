"""Figures the daily report reads: small functions over a region's subtree, one query each."""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.db.models import Count, Exists, OuterRef, Q

from fangkong.lib.reporting_day import SHANGHAI, day_end
from fangkong.people.models import Person
from fangkong.regions.models import Region, path_prefix
from fangkong.regions.queries import cached_until_change
from fangkong.screening.models import Channel, ReturneeReport


def _in(region: Region) -> Q:
    """Reports whose destination lies in `region` (the path copied on the report: no join, an index)."""
    return path_prefix("region_path", region.path)


def returnees_registered(region: Region, day: datetime.date) -> int:
    """Returnees first reported on `day` (Beijing time) in `region`: a second report of the same person
    (the other channel of 双报告) does not count again."""
    start = datetime.datetime.combine(day, datetime.time(0, 0), tzinfo=SHANGHAI)
    earlier = ReturneeReport.objects.filter(person=OuterRef("person"), created_at__lt=start)
    return (
        ReturneeReport.objects.filter(_in(region), created_at__gte=start, created_at__lt=day_end(day))
        .exclude(Exists(earlier))
        .values("person")
        .distinct()
        .count()
    )


def _person_active() -> Q:
    """The report's person is active, said as "not among the deactivated": those are few and indexed
    (`person_inactive_idx`), so the figure stays on the reports table; joining the active people made
    PostgreSQL scan every person of the city."""
    return ~Q(person__in=Person.objects.filter(is_active=False).values("pk"))


def returnees_under_control(region: Region) -> int:
    """Returnees in `region` whose proposed measure is a control measure (not 无需管控)."""
    return (
        ReturneeReport.objects.filter(_in(region), _person_active(), proposed_measure__is_control=True)
        .order_by()
        .values("person")
        .distinct()
        .count()
    )


def double_report_incomplete(region: Region) -> int:
    """Returnees in `region` missing the self-report or the grid report (of either channel, anywhere).

    One grouped pass over the (person, channel) index for the people reported in `region`, instead of two
    correlated probes per report (which read the city's 300,000 reports twice)."""
    reported_here = ReturneeReport.objects.filter(_in(region), _person_active()).order_by().values("person")
    return (
        ReturneeReport.objects.filter(person__in=reported_here)
        .order_by()
        .values("person")
        .annotate(channels=Count("channel", distinct=True))
        .filter(channels__lt=len(Channel))
        .count()
    )


def standing(figure: Callable[[Region], int]) -> Callable[[Region, datetime.date, datetime.datetime], int]:
    """`figure` as a daily-report source (region, day, at): counted as it is now, kept until the next change
    of reports or people (`cached_until_change`)."""

    def source(region: Region, day: datetime.date, at: datetime.datetime) -> int:
        key = f"screening:figure:{figure.__name__}:{region.pk}"
        return cached_until_change(key, lambda: figure(region), also=[ReturneeReport, Person])

    return source


def returnees_verified(region: Region, day: datetime.date) -> int:
    """Returnees a grid worker or village cadre checked in person on `day` (a grid report that day): the
    self-report alone is what people say; the grid report is the verification."""
    start = datetime.datetime.combine(day, datetime.time(0, 0), tzinfo=SHANGHAI)
    return (
        ReturneeReport.objects.filter(
            _in(region), channel=Channel.GRID, created_at__gte=start, created_at__lt=day_end(day)
        )
        .values("person")
        .distinct()
        .count()
    )
