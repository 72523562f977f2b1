"""Figures for the daily report: received and verified per Beijing day, overdue at an instant."""

from __future__ import annotations

import datetime

from fangkong.pushlists.actions import do_verify
from fangkong.pushlists.figures import items_overdue, items_received, items_verified
from fangkong.pushlists.models import Outcome
from fangkong.pushlists.tests.conftest import NOW, item


def test_figures_count_the_region_subtree_by_beijing_day(district, batch, cadre_a):
    day = NOW.date()  # NOW is 09:00 Beijing time
    # 07:30 Beijing on the next day is still the previous day in UTC; it counts for the Beijing day.
    early = datetime.datetime(2021, 8, 3, 23, 30, tzinfo=datetime.UTC)
    do_verify(cadre_a, item(batch, "张三"), outcome=Outcome.NOT_LOCAL, now=early)

    assert items_received(district.township_a, day) == 2
    assert items_received(district.county, day) == 4
    assert items_received(district.township_a, day + datetime.timedelta(days=1)) == 0
    assert items_verified(district.township_a, day) == 0
    assert items_verified(district.township_a, day + datetime.timedelta(days=1)) == 1
    assert items_overdue(district.township_a, NOW + datetime.timedelta(hours=25)) == 1
    assert items_overdue(district.township_a, NOW + datetime.timedelta(hours=23)) == 0
    assert items_overdue(district.township_b, NOW + datetime.timedelta(hours=25)) == 1
