"""An item that passes its due day unfixed is told, once, to its unit's cadres and to the inspector who found it,
by the hourly job; the Beijing day decides when, and a closed item is never told."""

from __future__ import annotations

import datetime

import pytest
import time_machine

from fangkong.reporting.models import Notification
from fangkong.supervision.actions import do_accept_fix, do_report_fix
from fangkong.supervision.tasks import notify_overdue_items
from fangkong.supervision.tests.helpers import bj, make_inspector, open_item, photo

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def run_job(capture) -> int:
    with capture(execute=True):
        return notify_overdue_items.call_local()


def test_the_unit_and_the_inspector_are_told_once_after_the_due_day(
    district, cadre_a, cadre_b, django_capture_on_commit_callbacks
):
    inspector = make_inspector(district.county)
    item = open_item(inspector, district.village_a, due_on=datetime.date(2021, 8, 12), now=bj(2021, 8, 10))
    Notification.objects.all().delete()  # the notice that the item was opened
    # 23:59 Beijing on the due day: not overdue yet.
    with time_machine.travel(bj(2021, 8, 12, 23, 59), tick=False):
        assert run_job(django_capture_on_commit_callbacks) == 0
    assert not Notification.objects.exists()
    # 00:30 Beijing on the 13th is still the 12th in UTC: the Beijing day counts.
    with time_machine.travel(bj(2021, 8, 13, 0, 30), tick=False):
        assert run_job(django_capture_on_commit_callbacks) == 1
    told = Notification.objects.filter(link__contains=str(item.uuid))
    assert set(told.values_list("user_id", flat=True)) == {cadre_a.pk, inspector.pk}
    assert all("逾期" in n.text or "overdue" in n.text for n in told)
    assert not Notification.objects.filter(user=cadre_b).exists()
    item.refresh_from_db()
    assert item.overdue_notified_at == bj(2021, 8, 13, 0, 30)
    # Later runs do not tell again.
    with time_machine.travel(bj(2021, 8, 14, 9), tick=False):
        assert run_job(django_capture_on_commit_callbacks) == 0
    assert Notification.objects.count() == 2


def test_closed_items_and_items_not_yet_due_are_not_told(
    district, cadre_a, django_capture_on_commit_callbacks
):
    inspector = make_inspector(district.county)
    closed = open_item(inspector, district.village_a, due_on=datetime.date(2021, 8, 12), now=bj(2021, 8, 10))
    do_report_fix(cadre_a, closed, note="已整改", photos=[photo()], now=bj(2021, 8, 11))
    do_accept_fix(inspector, closed, now=bj(2021, 8, 11, 12))
    open_item(inspector, district.village_a, due_on=datetime.date(2021, 8, 20), now=bj(2021, 8, 10))
    reported = open_item(
        inspector, district.village_a, due_on=datetime.date(2021, 8, 12), now=bj(2021, 8, 10)
    )
    do_report_fix(cadre_a, reported, note="已整改", photos=[photo()], now=bj(2021, 8, 12))
    with time_machine.travel(bj(2021, 8, 15), tick=False):
        # A reported fix not yet accepted is still overdue (the rate's rule), so it is told.
        assert run_job(django_capture_on_commit_callbacks) == 1
    reported.refresh_from_db()
    closed.refresh_from_db()
    assert reported.overdue_notified_at is not None and closed.overdue_notified_at is None
