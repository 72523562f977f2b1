"""Helpers for the reporting tests: Beijing instants, a third township, a fake data source, filing."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from conftest import District, make_region
from fangkong.accounts.models import User
from fangkong.regions.models import Level, Region
from fangkong.reporting import sources
from fangkong.reporting.actions import do_file_report
from fangkong.reporting.models import DailyReport, ReportForm

BJ = ZoneInfo("Asia/Shanghai")
DAY = datetime.date(2021, 8, 3)


def bj(hour: int, minute: int = 0, second: int = 0, day: datetime.date = DAY) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=BJ)


def figures(**overrides: int) -> dict[str, int]:
    """A full set of figures for the default form: 1 everywhere (2 samples, 0 positives) unless overridden."""
    form = ReportForm.current()
    assert form is not None
    values = {i.code: 1 for i in form.active_indicators()}
    # Results cannot outnumber samples, and a positive result alerts the command office: none by default.
    values.update(nat_samples=2, nat_positive=0)
    values.update(overrides)
    return values


def file(
    user: User, unit: Region, now: datetime.datetime, *, is_zero: bool = False, **values: Any
) -> DailyReport:
    return do_file_report(
        user, unit, now.astimezone(BJ).date(), {} if is_zero else figures(**values), now=now, is_zero=is_zero
    )


@pytest.fixture(autouse=True)
def no_real_sources() -> Iterator[None]:
    """Other apps' figure functions are registered at start-up; these tests decide their own records."""
    saved = dict(sources._SOURCES)
    sources._SOURCES.clear()
    yield
    sources._SOURCES.clear()
    sources._SOURCES.update(saved)


# The reporting tests play out days in 2021; their units have reported since long before.
SINCE = datetime.datetime(2020, 1, 1, tzinfo=BJ)


def reporting_since(*regions: Region, since: datetime.datetime = SINCE) -> None:
    """Make units accountable from the day after `since` (a unit is due from the day after it is created)."""
    Region.objects.filter(pk__in=[r.pk for r in regions]).update(created_at=since)
    for region in regions:
        region.created_at = since


@pytest.fixture
def district(district: District) -> District:
    reporting_since(*[getattr(district, f) for f in district.__dataclass_fields__])
    return district


@pytest.fixture
def township_c(district: District) -> Region:
    region = make_region("410972102", "胡状镇", Level.TOWNSHIP, district.county)
    reporting_since(region)
    return region


@pytest.fixture
def verified_source() -> Iterator[dict[str, int]]:
    """Stands in for fangkong.pushlists.figures: push-list items verified today, by region code."""
    data: dict[str, int] = {}
    sources.register_source("pushlists.items_verified", lambda region, day, at: data.get(region.code, 0))
    yield data
    sources.unregister_source("pushlists.items_verified")


def page_figures(day: datetime.date = DAY, **overrides: int) -> dict[str, Any]:
    """What the filing page posts: the figures and the day the form was opened for."""
    return {**figures(**overrides), "day": day.isoformat()}
