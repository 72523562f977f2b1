"""A round's coverage on a past day is what was reached by that day's end: the home page's 7-day trend rises as
people are sampled (it once showed today's coverage on every day of the round). The target, the same for every
day, is counted once for the whole trend and kept until something changes."""

from __future__ import annotations

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from fangkong.people.tests.helpers import create_person
from fangkong.reporting import public as reporting
from fangkong.testing import figures
from fangkong.testing.actions import do_create_round, do_register_sample
from fangkong.testing.models import TestingRound as Round

from .conftest import NOW

DAY1 = NOW.date()
DAY2 = DAY1 + datetime.timedelta(days=1)


@pytest.mark.parametrize("exclude_away", [False, True], ids=["counters", "counted-from-samples"])
def test_each_day_shows_the_coverage_reached_by_its_end(collector, district, people, point, exclude_away):
    rnd = _round(collector, district, days_before=1, ends_on=DAY2, exclude_away=exclude_away)
    for n, person in enumerate(people[:3]):
        do_register_sample(
            collector, point=point, barcode=f"DAY1-{n}", person=person, capacity=1, rnd=rnd, now=NOW
        )
    later = NOW + datetime.timedelta(days=1)
    for n, person in enumerate(people[3:9]):
        do_register_sample(
            collector, point=point, barcode=f"DAY2-{n}", person=person, capacity=1, rnd=rnd, now=later
        )
    township = district.township_a
    assert figures.round_totals(rnd, township, DAY1 - datetime.timedelta(days=1)) == (12, 0)
    assert figures.round_totals(rnd, township, DAY1) == (12, 3)
    assert figures.round_totals(rnd, township, DAY2) == (12, 9)
    assert figures.round_totals(rnd, township) == (12, 9)
    assert figures.coverage_percent(township, DAY1) == 25
    assert figures.coverage_percent(township, DAY2) == 75
    assert figures.coverage_percent(township, DAY2 + datetime.timedelta(days=1)) == 0  # the round has ended

    trend = reporting.series("testing.coverage_percent", township, later + datetime.timedelta(hours=1))
    assert trend is not None
    assert [v for _, v in trend][-3:] == [0, 25, 75]


def test_the_target_is_counted_once_for_a_trend_and_again_after_a_change(collector, district, people, point):
    rnd = _round(collector, district, days_before=6, ends_on=DAY1)
    cache.clear()  # no count kept by an earlier test of the same township
    with CaptureQueriesContext(connection) as queries:
        trend = reporting.series("testing.coverage_percent", district.township_a, NOW)
    assert trend is not None and len(trend) == 7
    assert len(_person_counts(queries)) == 1
    # The next page finds it in the cache while nothing changed …
    with CaptureQueriesContext(connection) as queries:
        assert figures.round_totals(rnd, district.township_a) == (12, 0)
    assert _person_counts(queries) == []
    # … and counts again once someone is registered.
    create_person(district.grid_a, "新居民", phone="13900009999")
    with CaptureQueriesContext(connection) as queries:
        assert figures.round_totals(rnd, district.township_a) == (13, 0)
    assert len(_person_counts(queries)) == 1


def _round(collector, district, *, days_before: int, ends_on: datetime.date, **options) -> Round:
    """A round over township A, created and started `days_before` days before DAY1."""
    start = NOW - datetime.timedelta(days=days_before)
    return do_create_round(
        collector,
        name="第一轮全员核酸",
        units=[district.township_a],
        starts_on=start.date(),
        ends_on=ends_on,
        now=start,
        **options,
    )


def _person_counts(queries: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in queries if "COUNT(" in q["sql"] and '"people_person"' in q["sql"]]
