"""Overdue items: not closed after their due day (Beijing), listed first, counted in the daily figure."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse

from fangkong.supervision.actions import do_accept_fix, do_report_fix
from fangkong.supervision.figures import items_closed, items_found, items_overdue
from fangkong.supervision.models import RectificationItem
from fangkong.supervision.tests.helpers import bj, make_inspector, open_item, photo


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_an_item_is_overdue_from_the_day_after_its_due_day(district):
    inspector = make_inspector(district.county)
    item = open_item(inspector, district.village_a, due_on=datetime.date(2021, 8, 12), now=bj(2021, 8, 10))
    assert not item.is_overdue(datetime.date(2021, 8, 12))
    assert item.is_overdue(datetime.date(2021, 8, 13))
    # 00:30 Beijing on the 13th is still the 12th in UTC: the Beijing day counts.
    assert items_overdue(district.county, bj(2021, 8, 12, 23, 59)) == 0
    assert items_overdue(district.county, bj(2021, 8, 13, 0, 30)) == 1


def test_a_reported_fix_stays_overdue_until_accepted(district, cadre_a):
    inspector = make_inspector(district.county)
    item = open_item(inspector, district.village_a, due_on=datetime.date(2021, 8, 12), now=bj(2021, 8, 10))
    do_report_fix(cadre_a, item, note="已整改", photos=[photo()], now=bj(2021, 8, 13, 9))
    assert items_overdue(district.county, bj(2021, 8, 13, 10)) == 1
    do_accept_fix(inspector, item, now=bj(2021, 8, 13, 11))
    assert items_overdue(district.county, bj(2021, 8, 13, 12)) == 0
    # As of a past instant, the figures are what they were then.
    assert items_overdue(district.county, bj(2021, 8, 13, 10)) == 1
    assert items_closed(district.county, bj(2021, 8, 13, 10)) == 0
    assert items_found(district.county, bj(2021, 8, 9)) == 0


def test_the_list_shows_overdue_items_first(district, client_for):
    inspector = make_inspector(district.county)
    later = open_item(
        inspector,
        district.village_a,
        due_on=datetime.date(2021, 8, 20),
        now=bj(2021, 8, 10),
        description="新近",
    )
    overdue = open_item(
        inspector,
        district.village_a,
        due_on=datetime.date(2021, 8, 11),
        now=bj(2021, 8, 9),
        description="逾期",
    )
    with time_machine.travel(bj(2021, 8, 15), tick=False):
        response = client_for(inspector).get(reverse("supervision:home"))
    listed = [i.uuid for i in response.context["page_obj"]]
    assert listed == [overdue.uuid, later.uuid]
    assert response.context["table"].total.overdue == 1
    assert "逾期" in response.content.decode()
    assert RectificationItem.objects.overdue(datetime.date(2021, 8, 15)).count() == 1
