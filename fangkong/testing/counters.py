"""Counters kept by the sampling and result actions, so that no page counts every sample.

- Per-round, per-region tested counters (`RoundTested`): the coverage page and the untested counts read these
  instead of every sample of the round; `recount` rebuilds a round's counters from its samples.
- Per-unit, per-day sample and result counts (`SampleDay`): the daily report's 采样/阴性/阳性, the home page's
  testing section and the testing dashboard read these; `recount_days` rebuilds recent days from the samples.

Both are added to in the action's own transaction with one UPSERT (`INSERT … ON CONFLICT … DO UPDATE`,
understood by SQLite and PostgreSQL alike), so two desks counting into the same row never lose an update. The
nightly job and `manage.py recount_rounds` rebuild both.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.db import connection, models, transaction
from django.db.models import Count, Max, Min, Q, QuerySet, Sum
from django.db.models.functions import TruncDate

from fangkong.accounts.access import within
from fangkong.lib.reporting_day import SHANGHAI, local_date
from fangkong.people.models import Person
from fangkong.regions.models import Region
from fangkong.testing.models import RoundTested, SampleDay, TestingRound, TubeMember


def first_samples(rnd: TestingRound) -> QuerySet[TubeMember, TubeMember]:
    """The samples a counter counts: a person's first sample in the round (no re-sample reason), of an active
    person in the round's age band."""
    return TubeMember.objects.filter(round=rnd, resample_reason="", person__is_active=True).filter(
        rnd.age_filter(via="person__")
    )


def _tally(samples: QuerySet[TubeMember, TubeMember]) -> list[tuple[int, datetime.date, int]]:
    return list(
        samples.order_by()
        .values_list("person__region_id", "sampled_on")
        .annotate(n=Count("id"))
        .values_list("person__region_id", "sampled_on", "n")
    )


def _upsert(rnd: TestingRound, rows: Iterable[tuple[int, datetime.date, int]]) -> None:
    table = RoundTested._meta.db_table
    adapt = connection.ops.adapt_datefield_value
    params = [(rnd.pk, region_id, adapt(day), n) for region_id, day, n in rows if n]
    if not params:
        return
    sql = (
        f"INSERT INTO {table} (round_id, region_id, day, count) VALUES (%s, %s, %s, %s)"  # noqa: S608
        f" ON CONFLICT (round_id, region_id, day) DO UPDATE SET count = {table}.count + excluded.count"
    )
    with connection.cursor() as cur:
        cur.executemany(sql, params)


def count_samples(rnd: TestingRound, member_filter: Q) -> None:
    """Add the first samples among the round's samples matching `member_filter` (just written in the caller's
    transaction) to the round's counters."""
    _upsert(rnd, _tally(first_samples(rnd).filter(member_filter)))


def count_sample(rnd: TestingRound, person: Person, day: datetime.date) -> None:
    """`count_samples` for a person's first sample in the round, the person already read: one UPSERT."""
    if person.is_active and rnd.takes_age(person.birth_date):
        _upsert(rnd, [(person.region_id, day, 1)])


@transaction.atomic
def recount(rnd: TestingRound) -> bool:
    """Rebuild the round's counters from its samples; whether they had drifted (then they are corrected)."""
    fresh = {(region_id, day): n for region_id, day, n in _tally(first_samples(rnd))}
    rows = RoundTested.objects.select_for_update().filter(round=rnd)
    stored = {(r.region_id, r.day): r.count for r in rows}
    if stored == fresh:
        return False
    RoundTested.objects.filter(round=rnd).delete()
    RoundTested.objects.bulk_create(
        RoundTested(round=rnd, region_id=region_id, day=day, count=n) for (region_id, day), n in fresh.items()
    )
    return True


def tested_by_region(
    rnd: TestingRound, region_ids: Iterable[int], day: datetime.date | None = None
) -> dict[int, int]:
    """Tested people of the round per person's region (of `region_ids`), from the counters; by the end of `day`
    when given (a person counts on the day of their first sample)."""
    rows: Any = RoundTested.objects.filter(round=rnd, region_id__in=list(region_ids))
    if day is not None:
        rows = rows.filter(day__lte=day)
    rows = rows.order_by().values_list("region_id").annotate(n=Sum("count"))
    return {region_id: n for region_id, n in rows if n}


# --- Samples and results per unit and day (SampleDay) ---------------------------------------------------------

# (region, day, result, known_on, count, first_at, last_at): a row of `SampleDay` to add to.
DayRow = tuple[int, datetime.date, str, datetime.date, int, datetime.datetime, datetime.datetime]


