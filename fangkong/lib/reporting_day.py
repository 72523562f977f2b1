"""The reporting day and its 12:00 deadline, computed in one place, always in Asia/Shanghai.

A report "for day D" is due at 12:00 Beijing time on D. Before 08:00 Beijing time the UTC date is still
yesterday, which is why nothing here ever uses `now.date()`.
"""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")
DEADLINE = datetime.time(12, 0)


def local_date(now: datetime.datetime) -> datetime.date:
    """The calendar day in Asia/Shanghai at the aware instant `now`."""
    if now.tzinfo is None:
        raise ValueError("naive datetime")
    return now.astimezone(SHANGHAI).date()


def reporting_day(now: datetime.datetime) -> datetime.date:
    """The day whose report is being filed at `now` (the Beijing calendar day)."""
    return local_date(now)


def deadline(day: datetime.date) -> datetime.datetime:
    """12:00 Asia/Shanghai on `day`, as an aware datetime."""
    return datetime.datetime.combine(day, DEADLINE, tzinfo=SHANGHAI)


def day_end(day: datetime.date) -> datetime.datetime:
    """The first instant of the next Beijing day: a report not in by then is missing."""
    return datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time(0, 0), tzinfo=SHANGHAI)


def is_late(day: datetime.date, submitted_at: datetime.datetime) -> bool:
    return submitted_at > deadline(day)
