"""Shared test personas: a district command-office user, a cadre of township A, a cadre of township B,
a grid worker of a village in A, and an anonymous visitor. Every app's tests use these."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.conf import settings
from django.core.servers.basehttp import WSGIServer
from django.test import Client
from django.test.testcases import LiveServerThread

from fangkong.accounts.models import User
from fangkong.accounts.permissions import Role
from fangkong.regions.models import Level, Region


class SerialWSGIServer(WSGIServer):
    """The browser tests' live server on in-memory SQLite: one request at a time. Django hands that database to
    the server as the test's own connection, and two requests at once on one sqlite3 connection hang (a page
    whose sections and bell load by htmx makes several at once). Connections close after each response."""

    def __init__(self, *args: Any, connections_override: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.connections_override = connections_override


if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    LiveServerThread.server_class = SerialWSGIServer  # type: ignore[assignment]


def make_region(code: str, name: str, level: Level, parent: Region | None) -> Region:
    return Region.objects.create(
        code=code,
        name=name,
        level=level,
        parent=parent,
        path=Region.path_for(code, parent),
        is_local=not code.isdigit(),
    )


@dataclass
class District:
    county: Region
    township_a: Region
    village_a: Region
    grid_a: Region
    grid_a2: Region
    township_b: Region
    village_b: Region
    grid_b: Region


@pytest.fixture
def district(db: None) -> District:
    county = make_region("410972", "濮阳经济技术开发区", Level.COUNTY, None)
    ta = make_region("410972100", "王助镇", Level.TOWNSHIP, county)
    va = make_region("410972100201", "王助村", Level.VILLAGE, ta)
    ga = make_region("G41097210020101", "第1网格", Level.GRID, va)
    ga2 = make_region("G41097210020102", "第2网格", Level.GRID, va)
    tb = make_region("410972101", "新习镇", Level.TOWNSHIP, county)
    vb = make_region("410972101201", "新习村", Level.VILLAGE, tb)
    gb = make_region("G41097210120101", "第1网格", Level.GRID, vb)
    return District(county, ta, va, ga, ga2, tb, vb, gb)


def make_user(username: str, role: Role, region: Region) -> User:
    user = User(username=username, full_name=username, role=role, region=region)
    user.set_password("pw-" + username)
    user.save()
    return user


@pytest.fixture
def command_user(district: District) -> User:
    return make_user("zhihuibu", Role.COMMAND_OFFICE, district.county)


@pytest.fixture
def cadre_a(district: District) -> User:
    return make_user("wangzhu", Role.TOWNSHIP_CADRE, district.township_a)


@pytest.fixture
def cadre_b(district: District) -> User:
    return make_user("xinxi", Role.TOWNSHIP_CADRE, district.township_b)


@pytest.fixture
def grid_worker_a(district: District) -> User:
    return make_user("wangzhu-grid", Role.GRID_WORKER, district.grid_a)


@pytest.fixture
def client_for() -> Callable[[User], Client]:
    """A logged-in test client for `user`."""

    def make(user: User) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make


@pytest.fixture
def english() -> object:
    """Run a test in English, for asserting on message texts regardless of the zh-hans default."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _checkpoint_lookups_cleared() -> None:
    """The checkpoint lookups (colours, origin risk levels) held in the process: a rolled-back test's risk areas
    sent no signal on the way out, so each test starts with none held (fangkong/checkpoints/lookups.py)."""
    from fangkong.checkpoints import lookups

    lookups.clear()
