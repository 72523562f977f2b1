"""Per-round, per-region tested counters (`RoundTested`), kept by the sampling actions.

The coverage page and the untested counts read these instead of every sample of the round. The counters are
added to in the sampling transaction with one UPSERT (`INSERT … ON CONFLICT … DO UPDATE`, understood by SQLite and
PostgreSQL alike), so two desks counting into the same region and day never lose an update; `recount` rebuilds a
round's counters from its samples (the nightly job and `manage.py recount_rounds`).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, Q, QuerySet, Sum

from fangkong.people.models import Person
from fangkong.testing.models import RoundTested, TestingRound, TubeMember


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


def tested_by_region(rnd: TestingRound, region_ids: Iterable[int]) -> dict[int, int]:
    """Tested people of the round per person's region (of `region_ids`), from the counters."""
    rows: Any = (
        RoundTested.objects.filter(round=rnd, region_id__in=list(region_ids))
        .order_by()
        .values_list("region_id")
        .annotate(n=Sum("count"))
    )
    return {region_id: n for region_id, n in rows if n}
