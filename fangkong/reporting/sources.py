"""Where the system already knows a figure: a registry of figure functions by source code.

Each publishing app registers its figures explicitly in its own `AppConfig.ready()` (see `screening/apps.py`,
`pushlists/apps.py`): no discovery by module name or by signature. A figure is `fn(region, day, at) -> int`,
counted over `region`'s subtree for the Beijing `day` as known at the instant `at`; the reader passes
`at = min(now, end of day)`, so a past day's figure is what it was at that day's end, whenever it is read.

The codes the default form names (`EXPECTED`) must be registered: a Django system check fails start-up (every
management command, `serve` included) when one is missing, so a renamed function cannot silently drop a
prefill or a 瞒报 flag.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable
from typing import Any

from django.core import checks

from fangkong.lib import reporting_day
from fangkong.regions.models import Region

log = logging.getLogger(__name__)

Figure = Callable[[Region, datetime.date, datetime.datetime], int]
_SOURCES: dict[str, Figure] = {}

# The sources the default daily form names (migration 0002): the system computes these figures.
EXPECTED = frozenset(
    {
        "screening.returnees_registered",
        "screening.returnees_verified",
        "screening.returnees_under_control",
        "pushlists.items_received",
        "pushlists.items_verified",
        "pushlists.items_overdue",
        "vaccination.doses_given",
        "supplies.items_short",
        "publicity.items",
        "control.central_isolation",
        "control.home_isolation",
        "control.health_monitoring",
        "control.close_contacts",
        "testing.samples_taken",
        "testing.results_negative",
        "testing.results_positive",
        "checkpoints.manned",
        "checkpoints.people_checked",
        "fieldwork.disinfection_area",
    }
)


def register_source(code: str, fn: Figure) -> None:
    _SOURCES[code] = fn


def unregister_source(code: str) -> None:
    _SOURCES.pop(code, None)


def registered() -> list[str]:
    return sorted(_SOURCES)


def as_of(day: datetime.date, now: datetime.datetime) -> datetime.datetime:
    """The instant a figure of `day` is read at: `now`, or the day's end once the day is over."""
    return min(now, reporting_day.day_end(day))


def source_value(code: str, region: Region, day: datetime.date, now: datetime.datetime) -> int | None:
    """The figure the records give, or None when there is no such source or it fails.

    A failing source must not stop a unit from filing before the deadline, so errors are logged, not raised.
    """
    fn = _SOURCES.get(code) if code else None
    if fn is None:
        return None
    try:
        value = int(fn(region, day, as_of(day, now)))
    except Exception:
        log.exception("report source %s failed for %s %s", code, region.code, day)
        return None
    return max(value, 0)


def source_values(
    codes: dict[str, str], region: Region, day: datetime.date, now: datetime.datetime
) -> dict[str, int]:
    """{indicator code: value} for the indicators (code -> source code) the records can answer."""
    out = {}
    for indicator_code, source in codes.items():
        value = source_value(source, region, day, now)
        if value is not None:
            out[indicator_code] = value
    return out


@checks.register("fangkong")
def check_expected_sources(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """Start-up fails when a figure the daily form reads is not registered by its app."""
    return [
        checks.Error(
            f"daily report figure {code!r} is not registered",
            hint="register it in the publishing app's AppConfig.ready() with reporting.sources.register_source",
            id="reporting.E001",
        )
        for code in sorted(EXPECTED - set(_SOURCES))
    ]
