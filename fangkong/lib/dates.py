"""Days typed by people (query strings, URL paths, API parameters, form fields), parsed in one place.

Python dates run from 0001-01-01 to 9999-12-31, but a page that shows "the day before" or a query that
asks for "the end of the day" steps past those ends and raises OverflowError. Every day that comes from
outside is therefore held to the span the system can have data for: from 2000 to about a year ahead.

Days of events a person types into a form (a return, a test, a risk area taking effect, a visit) are held to a
narrower window: nothing the platform records happened before the epidemic (2019-01-01), so 0006-02-02 — a
slip of the year field — is refused with a message instead of stored. Birth dates are not events: they come from
ID numbers and follow their own rules.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from fangkong.lib.reporting_day import local_date

EARLIEST = datetime.date(2000, 1, 1)
LATEST_DAYS_AHEAD = 366
EVENTS_EARLIEST = datetime.date(2019, 1, 1)


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


def event_day_error(day: datetime.date, *, today: datetime.date | None = None) -> str | None:
    """The message for the day of an event outside 2019-01-01 .. a year ahead, or None when it is plausible."""
    if parse_day(day, earliest=EVENTS_EARLIEST, today=today) is not None:
        return None
    return day_error(earliest=EVENTS_EARLIEST, today=today)


def validate_event_day(value: datetime.date | None) -> None:
    """Form-field validator: the day of an event a person typed must be plausible (see `event_day_error`)."""
    if value is not None and (message := event_day_error(value)):
        raise ValidationError(message, code="implausible_day")
