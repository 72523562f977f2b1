"""What the command view (the home page, the bell) asks of the reporting app. Keep these signatures stable.

Figures come from the registry other apps publish into (`reporting.sources`), so the home page shows the same
numbers as the daily form's prefill and the briefing. A past day's figure is fixed as of that day's end, so it is
cached for a minute per unit, day and source; today's is always counted live.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.cache import cache

from fangkong.accounts.access import AnyUser
from fangkong.accounts.models import User
from fangkong.lib import memo, reporting_day
from fangkong.regions.models import Region
from fangkong.reporting import sources
from fangkong.reporting.access import notifications_for, urgent_for
from fangkong.reporting.completeness import completeness

PAST_DAY_SECONDS = 60  # "never more than a minute stale"


@dataclass(frozen=True)
class Reporting:
    """Today's daily reports of the units inside a region, before or after the 12:00 deadline."""

    day: datetime.date
    before_deadline: bool
    expected: int
    filed: int
    late: int
    pending: int  # not filed yet, before 12:00
    missing: int  # not filed, after 12:00


def reporting_today(region: Region, now: datetime.datetime) -> Reporting:
    day = reporting_day.reporting_day(now)
    tally = completeness(region, day, day, now).total.as_dict()
    return Reporting(
        day=day,
        before_deadline=now < reporting_day.deadline(day),
        expected=tally["expected"],
        filed=tally["received"],
        late=tally["late"],
        pending=tally["pending"],
        missing=tally["overdue"] + tally["missing"],
    )


def urgent_waiting(user: AnyUser) -> int:
    """Urgent reports inside the user's jurisdiction still waiting for the command office's acknowledgement."""
    return urgent_for(user).filter(acknowledged_at__isnull=True).count()


def unread_notifications(user: AnyUser) -> int:
    return notifications_for(user).unread().count()


def _value(code: str, region: Region, day: datetime.date, now: datetime.datetime) -> int | None:
    if day >= reporting_day.reporting_day(now):
        return sources.source_value(code, region, day, now)
    key = f"fk:figure:{code}:{region.pk}:{day.isoformat()}"
    cached = cache.get(key)
    if cached is not None:
        return int(cached)
    value = sources.source_value(code, region, day, now)
    if value is not None:
        cache.set(key, value, PAST_DAY_SECONDS)
    return value


def series(
    code: str, region: Region, now: datetime.datetime, *, days: int = 7
) -> list[tuple[datetime.date, int]] | None:
    """A registered figure for `region`'s subtree over the last `days` Beijing days, oldest first, today last;
    None when no app publishes `code` or today's value fails (the daily form shows it as unknown too)."""
    if code not in sources.registered():
        return None
    today = reporting_day.reporting_day(now)
    out = []
    with memo.scope():  # what a figure counts for every day alike is counted once for the series
        for back in range(days - 1, -1, -1):
            day = today - datetime.timedelta(days=back)
            value = _value(code, region, day, now)
            if value is not None:
                out.append((day, value))
    return out if out and out[-1][0] == today else None


def registered_sources() -> list[str]:
    return sources.registered()


def value(code: str, region: Region, now: datetime.datetime) -> int | None:
    """Today's value of a registered figure for `region`'s subtree."""
    return _value(code, region, reporting_day.reporting_day(now), now)


def bell_counts(user: User) -> dict[str, int]:
    return {"notifications": unread_notifications(user), "urgent": urgent_waiting(user)}
