"""Below the reorder threshold and lots expiring within 30 days warn on the unit's page and count in the daily
report's 防疫物资短缺项数 (the form's indicator reads the system's figure)."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.utils import timezone

from fangkong.lib.reporting_day import SHANGHAI, day_end
from fangkong.reporting.models import Indicator
from fangkong.reporting.sources import source_value
from fangkong.supplies.actions import do_issue, do_set_threshold
from fangkong.supplies.levels import lots_expiring, shortages, warnings_for
from fangkong.supplies.tests.helpers import item, receive, warehouse

pytestmark = pytest.mark.django_db


def test_below_threshold_is_a_shortage(district, cadre_a):
    w = warehouse(district.township_a)
    receive(w, 100)
    do_set_threshold(cadre_a, w, item(), 50)
    day, now = timezone.localdate(), timezone.now()
    assert shortages(district.township_a, day, now) == 0
    do_issue(cadre_a, w, item(), quantity=51, reason="发放", now=now)
    assert shortages(district.township_a, day, timezone.now()) == 1
    assert shortages(district.county, day, timezone.now()) == 1
    assert shortages(district.township_b, day, timezone.now()) == 0


@time_machine.travel(datetime.datetime(2021, 8, 10, 9, 0, tzinfo=SHANGHAI), tick=False)
def test_a_lot_expiring_within_30_days_warns_and_an_expired_lot_is_not_stock(district, cadre_a):
    w = warehouse(district.township_a)
    receive(w, 40, lot="SOON", expires_on=datetime.date(2021, 9, 9))  # day 30
    receive(w, 40, lot="LATER", expires_on=datetime.date(2021, 9, 10))  # day 31
    do_set_threshold(cadre_a, w, item(), 50)
    today = timezone.localdate()
    warnings = warnings_for(district.township_a, today)
    assert [lot.number for lot in warnings.expiring] == ["SOON"]
    assert warnings.short == []
    # On 10 September SOON has expired: 40 usable, below the threshold of 50.
    later = datetime.date(2021, 9, 10)
    assert shortages(district.township_a, later, day_end(later)) == 1
    assert lots_expiring(district.township_a, later, day_end(later)) == 2


def test_a_past_day_reads_the_stock_of_that_day(district, cadre_a):
    w = warehouse(district.township_a)
    do_set_threshold(cadre_a, w, item(), 10)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    receive(w, 20, now=day_end(yesterday) - datetime.timedelta(hours=1))
    do_issue(cadre_a, w, item(), quantity=15, reason="发放", now=timezone.now())
    assert shortages(district.township_a, yesterday, day_end(yesterday)) == 0
    assert shortages(district.township_a, timezone.localdate(), timezone.now()) == 1


def test_the_daily_form_reads_the_shortage_figure(district, cadre_a):
    assert Indicator.objects.get(form__code="daily", code="supply_shortages").source == "supplies.items_short"
    assert (
        Indicator.objects.get(form__code="daily", code="vaccination_doses").source
        == "vaccination.doses_given"
    )
    w = warehouse(district.township_a)
    do_set_threshold(cadre_a, w, item("protective_suit"), 5)
    assert (
        source_value("supplies.items_short", district.township_a, timezone.localdate(), timezone.now()) == 1
    )
