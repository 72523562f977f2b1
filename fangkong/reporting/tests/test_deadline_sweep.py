"""The 12:00 sweep marks silent units late and opens accountability; the day-end sweep marks them missing."""

from __future__ import annotations

import datetime
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from conftest import make_user
from fangkong.accounts.permissions import Role
from fangkong.reporting.actions import do_deadline_sweep
from fangkong.reporting.models import (
    AccountabilityReason,
    AccountabilityRecord,
    DailyReport,
    Notification,
    ReportStatus,
)

from .conftest import BJ, DAY, bj, file


def test_nothing_is_marked_before_noon(district, cadre_a):
    do_deadline_sweep(bj(11, 59, 59))
    assert not DailyReport.objects.exists()
    assert not AccountabilityRecord.objects.exists()


def test_at_noon_silent_units_are_late_and_accountability_opens(district, cadre_a, cadre_b, command_user):
    file(cadre_a, district.township_a, bj(9, 0))
    result = do_deadline_sweep(bj(12, 0, 1))
    late = set(
        DailyReport.objects.filter(day=DAY, status=ReportStatus.OVERDUE).values_list(
            "region__code", flat=True
        )
    )
    assert late == {district.village_a.code, district.township_b.code, district.village_b.code}
    assert result.late == {DAY.isoformat(): 3}
    assert AccountabilityRecord.objects.filter(reason=AccountabilityReason.LATE).count() == 3
    assert not AccountabilityRecord.objects.filter(region=district.township_a).exists()


def test_the_superior_and_the_unit_are_told(district, cadre_a, cadre_b, command_user):
    file(cadre_a, district.township_a, bj(9, 0))
    do_deadline_sweep(bj(12, 0, 1))
    assert Notification.objects.filter(user=cadre_b).count() == 2  # own unit late, and village B below
    boss = Notification.objects.get(user=command_user)
    assert "1" in boss.text and district.township_b.name in boss.text
    assert Notification.objects.filter(user=cadre_a).count() == 1  # village A below is late


def test_the_sweep_is_idempotent(district, cadre_b, command_user):
    do_deadline_sweep(bj(12, 0, 1))
    do_deadline_sweep(bj(12, 1))
    assert DailyReport.objects.count() == 4
    assert AccountabilityRecord.objects.count() == 4
    assert Notification.objects.filter(user=command_user).count() == 1


def test_a_late_report_filed_after_the_sweep_stays_late(district, cadre_b):
    do_deadline_sweep(bj(12, 0, 1))
    report = file(cadre_b, district.township_b, bj(15, 0))
    assert report.status == ReportStatus.LATE
    assert AccountabilityRecord.objects.get(region=district.township_b).report == report


def test_after_midnight_still_silent_units_are_missing(district, cadre_a):
    do_deadline_sweep(bj(12, 0, 1))
    file(cadre_a, district.township_a, bj(15, 0))
    do_deadline_sweep(datetime.datetime(2021, 8, 4, 0, 0, 30, tzinfo=BJ))
    statuses = dict(DailyReport.objects.filter(day=DAY).values_list("region__code", "status"))
    assert statuses[district.township_a.code] == ReportStatus.LATE
    assert statuses[district.township_b.code] == ReportStatus.MISSING
    reasons = dict(AccountabilityRecord.objects.values_list("region__code", "reason"))
    assert reasons[district.township_b.code] == AccountabilityReason.MISSING
    assert reasons[district.township_a.code] == AccountabilityReason.LATE


def test_a_consumer_down_at_noon_still_marks_yesterday_late_then_missing(district):
    do_deadline_sweep(bj(10, 0))
    do_deadline_sweep(datetime.datetime(2021, 8, 4, 9, 0, tzinfo=BJ))
    assert DailyReport.objects.filter(day=DAY, status=ReportStatus.MISSING).count() == 4
    assert AccountabilityRecord.objects.filter(day=DAY, reason=AccountabilityReason.MISSING).count() == 4


def test_the_command_replays_the_sweep_for_any_instant(district, cadre_b):
    out = StringIO()
    call_command("run_deadline_sweep", "--now", "2021-08-03T04:00:01+00:00", stdout=out)  # 12:00:01 Beijing
    assert json.loads(out.getvalue())["late"] == {DAY.isoformat(): 4}
    assert AccountabilityRecord.objects.count() == 4


def test_the_command_refuses_a_naive_instant(district):
    with pytest.raises(CommandError):
        call_command("run_deadline_sweep", "--now", "2021-08-03T12:00:00")


def test_an_inactive_filer_is_not_told(district):
    user = make_user("gone", Role.TOWNSHIP_CADRE, district.township_b)
    user.is_active = False
    user.save()
    do_deadline_sweep(bj(12, 0, 1))
    assert not Notification.objects.filter(user=user).exists()


def test_a_fresh_install_does_not_mark_the_day_before_missing(district):
    do_deadline_sweep(datetime.datetime(2021, 8, 4, 9, 0, tzinfo=BJ))
    assert not DailyReport.objects.exists()
