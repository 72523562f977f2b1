"""Where the system already knows a figure: a registry of `fn(region, day) -> int` by source code.

Other apps' figure functions are registered by `AppConfig.ready()` when their modules import cleanly, so a
report form can be prefilled from records (and a figure that disagrees with them flagged, possible 瞒报).
"""

from __future__ import annotations

import datetime
import importlib
import inspect
import logging
from collections.abc import Callable
from datetime import date

from django.utils import timezone

from fangkong.lib import reporting_day
from fangkong.regions.models import Region

log = logging.getLogger(__name__)

SourceFn = Callable[[Region, date], int]
_SOURCES: dict[str, SourceFn] = {}


def register_source(code: str, fn: SourceFn) -> None:
    _SOURCES[code] = fn


def unregister_source(code: str) -> None:
    _SOURCES.pop(code, None)


def registered() -> list[str]:
    return sorted(_SOURCES)


def source_value(code: str, region: Region, day: date) -> int | None:
    """The figure the records give, or None when there is no such source or it fails.

    A failing source must not stop a unit from filing before the deadline, so errors are logged, not raised.
    """
    fn = _SOURCES.get(code) if code else None
    if fn is None:
        return None
    try:
        value = int(fn(region, day))
    except Exception:
        log.exception("report source %s failed for %s %s", code, region.code, day)
        return None
    return max(value, 0)


def source_values(codes: dict[str, str], region: Region, day: date) -> dict[str, int]:
    """{indicator code: value} for the indicators (code -> source code) the records can answer."""
    out = {}
    for indicator_code, source in codes.items():
        value = source_value(source, region, day)
        if value is not None:
            out[indicator_code] = value
    return out


def _ignore_day(fn: Callable[[Region], int]) -> SourceFn:
    def figure(region: Region, day: date) -> int:
        return fn(region)

    return figure


def _at_instant(fn: Callable[[Region, datetime.datetime], int]) -> SourceFn:
    def figure(region: Region, day: date) -> int:
        # A figure "as of an instant" (items overdue now) is read now, or at the end of a past day.
        return fn(region, min(timezone.now(), reporting_day.day_end(day)))

    return figure


def register_module(module_name: str, prefix: str) -> int:
    """Register every public `fn(region, day)` of `module_name` as `<prefix>.<fn name>`.

    The module is written by another team and may not exist yet: absence is not an error.
    """
    try:
        module = importlib.import_module(module_name)
    except Exception:  # ImportError, or a half-written module that fails at import
        log.info("report sources: %s not available", module_name)
        return 0
    count = 0
    for name, fn in inspect.getmembers(module, inspect.isfunction):
        if name.startswith("_") or fn.__module__ != module.__name__:
            continue
        try:
            params = inspect.signature(fn).parameters
        except (TypeError, ValueError):
            continue
        if len(params) == 2 and list(params)[1] == "now":
            register_source(f"{prefix}.{name}", _at_instant(fn))
        elif len(params) == 2:
            register_source(f"{prefix}.{name}", fn)
        elif len(params) == 1:
            # A standing figure (people under control now) does not depend on the day.
            register_source(f"{prefix}.{name}", _ignore_day(fn))
        else:
            continue
        count += 1
    return count
