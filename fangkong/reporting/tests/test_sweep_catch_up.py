"""After an outage of the job consumer every day since the last closed one is closed, in order, with its
records and one notice per unit and day; the command office is told that the sweep caught up."""

from __future__ import annotations

import datetime

from fangkong.reporting.actions import do_deadline_sweep
from fangkong.reporting.models import (
    AccountabilityReason,
    AccountabilityRecord,
    DailyReport,
    Notification,
    ReportStatus,
    SweepKind,
    SweepRun,
)

from .conftest import BJ, file

DEC = [datetime.date(2026, 12, d) for d in range(1, 5)]


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=BJ)


def test_a_three_day_outage_closes_every_day_in_order(district, cadre_a, cadre_b, command_user):
    do_deadline_sweep(at(DEC[0], 10))  # the last run before the consumer stops
    file(cadre_a, district.township_a, at(DEC[1], 9))  # one unit filed on time on Dec 2
    result = do_deadline_sweep(at(DEC[3], 9))

    assert result.caught_up == [d.isoformat() for d in DEC[:3]]
    for day in DEC[:3]:
        statuses = dict(DailyReport.objects.filter(day=day).values_list("region__code", "status"))
        expected_missing = 3 if day == DEC[1] else 4
        assert list(statuses.values()).count(ReportStatus.MISSING) == expected_missing, day
        assert (
            AccountabilityRecord.objects.filter(day=day, reason=AccountabilityReason.MISSING).count()
            == expected_missing
        )
        assert SweepRun.objects.filter(day=day, kind=SweepKind.DAY_END).exists()
    assert DailyReport.objects.get(region=district.township_a, day=DEC[1]).status == ReportStatus.ON_TIME
    # Dec 4 is today and before 12:00: nothing is marked yet.
    assert not DailyReport.objects.filter(day=DEC[3]).exists()


def test_each_unit_is_told_once_per_day_it_missed(district, cadre_b, command_user, english):
    do_deadline_sweep(at(DEC[0], 10))
    do_deadline_sweep(at(DEC[3], 9))
    do_deadline_sweep(at(DEC[3], 9, 1))  # a second run repeats nothing
    for day in DEC[:3]:
        # township B's own report, and village B below it as its superior
        own = Notification.objects.get(
            user=cadre_b, link=f"/reports/file/?day={day.isoformat()}", text__contains="is missing"
        )
        assert "is missing" in own.text
        below = Notification.objects.get(
            user=cadre_b, link__startswith="/reports/completeness/", link__contains=day.isoformat()
        )
        assert "1 unit below you" in below.text


def test_the_command_office_sees_the_catch_up(district, command_user, english):
    do_deadline_sweep(at(DEC[0], 10))
    do_deadline_sweep(at(DEC[3], 9))
    notice = Notification.objects.get(user=command_user, text__contains="closed those 3 days")
    assert "start=2026-12-01&end=2026-12-03" in notice.link
    assert "12 unit reports missing" in notice.text


def test_a_normal_night_is_not_a_catch_up(district, command_user, english):
    do_deadline_sweep(at(DEC[0], 12, 1))
    result = do_deadline_sweep(at(DEC[1], 0, 1))
    assert result.caught_up == []
    assert result.missing == {DEC[0].isoformat(): 4}
    assert not Notification.objects.filter(user=command_user, text__contains="closed").exists()


def test_the_catch_up_starts_after_the_last_closed_day(district):
    do_deadline_sweep(at(DEC[0], 12, 1))
    do_deadline_sweep(at(DEC[1], 0, 1))  # Dec 1 closed
    result = do_deadline_sweep(at(DEC[3], 0, 5))
    assert sorted(result.missing) == [DEC[1].isoformat(), DEC[2].isoformat()]
