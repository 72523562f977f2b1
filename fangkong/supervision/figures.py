"""The rectification figures (reporting.sources) and the rate table: found, closed, rate by unit and kind.

Counted over a unit's subtree as known at the instant `at` (found before it; closed before it), so a past day's
figure stays what it was at that day's end.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet

from fangkong.accounts.access import within
from fangkong.lib.reporting_day import local_date
from fangkong.regions.models import Region
from fangkong.supervision.models import RectificationItem, RectificationKind, RectificationStatus


def _found(region: Region, at: datetime.datetime) -> QuerySet[RectificationItem]:
    return RectificationItem.objects.filter(within(region), found_at__lte=at)


def items_found(region: Region, at: datetime.datetime) -> int:
    return _found(region, at).count()


def items_closed(region: Region, at: datetime.datetime) -> int:
    return _found(region, at).filter(status=RectificationStatus.CLOSED, closed_at__lte=at).count()


def items_overdue(region: Region, at: datetime.datetime) -> int:
    """Found by `at`, not closed by `at`, due before the Beijing day of `at`."""
    open_at = ~Q(status=RectificationStatus.CLOSED) | Q(closed_at__gt=at)
    return _found(region, at).filter(open_at, due_on__lt=local_date(at)).count()


@dataclass
class Tally:
    found: int = 0
    closed: int = 0
    overdue: int = 0

    @property
    def rate(self) -> float | None:
        """closed / found in per cent, one decimal (98.7); None when nothing was found."""
        return round(100 * self.closed / self.found, 1) if self.found else None


@dataclass
class RateTable:
    total: Tally
    by_kind: list[tuple[Any, Tally]]  # (label, tally); labels are lazy translations
    by_unit: list[tuple[Region, Tally]]
    by_unit_kind: dict[int, dict[str, Tally]] = field(default_factory=dict)


def rate_table(items: QuerySet[RectificationItem], root: Region, today: datetime.date) -> RateTable:
    """Found / closed / overdue in `items` (already scoped), by kind and by the units right below `root`
    (items of `root` itself count under `root`). Counted by the database per (unit, kind, status), so three
    queries whatever the number of items."""
    units = list(Region.objects.active().filter(parent=root).order_by("path"))
    total = Tally()
    kinds: dict[str, Tally] = defaultdict(Tally)
    per_unit: dict[int, Tally] = defaultdict(Tally)
    late = Q(due_on__lt=today) & ~Q(status=RectificationStatus.CLOSED)
    groups = list(
        items.order_by()
        .values("region_id", "kind", "status")
        .annotate(n=Count("id"), overdue=Count("id", filter=late))
    )
    paths = dict(Region.objects.filter(pk__in={g["region_id"] for g in groups}).values_list("pk", "path"))
    for group in groups:
        path = paths[group["region_id"]]
        unit = next((u for u in units if path.startswith(u.path)), root)
        for tally in (total, kinds[group["kind"]], per_unit[unit.pk]):
            tally.found += group["n"]
            tally.overdue += group["overdue"]
            if group["status"] == RectificationStatus.CLOSED:
                tally.closed += group["n"]
    listed = [(u, per_unit[u.pk]) for u in units if per_unit[u.pk].found]
    if per_unit[root.pk].found:
        listed.insert(0, (root, per_unit[root.pk]))
    return RateTable(
        total=total,
        by_kind=[(label, kinds[value]) for value, label in RectificationKind.choices],
        by_unit=listed,
    )
