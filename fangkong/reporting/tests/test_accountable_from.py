"""A unit is accountable from the day after it starts reporting (the day after it is created), never for
the days before: going live at 16:42 with units created a minute earlier opens no records for that day."""

from __future__ import annotations

import datetime

from fangkong.reporting.actions import do_deadline_sweep
from fangkong.reporting.completeness import completeness
from fangkong.reporting.models import AccountabilityRecord, DailyReport, Notification, ReportStatus

from .conftest import DAY, bj, file, reporting_since

NEXT = DAY + datetime.timedelta(days=1)


def next_day(hour: int, minute: int = 0, second: int = 0) -> datetime.datetime:
    return bj(hour, minute, second, day=NEXT)


def test_going_live_in_the_afternoon_opens_nothing_for_that_day(district, cadre_a, command_user):
    every_unit = [getattr(district, f) for f in district.__dataclass_fields__]
    reporting_since(*every_unit, since=bj(16, 41))
    result = do_deadline_sweep(bj(16, 42))
    assert result.late == {DAY.isoformat(): 0}
    assert not AccountabilityRecord.objects.exists()
    assert not DailyReport.objects.exists()
    assert not Notification.objects.exists()
    assert completeness(district.county, DAY, DAY, bj(16, 42)).total.expected == 0

    do_deadline_sweep(next_day(0, 1))  # the go-live day closes with nothing missing
    assert not DailyReport.objects.filter(day=DAY).exists()

    do_deadline_sweep(next_day(12, 0, 1))  # from the next day on, the units are held to 12:00
    assert AccountabilityRecord.objects.filter(day=NEXT).count() == 4
    assert completeness(district.county, NEXT, NEXT, next_day(12, 1)).total.overdue == 4


def test_a_unit_added_later_is_not_due_on_the_day_it_is_created(district, cadre_a, command_user):
    reporting_since(district.village_b, since=bj(9, 0))
    do_deadline_sweep(bj(12, 0, 1))
    late = set(AccountabilityRecord.objects.values_list("region__code", flat=True))
    assert district.village_b.code not in late and len(late) == 3
    tally = completeness(district.county, DAY, DAY, bj(12, 1)).total
    assert tally.expected == 3 and tally.overdue == 3


def test_a_new_unit_filing_on_its_first_day_is_neither_late_nor_counted(district, cadre_a):
    reporting_since(district.village_a, since=bj(9, 0))
    report = file(cadre_a, district.village_a, bj(15, 0))
    assert report.status == ReportStatus.LATE  # the filing is what it is
    assert not AccountabilityRecord.objects.filter(region=district.village_a).exists()
    tally = completeness(district.county, DAY, DAY, bj(15, 1)).total
    assert tally.expected == 3 and tally.received == 0
