"""The rate = closed / found, by kind and by unit: the seed's 79 found, 78 fixed, 98.7%."""

from __future__ import annotations

import datetime

import pytest

from fangkong.supervision.figures import rate_table
from fangkong.supervision.models import RectificationItem, RectificationKind, RectificationStatus
from fangkong.supervision.tests.helpers import bj, make_inspector


def bulk_items(inspector, region, n, *, closed, kind=RectificationKind.IMMEDIATE):
    now = bj(2021, 8, 10)
    RectificationItem.objects.bulk_create(
        RectificationItem(
            region=region,
            place_kind="village",
            place_name="x",
            description="x",
            kind=kind,
            due_on=datetime.date(2021, 8, 10),
            status=RectificationStatus.CLOSED if closed else RectificationStatus.OPEN,
            found_at=now,
            found_by=inspector,
            closed_at=now if closed else None,
        )
        for _ in range(n)
    )


@pytest.mark.parametrize("found,closed,rate", [(79, 78, 98.7), (3, 1, 33.3), (1, 1, 100.0)])
def test_the_rate_is_closed_over_found_to_one_decimal(district, found, closed, rate):
    inspector = make_inspector(district.county)
    bulk_items(inspector, district.village_a, closed, closed=True)
    bulk_items(inspector, district.village_b, found - closed, closed=False)
    table = rate_table(RectificationItem.objects.all(), district.county, datetime.date(2021, 8, 10))
    assert (table.total.found, table.total.closed, table.total.rate) == (found, closed, rate)


def test_the_rate_by_unit_and_by_kind(district):
    inspector = make_inspector(district.county)
    bulk_items(inspector, district.village_a, 2, closed=True)
    bulk_items(inspector, district.grid_a, 1, closed=False, kind=RectificationKind.SPECIAL)
    bulk_items(inspector, district.village_b, 1, closed=False)
    table = rate_table(RectificationItem.objects.all(), district.county, datetime.date(2021, 8, 11))
    units = {u.name: (t.found, t.closed, t.overdue, t.rate) for u, t in table.by_unit}
    assert units == {"王助镇": (3, 2, 1, 66.7), "新习镇": (1, 0, 1, 0.0)}
    kinds = {str(label): (t.found, t.closed) for label, t in table.by_kind}
    assert kinds[str(RectificationKind.IMMEDIATE.label)] == (3, 2)
    assert kinds[str(RectificationKind.SPECIAL.label)] == (1, 0)
    assert table.by_kind[2][1].rate is None  # nothing found of that kind: no rate, not 0%


def test_nothing_found_has_no_rate(district):
    table = rate_table(RectificationItem.objects.all(), district.county, datetime.date(2021, 8, 11))
    assert table.total.rate is None
    assert table.by_unit == []