def _upsert_days(rows: Iterable[DayRow]) -> None:
    table = SampleDay._meta.db_table
    ops = connection.ops
    params = [
        (
            region_id,
            ops.adapt_datefield_value(day),
            result,
            ops.adapt_datefield_value(known_on),
            n,
            ops.adapt_datetimefield_value(first_at),
            ops.adapt_datetimefield_value(last_at),
        )
        for region_id, day, result, known_on, n, first_at, last_at in rows
        if n
    ]
    if not params:
        return
    least, greatest = ("MIN", "MAX") if connection.vendor == "sqlite" else ("LEAST", "GREATEST")
    sql = (
        f"INSERT INTO {table} (region_id, day, result, known_on, count, first_at, last_at)"  # noqa: S608
        " VALUES (%s, %s, %s, %s, %s, %s, %s)"
        " ON CONFLICT (region_id, day, result, known_on) DO UPDATE SET"
        f" count = {table}.count + excluded.count,"
        f" first_at = {least}({table}.first_at, excluded.first_at),"
        f" last_at = {greatest}({table}.last_at, excluded.last_at)"
    )
    with connection.cursor() as cur:
        cur.executemany(sql, params)


def count_taken(region_id: int, day: datetime.date, n: int, at: datetime.datetime) -> None:
    """`n` samples just taken at a point of unit `region_id` on `day`, at the instant `at`."""
    _upsert_days([(region_id, day, "", day, n, at, at)])


def count_results(
    members: QuerySet[TubeMember, TubeMember], result: str, resulted_at: datetime.datetime
) -> None:
    """The samples `members` just got `result` at `resulted_at` (in the caller's transaction): one tally, one
    UPSERT per unit and day sampled."""
    known_on = local_date(resulted_at)
    tally = members.order_by().values_list("tube__region_id", "sampled_on").annotate(n=Count("id"))
    _upsert_days(
        (region_id, day, result, known_on, n, resulted_at, resulted_at) for region_id, day, n in tally
    )


def day_count(region: Region, day: datetime.date, result: str, at: datetime.datetime | None) -> int | None:
    """Samples of `day` taken in `region`'s subtree (`result` "") or with `result`, as known at `at` (None: all
    known now) — or None when the rows cannot tell: some of the instants counted on `at`'s own day fall before
    `at` and some after (a figure asked "as it was" in the middle of a day: the caller counts the samples)."""
    rows = SampleDay.objects.filter(within(region), day=day, result=result)
    if at is None:
        return int(rows.aggregate(n=Sum("count"))["n"] or 0)
    cutoff = local_date(at)
    total = 0
    for known_on, n, first_at, last_at in rows.filter(known_on__lte=cutoff).values_list(
        "known_on", "count", "first_at", "last_at"
    ):
        if known_on < cutoff or last_at <= at:
            total += n
        elif first_at <= at:
            return None
    return total


def _fresh_days(
    members: QuerySet[Any], days: tuple[datetime.date, datetime.date] | None
) -> dict[tuple[int, datetime.date, str, datetime.date], tuple[int, datetime.datetime, datetime.datetime]]:
    if days is not None:
        members = members.filter(sampled_on__range=days)
    members = members.order_by()
    out = {}
    for region_id, day, n, first_at, last_at in (
        members.values_list("tube__region_id", "sampled_on")
        .annotate(n=Count("id"), first=Min("sampled_at"), last=Max("sampled_at"))
        .values_list("tube__region_id", "sampled_on", "n", "first", "last")
    ):
        out[(region_id, day, "", day)] = (n, first_at, last_at)
    resulted = (
        members.exclude(result="")
        .filter(resulted_at__isnull=False)
        .annotate(known=TruncDate("resulted_at", tzinfo=SHANGHAI))
        .values_list("tube__region_id", "sampled_on", "result", "known")
        .annotate(n=Count("id"), first=Min("resulted_at"), last=Max("resulted_at"))
        .values_list("tube__region_id", "sampled_on", "result", "known", "n", "first", "last")
    )
    for region_id, day, result, known_on, n, first_at, last_at in resulted:
        out[(region_id, day, result, known_on)] = (n, first_at, last_at)
    return out


def recount_days(
    days: tuple[datetime.date, datetime.date] | None,
    *,
    members: type[models.Model] = TubeMember,
    counts: type[models.Model] = SampleDay,
    using: str = "default",
) -> bool:
    """Rebuild the `SampleDay` rows of the days sampled in `days` (inclusive; None: every day) from the samples;
    whether they had drifted (then they are corrected). `members`/`counts` let a migration pass its own models,
    `using` the city benchmark its own database."""
    with transaction.atomic(using=using):
        stored_rows = counts.objects.using(using).order_by()  # type: ignore[attr-defined]
        if days is not None:
            stored_rows = stored_rows.filter(day__range=days)
        stored = {
            (r[0], r[1], r[2], r[3]): (r[4], r[5], r[6])
            for r in stored_rows.select_for_update().values_list(
                "region_id", "day", "result", "known_on", "count", "first_at", "last_at"
            )
        }
        fresh = _fresh_days(members.objects.using(using).all(), days)  # type: ignore[attr-defined]
        if stored == fresh:
            return False
        stored_rows.delete()
        counts.objects.using(using).bulk_create(  # type: ignore[attr-defined]
            [
                counts(
                    region_id=region_id,
                    day=day,
                    result=result,
                    known_on=known_on,
                    count=n,
                    first_at=first_at,
                    last_at=last_at,
                )
                for (region_id, day, result, known_on), (n, first_at, last_at) in fresh.items()
            ],
            batch_size=1000,
        )
        return True
