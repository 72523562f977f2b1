"""接种率: people with a completed course (or a booster) over the target population of the registry.

The target population is the registry's *active* people: a person who moved away (handed over to another unit,
or deactivated as 迁出) or died (deactivated) is not in any unit's denominator, and their doses leave the
numerator with them. Ages are whole years on the day; a person without a birth date is in no band. One query
counts every band and key group for every unit below the one asked, rolled up by the units' paths.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from fangkong.accounts.access import within
from fangkong.lib import reporting_day
from fangkong.people.models import Person
from fangkong.regions.models import Region
from fangkong.vaccination.models import (
    AgeBand,
    CoverageCount,
    CoverageRun,
    KeyGroup,
    KeyGroupMember,
    VaccinationRecord,
    VaccinationTarget,
)

# A run answers for this long after it was counted (the job counts every minute).
FRESH = datetime.timedelta(minutes=2)


@dataclass
class Cell:
    population: int = 0
    completed: int = 0
    target: Decimal | None = None

    @property
    def rate(self) -> float | None:
        return round(100 * self.completed / self.population, 2) if self.population else None

    @property
    def below_target(self) -> bool:
        return self.target is not None and self.rate is not None and self.rate < float(self.target)


@dataclass
class UnitCoverage:
    region: Region
    bands: list[Cell] = field(default_factory=list)
    groups: list[Cell] = field(default_factory=list)
    total: Cell = field(default_factory=Cell)


@dataclass
class Coverage:
    unit: Region
    day: datetime.date
    bands: list[AgeBand]
    groups: list[KeyGroup]
    rows: list[UnitCoverage]
    total: UnitCoverage


def completed_by(day: datetime.date) -> Exists:
    """The person has a dose completing a course (or a booster) given on or before `day`."""
    return Exists(
        VaccinationRecord.objects.visible().filter(
            person=OuterRef("pk"), completes_course=True, vaccinated_on__lte=day
        )
    )


def in_any_band(bands: list[AgeBand], day: datetime.date) -> Q:
    q = Q(pk__in=[])
    for band in bands:
        q |= band.birth_q(day)
    return q


def _spec(bands: list[AgeBand], groups: list[KeyGroup]) -> dict[str, Any]:
    """What a run was counted with: a run counted with other bands or groups does not answer."""
    return {"bands": [[b.pk, b.min_age, b.max_age] for b in bands], "groups": [g.pk for g in groups]}


def _count_lines(
    people: QuerySet[Any], day: datetime.date, bands: list[AgeBand], groups: list[KeyGroup]
) -> list[dict[str, Any]]:
    """One line per region of `people`: its id, path and the `n_`/`d_` counts per band (`b<i>`) and group."""
    people = people.annotate(done=completed_by(day))
    counts: dict[str, Any] = {}
    for i, band in enumerate(bands):
        q = band.birth_q(day)
        counts[f"n_b{i}"] = Count("id", filter=q)
        counts[f"d_b{i}"] = Count("id", filter=q & Q(done=True))
    for i, group in enumerate(groups):
        people = people.annotate(
            **{f"in_g{i}": Exists(KeyGroupMember.objects.filter(group=group, person=OuterRef("pk")))}
        )
        counts[f"n_g{i}"] = Count("id", filter=Q(**{f"in_g{i}": True}))
        counts[f"d_g{i}"] = Count("id", filter=Q(**{f"in_g{i}": True}, done=True))
    return list(people.order_by().values("region_id", "region__path").annotate(**counts))


def _counted_lines(
    unit: Region, day: datetime.date, bands: list[AgeBand], groups: list[KeyGroup], now: datetime.datetime
) -> list[dict[str, Any]] | None:
    """The lines of `unit`'s subtree from the day's run, or None when it cannot answer (none, stale, or counted
    with other bands or groups)."""
    run = CoverageRun.objects.filter(day=day).first()
    if run is None or run.spec != _spec(bands, groups):
        return None
    if run.computed_at < min(now, reporting_day.day_end(day)) - FRESH:
        return None
    rows = CoverageCount.objects.filter(within(unit), run=run).values_list(
        "region_id", "region__path", "counts"
    )
    return [{"region_id": rid, "region__path": path, **counts} for rid, path, counts in rows]


def coverage(unit: Region, day: datetime.date, now: datetime.datetime | None = None) -> Coverage:
    """Coverage of `unit` and of each of its active child units, by age band and key group, on `day`: from the
    day's run when it is fresh at `now` (default: the clock), else counted live."""
    bands = list(AgeBand.objects.all())
    groups = list(KeyGroup.objects.all())
    grouped = _counted_lines(unit, day, bands, groups, now or timezone.now())
    if grouped is None:
        grouped = _count_lines(Person.objects.active().filter(within(unit)), day, bands, groups)

    children = list(Region.objects.active().filter(parent=unit).order_by("code"))
    rows = {child.path: UnitCoverage(child) for child in children}
    total = UnitCoverage(unit)
    for bucket in [total, *rows.values()]:
        bucket.bands = [Cell() for _ in bands]
        bucket.groups = [Cell() for _ in groups]
    for line in grouped:
        path = line["region__path"]
        targets = [total, *[row for p, row in rows.items() if path.startswith(p)][:1]]
        for bucket in targets:
            for i in range(len(bands)):
                bucket.bands[i].population += line[f"n_b{i}"]
                bucket.bands[i].completed += line[f"d_b{i}"]
            for i in range(len(groups)):
                bucket.groups[i].population += line[f"n_g{i}"]
                bucket.groups[i].completed += line[f"d_g{i}"]
    for bucket in [total, *rows.values()]:
        bucket.total = Cell(sum(c.population for c in bucket.bands), sum(c.completed for c in bucket.bands))
    _apply_targets(total, list(rows.values()), bands, groups)
    return Coverage(unit, day, bands, groups, list(rows.values()), total)


