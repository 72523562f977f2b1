"""The 12:00 Asia/Shanghai deadline, on both sides of noon and across midnight UTC."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from fangkong.reporting.actions import do_file_report
from fangkong.reporting.models import ReportStatus

from .conftest import BJ, DAY, bj, figures, file

UTC = datetime.UTC


def test_a_report_at_0759_beijing_is_for_the_beijing_day_although_utc_is_still_yesterday(district, cadre_a):
    now = datetime.datetime(2021, 8, 2, 23, 59, tzinfo=UTC)  # 2021-08-03 07:59 in Beijing
    report = file(cadre_a, district.township_a, now)
    assert report.day == DAY
    assert report.status == ReportStatus.ON_TIME


def test_a_report_at_0801_beijing_is_on_time(district, cadre_a):
    now = datetime.datetime(2021, 8, 3, 0, 1, tzinfo=UTC)
    report = file(cadre_a, district.township_a, now)
    assert report.day == DAY
    assert not report.is_late


def test_a_report_at_exactly_noon_is_on_time(district, cadre_a):
    assert file(cadre_a, district.township_a, bj(12, 0, 0)).status == ReportStatus.ON_TIME


def test_a_report_one_second_after_noon_is_late(district, cadre_a):
    report = file(cadre_a, district.township_a, bj(12, 0, 1))
    assert report.is_late
    assert report.status == ReportStatus.LATE


def test_a_report_cannot_be_filed_for_tomorrow(district, cadre_a):
    with pytest.raises(ValidationError):
        do_file_report(
            cadre_a, district.township_a, DAY + datetime.timedelta(days=1), figures(), now=bj(11, 0)
        )


def test_a_report_cannot_first_be_filed_after_the_day_is_over(district, cadre_a):
    after_midnight = datetime.datetime(2021, 8, 4, 0, 5, tzinfo=BJ)
    with pytest.raises(ValidationError) as exc:
        do_file_report(cadre_a, district.township_a, DAY, figures(), now=after_midnight)
    assert "day" in exc.value.message_dict
