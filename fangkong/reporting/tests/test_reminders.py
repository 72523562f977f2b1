"""Reminders at 10:00 and 11:30 go to units that have not filed, once each."""

from __future__ import annotations

from fangkong.reporting.actions import do_deadline_sweep
from fangkong.reporting.models import Notification

from .conftest import bj, file


def test_no_reminder_before_ten(district, cadre_a):
    do_deadline_sweep(bj(9, 59))
    assert not Notification.objects.exists()


def test_units_that_have_not_filed_are_reminded_at_ten(district, cadre_a, cadre_b):
    file(cadre_a, district.township_a, bj(9, 0))
    result = do_deadline_sweep(bj(10, 0))
    assert result.reminded == {"reminder_1000": 1}
    assert not Notification.objects.filter(user=cadre_a).exists()
    assert Notification.objects.filter(user=cadre_b).count() == 1


def test_reminders_are_idempotent(district, cadre_b):
    for minute in range(5):
        do_deadline_sweep(bj(10, minute))
    assert Notification.objects.filter(user=cadre_b).count() == 1


def test_the_1130_reminder_is_sent_once_more(district, cadre_b):
    do_deadline_sweep(bj(10, 0))
    do_deadline_sweep(bj(11, 30))
    do_deadline_sweep(bj(11, 31))
    assert Notification.objects.filter(user=cadre_b).count() == 2


def test_a_late_starting_consumer_sends_only_the_latest_reminder(district, cadre_b):
    do_deadline_sweep(bj(11, 40))
    do_deadline_sweep(bj(11, 41))
    assert Notification.objects.filter(user=cadre_b).count() == 1


def test_grid_workers_are_not_reminded(district, grid_worker_a, cadre_b):
    do_deadline_sweep(bj(10, 0))
    assert not Notification.objects.filter(user=grid_worker_a).exists()