def _apply_targets(
    total: UnitCoverage, rows: list[UnitCoverage], bands: list[AgeBand], groups: list[KeyGroup]
) -> None:
    """A unit's target is its own, or else the nearest unit above it that set one (the district's rate)."""
    units = [total.region, *(r.region for r in rows)]
    codes = {code for u in units for code in u.ancestor_codes()}
    found: dict[tuple[str, int | None, int | None], Decimal] = {
        (t.region.code, t.band_id, t.group_id): t.rate
        for t in VaccinationTarget.objects.filter(region__code__in=codes).select_related("region")
    }
    for row in [total, *rows]:
        chain = list(reversed(row.region.ancestor_codes()))  # the unit itself first

        def target(band_id: int | None, group_id: int | None, chain: list[str] = chain) -> Decimal | None:
            return next(
                (found[(c, band_id, group_id)] for c in chain if (c, band_id, group_id) in found), None
            )

        row.total.target = target(None, None)
        for cell, band in zip(row.bands, bands, strict=True):
            cell.target = target(band.pk, None)
        for cell, group in zip(row.groups, groups, strict=True):
            cell.target = target(None, group.pk)


def people_completed(region: Region, day: datetime.date) -> int:
    """People of the target population (every band) in `region` with a completed course by `day`: the bands do
    not overlap, so this is the coverage's total."""
    return coverage(region, day).total.total.completed


def coverage_percent(region: Region, day: datetime.date) -> int:
    cov = coverage(region, day).total.total
    return round(cov.rate or 0)


def doses_given(region: Region, day: datetime.date) -> int:
    """疫苗接种剂次: doses given on `day` to people of `region`."""
    return (
        VaccinationRecord.objects.visible()
        .filter(within(region, via="person__region"), vaccinated_on=day)
        .count()
    )


def unvaccinated(unit: Region, day: datetime.date) -> QuerySet[Person]:
    """The people of `unit` in a target band without a completed course by `day`: the mobilisation list."""
    bands = list(AgeBand.objects.all())
    return (
        Person.objects.active()
        .filter(within(unit))
        .filter(in_any_band(bands, day))
        .exclude(completed_by(day))
        .select_related("region")
        .order_by("name_pinyin", "id")
    )


def do_count_coverage(day: datetime.date, now: datetime.datetime, region_ids: set[int] | None = None) -> bool:
    """Count the day's run: every unit's people (the minute job, the nightly recount of past days), or only the
    units `region_ids` into a fresh run (a dose just registered there). Whether a run was written."""
    bands = list(AgeBand.objects.all())
    groups = list(KeyGroup.objects.all())
    spec = _spec(bands, groups)
    people = Person.objects.active()
    if region_ids is not None:
        if not CoverageRun.objects.filter(day=day, computed_at__gte=now - FRESH).exists():
            return False  # no run to count into: the next full count does it
        people = people.filter(region_id__in=region_ids)
    # Counted before the transaction: on SQLite a write transaction holds the database's one write lock, and a
    # full count at a million people takes about a second that no other writer should wait for.
    lines = _count_lines(people, day, bands, groups)
    with transaction.atomic():
        run = CoverageRun.objects.select_for_update().filter(day=day).first()
        if region_ids is not None:
            # A part is only worth counting into a run that answers; the next full count does the rest.
            if run is None or run.spec != spec or run.computed_at < now - FRESH:
                return False
            CoverageCount.objects.filter(run=run, region_id__in=region_ids).delete()
        elif run is None:
            run = CoverageRun.objects.create(day=day, computed_at=now, spec=spec)
        else:
            CoverageCount.objects.filter(run=run).delete()
            run.computed_at, run.spec = now, spec
            run.save(update_fields=["computed_at", "spec"])
        CoverageCount.objects.bulk_create(
            [
                CoverageCount(
                    run=run,
                    region_id=line["region_id"],
                    counts={k: v for k, v in line.items() if k[:2] in ("n_", "d_")},
                )
                for line in lines
            ],
            batch_size=1000,
        )
    return True


def do_forget_runs(before: datetime.date) -> int:
    """Runs of days before `before` deleted (older days are counted live when asked)."""
    deleted, _ = CoverageRun.objects.filter(day__lt=before).delete()
    return deleted


def recount_after_commit(now: datetime.datetime | None = None, region_ids: set[int] | None = None) -> None:
    """After the caller's transaction commits: today's run counted again for `region_ids` (a dose or a key-group
    membership changed there; None: every unit, after an import), so the pages show it at once rather than at
    the next minute."""
    at = now or timezone.now()
    transaction.on_commit(lambda: do_count_coverage(reporting_day.local_date(at), at, region_ids))
