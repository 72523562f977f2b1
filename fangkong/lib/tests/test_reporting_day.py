import datetime
from zoneinfo import ZoneInfo

import pytest

from fangkong.lib.reporting_day import SHANGHAI, deadline, is_late, reporting_day

UTC = ZoneInfo("UTC")


def test_the_deadline_is_noon_beijing_time():
    assert deadline(datetime.date(2021, 8, 3)) == datetime.datetime(2021, 8, 3, 4, 0, tzinfo=UTC)


def test_the_reporting_day_follows_beijing_not_utc_around_midnight_utc():
    # 23:59 UTC on 2 Aug is 07:59 on 3 Aug in Beijing: the reporting day is already 3 Aug.
    assert reporting_day(datetime.datetime(2021, 8, 2, 23, 59, tzinfo=UTC)) == datetime.date(2021, 8, 3)
    assert reporting_day(datetime.datetime(2021, 8, 3, 0, 1, tzinfo=UTC)) == datetime.date(2021, 8, 3)
    # 16:01 UTC is 00:01 the next Beijing day.
    assert reporting_day(datetime.datetime(2021, 8, 3, 16, 1, tzinfo=UTC)) == datetime.date(2021, 8, 4)


def test_a_report_is_late_only_after_noon():
    day = datetime.date(2021, 8, 3)
    assert not is_late(day, datetime.datetime(2021, 8, 3, 11, 59, 59, tzinfo=SHANGHAI))
    assert not is_late(day, datetime.datetime(2021, 8, 3, 12, 0, tzinfo=SHANGHAI))
    assert is_late(day, datetime.datetime(2021, 8, 3, 12, 0, 1, tzinfo=SHANGHAI))


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError):
        reporting_day(datetime.datetime(2021, 8, 3, 12, 0))
