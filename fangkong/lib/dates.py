"""Days typed by people (query strings, URL paths, API parameters), parsed in one place.

Python dates run from 0001-01-01 to 9999-12-31, but a page that shows "the day before" or a query that
asks for "the end of the day" steps past those ends and raises OverflowError. Every day that comes from
outside is therefore held to the span the system can have data for: from 2000 to about a year ahead.
"""

from __future__ import annotations

import datetime

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from fangkong.lib.reporting_day import local_date

EARLIEST = datetime.date(2000, 1, 1)
LATEST_DAYS_AHEAD = 366


def latest_day(
    latest_days_ahead: int = LATEST_DAYS_AHEAD, *, today: datetime.date | None = None
) -> datetime.date:
    """The last day accepted: `latest_days_ahead` days after today in Beijing."""
    today = today or local_date(datetime.datetime.now(tz=datetime.UTC))
    return today + datetime.timedelta(days=latest_days_ahead)


def parse_day(
    value: str | datetime.date | None,
    *,
    earliest: datetime.date = EARLIEST,
    latest_days_ahead: int = LATEST_DAYS_AHEAD,
    today: datetime.date | None = None,
) -> datetime.date | None:
    """The day `value` names (ISO `2021-08-03`, or an already parsed date), or None when it is empty,
    malformed, or outside `earliest` .. today + `latest_days_ahead`."""
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return None  # an instant is not a day; callers pass dates or text
    if isinstance(value, datetime.date):
        day = value
    else:
        try:
            day = datetime.date.fromisoformat(value.strip())
        except ValueError:
            return None
    if not earliest <= day <= latest_day(latest_days_ahead, today=today):
        return None
    return day


def day_error(
    *,
    earliest: datetime.date = EARLIEST,
    latest_days_ahead: int = LATEST_DAYS_AHEAD,
    today: datetime.date | None = None,
) -> str:
    """The message for a day that `parse_day` refused, naming the accepted span."""
    return _("Enter a real day between %(earliest)s and %(latest)s.") % {
        "earliest": date_format(earliest, "SHORT_DATE_FORMAT"),
        "latest": date_format(latest_day(latest_days_ahead, today=today), "SHORT_DATE_FORMAT"),
    }
