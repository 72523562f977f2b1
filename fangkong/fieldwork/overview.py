"""Derived views of field work: which places are overdue, and per-unit counts of a day (few queries each)."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, QuerySet, Sum

from fangkong.fieldwork.models import (
    DisinfectionPlace,
    DisinfectionRecord,
    DisinfectionSchedule,
    FieldTask,
    TaskStatus,
)
from fangkong.lib.reporting_day import day_end, day_start

DEFAULT_EVERY_DAYS = 7


def schedule() -> dict[str, int]:
    """Days between disinfections by kind of place (the data of migration 0002, editable in the admin)."""
    return dict(DisinfectionSchedule.objects.values_list("kind", "every_days"))


@dataclass(frozen=True)
class Overdue:
    place: DisinfectionPlace
    due_on: datetime.date
    every_days: int


def overdue(places: QuerySet[DisinfectionPlace], today: datetime.date) -> list[Overdue]:
    """Active places whose next disinfection was due today or earlier (never disinfected: due today)."""
    every = schedule()
    out = []
    for place in places.filter(is_active=True).select_related("region"):
        days = every.get(place.kind, DEFAULT_EVERY_DAYS)
        if place.is_overdue(days, today):
            out.append(Overdue(place, place.due_on(days, today), days))
    return sorted(out, key=lambda o: (o.due_on, o.place.region.path, o.place.name))


@dataclass
class UnitDay:
    name: str
    records: int = 0
    area_m2: int = 0
    tasks_done: int = 0
    overdue: int = 0


def per_unit(
    records: QuerySet[DisinfectionRecord],
    tasks: QuerySet[FieldTask],
    overdue_places: list[Overdue],
    day: datetime.date,
) -> list[UnitDay]:
    rows: dict[str, UnitDay] = {}
    for r in (
        records.filter(day=day)
        .values("region__path", "region__name")
        .annotate(n=Count("id"), area=Sum("area_m2"))
    ):
        row = rows.setdefault(r["region__path"], UnitDay(r["region__name"]))
        row.records, row.area_m2 = r["n"], int(r["area"] or 0)
    done = tasks.filter(status=TaskStatus.DONE, done_at__gte=day_start(day), done_at__lt=day_end(day))
    for t in done.values("region__path", "region__name").annotate(n=Count("id")):
        rows.setdefault(t["region__path"], UnitDay(t["region__name"])).tasks_done = t["n"]
    counts: dict[str, int] = defaultdict(int)
    for o in overdue_places:
        counts[o.place.region.path] += 1
        rows.setdefault(o.place.region.path, UnitDay(o.place.region.name))
    for path, n in counts.items():
        rows[path].overdue = n
    return [rows[p] for p in sorted(rows)]
