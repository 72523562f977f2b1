"""Helpers for the testing tests: a point and a round in township A, people registered through the real actions."""

from __future__ import annotations

import datetime

import pytest

from conftest import District, make_user
from fangkong.accounts.models import User
from fangkong.accounts.permissions import Role
from fangkong.lib.reporting_day import SHANGHAI
from fangkong.people.models import Person
from fangkong.people.tests.helpers import create_person
from fangkong.testing.actions import do_create_point, do_create_round
from fangkong.testing.models import TestingPoint, TestingRound

NOW = datetime.datetime(2021, 8, 3, 9, 0, tzinfo=SHANGHAI)


@pytest.fixture
def collector(district: District) -> User:
    return make_user("jiance", Role.TESTING_STAFF, district.county)


@pytest.fixture
def point(district: District, collector: User) -> TestingPoint:
    return do_create_point(
        collector,
        region=district.township_a,
        name="王助镇卫生院采样点",
        address="王助镇政府路1号",
        opening_hours="08:00–12:00",
        desks=2,
        now=NOW,
    )


@pytest.fixture
def rnd(district: District, collector: User) -> TestingRound:
    return do_create_round(
        collector,
        name="第一轮全员核酸",
        units=[district.township_a],
        starts_on=NOW.date(),
        ends_on=NOW.date() + datetime.timedelta(days=1),
        now=NOW,
    )


@pytest.fixture
def people(district: District) -> list[Person]:
    return [create_person(district.grid_a, f"居民{i}", phone=f"1390000{i:04d}") for i in range(12)]


@pytest.fixture(autouse=True)
def _at_now():
    """The pages and the API read the clock: the round runs on NOW's day (Beijing 09:00, before 12:00)."""
    import time_machine

    with time_machine.travel(NOW, tick=False):
        yield
