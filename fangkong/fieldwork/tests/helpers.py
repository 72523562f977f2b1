"""Shared makers for the field-work tests: a village cadre, a volunteer and a market of village A."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from conftest import make_user
from fangkong.accounts.models import User
from fangkong.accounts.permissions import Role
from fangkong.fieldwork.actions import DisinfectionInput, do_add_member, do_create_place, do_create_team
from fangkong.fieldwork.models import DisinfectionPlace, Team, TeamMember

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(day: datetime.date, hour: int = 9, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=SHANGHAI)


def disinfection(done_at: datetime.datetime, area: int = 800, **extra: Any) -> DisinfectionInput:
    return DisinfectionInput(
        area_m2=area, agent="含氯消毒液", concentration="500 mg/L", done_at=done_at, **extra
    )


@dataclass
class Village:
    cadre: User
    volunteer: User
    market: DisinfectionPlace
    team: Team
    member: TeamMember


def make_village(district: Any, now: datetime.datetime) -> Village:
    cadre = make_user("fw-cadre", Role.VILLAGE_CADRE, district.village_a)
    volunteer = make_user("fw-volunteer", Role.VOLUNTEER, district.village_a)
    market = do_create_place(cadre, region=district.grid_a, kind="market", name="王助集贸市场", now=now)
    team = do_create_team(cadre, region=district.village_a, kind="disinfection", name="王助村消杀队", now=now)
    member = do_add_member(cadre, team, user=volunteer, is_party_member=True, now=now)
    return Village(cadre, volunteer, market, team, member)
