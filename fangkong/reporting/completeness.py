"""Completeness and timeliness (报送率) per unit group and period, computed by the database in a few queries.

A submitted report's status was fixed at submission; a unit without one is pending, late or missing by the
clock (`status_at`), so the figures are right even before the sweep has written its placeholder rows.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, When
from django.db.models.functions import TruncDate

from fangkong.accounts.access import within
from fangkong.lib import reporting_day
from fangkong.regions.models import LEVEL_DEPTH, Region
from fangkong.reporting.models import DailyReport, ReportForm, ReportStatus, status_at

STATUSES = [
    ReportStatus.ON_TIME,
    ReportStatus.ZERO,
    ReportStatus.LATE,
    ReportStatus.PENDING,
    ReportStatus.OVERDUE,
    ReportStatus.MISSING,
]


@dataclass
class Tally:
    """Counts of unit-days by status."""

    expected: int = 0
    on_time: int = 0
    zero: int = 0
    late: int = 0
    pending: int = 0
    overdue: int = 0
    missing: int = 0

    def add(self, status: str, n: int) -> None:
        setattr(self, status, getattr(self, status) + n)

    @property
    def received(self) -> int:
        """已报: unit-days with a filing (on time, zero, late); a unit that never filed is never counted."""
        return self.on_time + self.zero + self.late

    @property
    def not_filed(self) -> int:
        """未报: pending before 12:00, overdue after it, missing once the day is over."""
        return self.pending + self.overdue + self.missing

    @property
    def rate(self) -> float:
        """报送率: received / expected, in percent."""
        return round(100 * self.received / self.expected, 1) if self.expected else 0.0

    @property
    def timely_rate(self) -> float:
        """及时率: on time (zero reports included) / expected, in percent."""
        return round(100 * (self.on_time + self.zero) / self.expected, 1) if self.expected else 0.0

    def as_dict(self) -> dict[str, int]:
        """The counts, and the sums `received` and `not_filed`, as the API and the briefing read them."""
        return {
            "expected": self.expected,
            "received": self.received,
            "on_time": self.on_time,
            "zero": self.zero,
            "late": self.late,
            "not_filed": self.not_filed,
            "pending": self.pending,
            "overdue": self.overdue,
            "missing": self.missing,
        }

    def counts(self) -> dict[str, int]:
        return {name: getattr(self, name) for name in ("expected", *(s.value for s in STATUSES))}


@dataclass
class Completeness:
    root: Region
    start: datetime.date
    end: datetime.date
    total: Tally
    rows: list[tuple[Region, Tally]] = field(default_factory=list)


def _levels_by_depth() -> dict[int, str]:
    return {depth: level.value for level, depth in LEVEL_DEPTH.items()}


def group_of(root: Region, prefix: str = "") -> Case:
    """SQL: the id of the region directly below `root` that contains the unit (or root itself)."""
    by_depth = _levels_by_depth()
    hops = ["id", "parent_id", "parent__parent_id"]
    whens = [When(**{f"{prefix}id": root.pk}, then=F(f"{prefix}id"))]
    for offset, hop in enumerate(hops, start=1):
        level = by_depth.get(root.depth + offset)
        if level is not None:
            whens.append(When(**{f"{prefix}level": level}, then=F(f"{prefix}{hop}")))
    return Case(*whens, default=None, output_field=IntegerField())


def units_within(form: ReportForm, root: Region) -> QuerySet[Region]:
    return form.units().filter(within(root, via=""))


def completeness(
    root: Region,
    start: datetime.date,
    end: datetime.date,
    now: datetime.datetime,
    form: ReportForm | None = None,
) -> Completeness:
    """Tallies for the period [start, end] (days after today are ignored), in total and per group."""
    form = form or ReportForm.current()
    end = min(end, reporting_day.reporting_day(now))
    result = Completeness(root=root, start=start, end=end, total=Tally())
    if form is None or end < start:
        return result
    days = [start + datetime.timedelta(days=i) for i in range((end - start).days + 1)]
    # A unit is expected from the day after it was created (ReportForm.units_due): count the units per group
    # and creation day in one query, then sum those created before each day.
    created: dict[int, list[tuple[datetime.date, int]]] = defaultdict(list)
    for unit_row in (
        units_within(form, root)
        .annotate(grp=group_of(root), since=TruncDate("created_at", tzinfo=reporting_day.SHANGHAI))
        .values("grp", "since")
        .annotate(n=Count("id"))
    ):
        if unit_row["grp"] is not None:
            created[unit_row["grp"]].append((unit_row["since"], unit_row["n"]))

    def expected_on(gid: int, day: datetime.date) -> int:
        return sum(n for since, n in created[gid] if since < day)

    submitted: dict[tuple[int, datetime.date], dict[str, int]] = defaultdict(dict)
    rows = (
        DailyReport.objects.filter(
            within(root),
            day__gte=start,
            day__lte=end,
            first_submitted_at__isnull=False,
            region__level__in=form.levels,
            region__is_active=True,
        )
        # a unit filing on the day it was created is not yet expected, so it does not count either
        .annotate(since=TruncDate("region__created_at", tzinfo=reporting_day.SHANGHAI))
        .filter(since__lt=F("day"))
        .annotate(grp=group_of(root, "region__"))
        .values("grp", "day", "status")
        .annotate(n=Count("id"))
    )
    for row in rows:
        submitted[(row["grp"], row["day"])][row["status"]] = row["n"]
    groups = {r.pk: r for r in Region.objects.filter(pk__in=list(created))}
    for gid in sorted(created, key=lambda g: groups[g].path):
        tally = Tally()
        for day in days:
            filed = submitted.get((gid, day), {})
            expected = expected_on(gid, day)
            tally.expected += expected
            for status, n in filed.items():
                tally.add(status, n)
            tally.add(status_at(day, now), expected - sum(filed.values()))
        result.rows.append((groups[gid], tally))
        for name, n in tally.counts().items():
            setattr(result.total, name, getattr(result.total, name) + n)
    return result


@dataclass(frozen=True)
class UnitDay:
    region: Region
    status: ReportStatus
    submitted_at: datetime.datetime | None
    report_uuid: str | None


def late_or_missing(
    root: Region,
    day: datetime.date,
    now: datetime.datetime,
    *,
    limit: int | None = None,
    form: ReportForm | None = None,
) -> tuple[int, list[UnitDay]]:
    """Units inside `root` whose report of `day` was filed late or is overdue or missing at `now`:
    (count, the first `limit`)."""
    form = form or ReportForm.current()
    if form is None:
        return 0, []
    unfiled = status_at(day, now)
    units = form.units_due(day).filter(within(root, via=""))
    late_filed = DailyReport.objects.filter(
        day=day, region__in=units, first_submitted_at__isnull=False, status=ReportStatus.LATE
    ).select_related("region")
    items = [
        UnitDay(r.region, ReportStatus.LATE, r.submitted_at, str(r.uuid))
        for r in late_filed.order_by("region__path")[:limit]
    ]
    count = late_filed.count()
    if unfiled != ReportStatus.PENDING:
        silent = units.filter(
            ~Q(
                id__in=DailyReport.objects.filter(day=day, first_submitted_at__isnull=False).values(
                    "region_id"
                )
            )
        )
        count += silent.count()
        room = None if limit is None else max(limit - len(items), 0)
        items += [UnitDay(r, unfiled, None, None) for r in silent.order_by("path")[:room]]
    return count, items
