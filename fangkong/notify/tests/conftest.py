"""A campaign of three people in township A; the locmem backend's outbox emptied for each test."""

from __future__ import annotations

import datetime

import pytest

from fangkong.lib.reporting_day import SHANGHAI
from fangkong.notify import backends
from fangkong.notify.models import SmsTemplate
from fangkong.people.tests.helpers import create_person

NOW = datetime.datetime(2021, 8, 3, 10, 0, tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def _empty_outbox():
    backends.outbox.clear()
    yield
    backends.outbox.clear()


@pytest.fixture
def template(db):
    return SmsTemplate.objects.get(code="round_untested")


@pytest.fixture
def residents(district):
    return [create_person(district.grid_a, f"居民{i}", phone=f"1380000{i:04d}") for i in range(3)]
