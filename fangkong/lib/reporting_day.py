"""The reporting day and its 12:00 deadline, computed in one place, always in Asia/Shanghai.

A report "for day D" is due at 12:00 Beijing time on D. Before 08:00 Beijing time the UTC date is still
yesterday, which is why nothing here ever uses `now.date()`.

The two boundaries are compared here and nowhere else: an instant is *past the deadline* when it lies
strictly after 12:00:00.000000 (a filing at 12:00:00 exactly is on time, so a unit silent at 12:00:00 is
still pending), and *the day is over* from 00:00:00 of the next Beijing day on.
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


def day_start(day: datetime.date) -> datetime.datetime:
    """00:00 Asia/Shanghai on `day`."""
    return datetime.datetime.combine(day, datetime.time(0, 0), tzinfo=SHANGHAI)


def day_end(day: datetime.date) -> datetime.datetime:
    """The first instant of the next Beijing day: a report not in by then is missing."""
    return day_start(day + datetime.timedelta(days=1))


def is_past_deadline(day: datetime.date, instant: datetime.datetime) -> bool:
    """Whether `instant` lies after the deadline of `day`: the one comparison for 12:00:00."""
    return instant > deadline(day)


def is_day_over(day: datetime.date, instant: datetime.datetime) -> bool:
    """Whether `day` has ended at `instant` (a first filing is no longer accepted; silence is missing)."""
    return instant >= day_end(day)


def is_late(day: datetime.date, submitted_at: datetime.datetime) -> bool:
    """A report first submitted at `submitted_at` is late: the deadline rule, applied to the filing."""
    return is_past_deadline(day, submitted_at)
