"""The testing figures, per unit (subtree) and Beijing day, for the daily report and the briefing."""

from __future__ import annotations

import datetime

from django.db.models import Count, Exists, OuterRef, Q

from fangkong.accounts.access import within
from fangkong.lib import memo
from fangkong.people.models import Person, PersonTransfer, TransferStatus
from fangkong.regions.models import Region
from fangkong.regions.queries import cached_count
from fangkong.testing import counters
from fangkong.testing.models import KeyGroupMember, TestingRound, TubeMember


def samples_taken(region: Region, day: datetime.date, at: datetime.datetime | None = None) -> int:
    """采样数: people sampled at the unit's points on `day` (a 10-in-1 pool is 10 samples), as known at `at`.

    Read from the day's counters (`counters.day_count`); only a figure asked as it was in the middle of a day
    that the counters cannot split counts the samples themselves."""
    known = counters.day_count(region, day, "", at)
    if known is not None:
        return known
    qs = TubeMember.objects.filter(within(region, via="tube__region"), sampled_on=day)
    return (qs.filter(sampled_at__lte=at) if at is not None else qs).count()


def results(region: Region, day: datetime.date, result: str, at: datetime.datetime | None = None) -> int:
    """阴性/阳性数: samples of `day` taken at the unit's points whose result is `result`, as known at `at`.

    A positive pool's members have no result of their own until their single-tube re-test: a person counts as
    positive only on their own positive tube, so the report's results never exceed its samples. Read from the
    day's counters as `samples_taken` is."""
    known = counters.day_count(region, day, result, at)
    if known is not None:
        return known
    qs = TubeMember.objects.filter(within(region, via="tube__region"), sampled_on=day, result=result)
    if at is not None:
        qs = qs.filter(resulted_at__lte=at)
    return qs.count()


def key_group_overdue(region: Region, day: datetime.date) -> int:
    """Key-group members of the unit whose test is overdue on `day`."""
    return KeyGroupMember.objects.filter(
        within(region), is_active=True, group__is_active=True, next_due_on__lt=day
    ).count()


def coverage_percent(region: Region, day: datetime.date) -> int:
    """Of the rounds running on `day` over units inside `region`: tested by the end of `day` / target in percent
    (0 without). A past day shows the coverage reached that day, not today's (the 7-day trend rises)."""
    rounds = TestingRound.objects.filter(within(region), starts_on__lte=day, ends_on__gte=day)
    target = tested = 0
    for rnd in rounds:
        t, d = round_totals(rnd, region, day)
        target, tested = target + t, tested + d
    return tested * 100 // target if target else 0


def away_people():  # type: ignore[no-untyped-def]
    """People away (外出) in the people app's terms: reported in another unit, the hand-over still pending
    (a person who moved for good was handed over or deactivated, and is in no unit's target anyway)."""
    return PersonTransfer.objects.filter(status=TransferStatus.PENDING).values("person_id")


def isolated_people():  # type: ignore[no-untyped-def]
    """People in centralized isolation now: an open stay at an isolation site (the control app's rooms)."""
    from fangkong.control.public import isolated_person_ids

    return isolated_person_ids()


def target_people(rnd: TestingRound, unit: Region | None = None):  # type: ignore[no-untyped-def]
    """The round's target population (inside `unit` when given): active people of its units in the age band,
    without the people away or in centralized isolation when the round says so. Coverage, the untested list
    and the reminders all count from here."""
    units = list(rnd.units.all())
    q = None
    for u in units:
        part = within(u)
        q = part if q is None else q | part
    qs = Person.objects.active().filter(rnd.age_filter())
    qs = qs.filter(q) if q is not None else qs.none()
    if rnd.exclude_away:
        qs = qs.exclude(id__in=away_people())
    if rnd.exclude_isolated:
        qs = qs.exclude(id__in=isolated_people())
    if unit is not None:
        qs = qs.filter(within(unit))
    return qs


