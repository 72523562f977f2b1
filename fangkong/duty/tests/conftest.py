"""Helpers for the duty tests: Beijing instants and shifts/leave created through the real actions."""

from __future__ import annotations

import datetime

import pytest

from conftest import District, make_user
from fangkong.accounts.models import User
from fangkong.accounts.permissions import Role
from fangkong.duty.actions import do_create_shift, do_decide_leave, do_request_leave
from fangkong.duty.models import DutyShift, LeaveRequest
from fangkong.lib.reporting_day import SHANGHAI
from fangkong.regions.models import Region


def bj(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)


def make_shift(
    actor: User,
    region: Region,
    start: datetime.datetime,
    end: datetime.datetime,
    person: User,
    leader: User | None = None,
    phone: str = "",
) -> DutyShift:
    return do_create_shift(
        actor,
        region=region,
        starts_at=start,
        ends_at=end,
        person_on_duty=person,
        leader_on_call=leader,
        phone=phone,
    )


def approved_leave(
    requester: User, approver: User, starts_on: datetime.date, ends_on: datetime.date
) -> LeaveRequest:
    now = bj(2024, 1, 1, 9)
    leave = do_request_leave(
        requester, starts_on=starts_on, ends_on=ends_on, reason="家中有事", destination="郑州", now=now
    )
    return do_decide_leave(approver, leave, approve=True, now=now)


@pytest.fixture
def village_cadre_a(district: District) -> User:
    return make_user("wangzhu-village", Role.VILLAGE_CADRE, district.village_a)


@pytest.fixture
def cadre_a2(district: District) -> User:
    return make_user("wangzhu-2", Role.TOWNSHIP_CADRE, district.township_a)
