"""Figures for the daily report: received and verified per Beijing day, overdue at an instant."""

from __future__ import annotations

import datetime

from fangkong.pushlists.actions import do_verify
from fangkong.pushlists.figures import items_overdue, items_received, items_verified
from fangkong.pushlists.models import Outcome
from fangkong.pushlists.tests.conftest import NOW, item, write_csv


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


def test_overdue_at_an_instant_counts_items_verified_later_and_not_batches_finished_later(
    district, batch, cadre_a, import_file, tmp_path
):
    # 张三 and 王五 (township A) are due at NOW + 24 h; 张三 is verified only at NOW + 30 h.
    do_verify(cadre_a, item(batch, "张三"), outcome=Outcome.NOT_LOCAL, now=NOW + datetime.timedelta(hours=30))
    assert items_overdue(district.township_a, NOW + datetime.timedelta(hours=26)) == 2
    assert items_overdue(district.township_a, NOW + datetime.timedelta(hours=31)) == 1
    # A second list imported a day later: its items are not overdue at an instant before it was imported, and
    # are once their own deadline has passed.
    rows = [["钱七", "410928199001010051", "13912345600", "南京", "2021-08-03", "王助镇", ""]]
    later = import_file(write_csv(tmp_path / "later.csv", rows), now=NOW + datetime.timedelta(hours=28))
    assert later.items.count() == 1
    assert items_overdue(district.township_a, NOW + datetime.timedelta(hours=27)) == 2
    assert items_overdue(district.township_a, NOW + datetime.timedelta(hours=31)) == 1
    assert items_overdue(district.township_a, NOW + datetime.timedelta(hours=53)) == 2
    assert items_overdue(district.county, NOW + datetime.timedelta(hours=53)) == 4  # all but 张三