def counters_apply(rnd: TestingRound) -> bool:
    """Whether the round's tested counters (`counters`) are its coverage: its target is "active people of its
    units in the age band", as the counters count. Exclusions (people away, in isolation) change by the hour,
    so such a round counts its samples against the target as it is now."""
    return not rnd.exclude_away and not rnd.exclude_isolated


def round_totals(rnd: TestingRound, unit: Region, day: datetime.date | None = None) -> tuple[int, int]:
    """(target, tested) of the round inside `unit`; tested by the end of `day` when given.

    The target is the population as it is now, whatever the day: counted once per page for every day of a trend
    (`lib.memo`), and kept in the cache until the next audited change or new person (`cached_count`; 0.12 s
    per round at a million people)."""
    target = target_people(rnd, unit)
    total = memo.get(("testing.round_target", rnd.pk, unit.pk), lambda: cached_count(target, also=[Person]))
    if counters_apply(rnd):
        return total, sum(counters.tested_by_region(rnd, _round_region_ids(rnd, unit), day).values())
    members = TubeMember.objects.filter(round=rnd, person__in=target.values("id"))
    if day is not None:
        members = members.filter(sampled_on__lte=day)
    return total, members.values("person_id").distinct().count()


def _round_region_ids(rnd: TestingRound, unit: Region) -> list[int]:
    """The regions of the round's units inside `unit`."""
    units_q = Q(pk__in=[])
    for u in rnd.units.all():
        units_q |= within(u, via="")
    return list(Region.objects.filter(units_q, within(unit, via="")).values_list("id", flat=True))


def coverage_by_unit(rnd: TestingRound, unit: Region) -> list[dict[str, object]]:
    """One row per child unit of `unit` (or `unit` itself when it has none): target, tested, percent.

    A handful of queries whatever the number of people: counts per person's region, rolled up by path.
    """
    # The units' regions first (the small region table), then the people by region key: no join on paths.
    region_ids = _round_region_ids(rnd, unit)
    target = Person.objects.active().filter(rnd.age_filter(), region_id__in=region_ids)
    if rnd.exclude_away:
        target = target.exclude(id__in=away_people())
    if rnd.exclude_isolated:
        target = target.exclude(id__in=isolated_people())
    per_region_target = dict(target.order_by().values_list("region_id").annotate(n=Count("id")))
    if counters_apply(rnd):
        # The counters kept by the sampling actions: a few rows per region, not every sample of the round.
        per_region_tested = counters.tested_by_region(rnd, region_ids)
    else:
        # A round's first samples (no re-sample reason) are its distinct tested people: no DISTINCT needed.
        tested = TubeMember.objects.filter(round=rnd, resample_reason="", person__in=target.values("id"))
        per_region_tested = dict(tested.order_by().values_list("person__region_id").annotate(n=Count("id")))
    children = list(Region.objects.filter(parent=unit, is_active=True).order_by("path")) or [unit]
    paths = dict(
        Region.objects.filter(pk__in=set(per_region_target) | set(per_region_tested)).values_list(
            "id", "path"
        )
    )
    rows = []
    for child in children:
        t = sum(n for rid, n in per_region_target.items() if paths.get(rid, "").startswith(child.path))
        d = sum(n for rid, n in per_region_tested.items() if paths.get(rid, "").startswith(child.path))
        rows.append(
            {"unit": child, "target": t, "tested": d, "untested": t - d, "percent": d * 100 // t if t else 0}
        )
    return rows


def untested_people(rnd: TestingRound, unit: Region):  # type: ignore[no-untyped-def]
    """应检未检: the round's target inside `unit` without a sample in the round."""
    # NOT EXISTS, not NOT IN: PostgreSQL runs NOT IN over a million samples as a subplan per person unless the
    # whole list fits in work_mem (minutes at a million people); NOT EXISTS is an anti-join on both engines.
    sampled = TubeMember.objects.filter(round=rnd, person=OuterRef("pk"))
    return target_people(rnd, unit).exclude(Exists(sampled))
