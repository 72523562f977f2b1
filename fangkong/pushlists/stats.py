"""Per-unit tables of a batch and of overdue items, computed with one grouped query each."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from fangkong.pushlists.models import PushItem, PushItemQuerySet
from fangkong.regions.models import Level, Region


@dataclass
class UnitRow:
    region: Region | None  # None: the command-office queue
    received: int = 0
    dispatched: int = 0
    verified: int = 0
    overdue: int = 0


def township_table(items: QuerySet[PushItem], county: Region, now: datetime.datetime) -> list[UnitRow]:
    """received / dispatched / verified / overdue per township for `items` (already scoped)."""
    # Grouped by the holding unit's key, not its path: no join, and the units are few.
    grouped = list(
        items.order_by()
        .values("region_id")
        .annotate(
            received=Count("id"),
            dispatched=Count("id", filter=Q(dispatched_at__isnull=False)),
            verified=Count("id", filter=~Q(outcome="")),
            overdue=Count("id", filter=Q(outcome="", deadline_at__lt=now)),
        )
    )
    paths = dict(Region.objects.filter(pk__in=[g["region_id"] for g in grouped]).values_list("pk", "path"))
    townships = {r.code: r for r in Region.objects.within(county).filter(level=Level.TOWNSHIP)}
    rows: dict[str, UnitRow] = {}
    for g in grouped:
        parts = paths[g["region_id"]].split("/")
        code = parts[2] if len(parts) > 3 else ""
        township = townships.get(code)
        key = township.code if township else ""
        row = rows.setdefault(key, UnitRow(township))
        row.received += g["received"]
        row.dispatched += g["dispatched"]
        row.verified += g["verified"]
        row.overdue += g["overdue"]
    return sorted(rows.values(), key=lambda r: (r.region is None, r.region.path if r.region else ""))


def overdue_by_unit(items: PushItemQuerySet, now: datetime.datetime) -> list[tuple[Region, int]]:
    """Overdue items counted against the unit holding them, most first."""
    grouped = list(items.overdue(now).order_by().values("region").annotate(n=Count("id")))
    regions = Region.objects.in_bulk([g["region"] for g in grouped])
    return sorted(((regions[g["region"]], g["n"]) for g in grouped), key=lambda rn: (-rn[1], rn[0].path))
