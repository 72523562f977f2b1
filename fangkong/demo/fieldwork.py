"""Field work in the demo district (issue 17), made through the real actions: places to disinfect in the first grid
of 王助镇's first village, a party-member disinfection team with the volunteer `zhiyuan`, the market's daily
disinfection assigned to them, and yesterday's disinfection of the square (so the market is overdue, the square not).
"""

from __future__ import annotations

import datetime

from fangkong.accounts.models import User
from fangkong.accounts.permissions import Role
from fangkong.fieldwork.actions import (
    DisinfectionInput,
    do_add_member,
    do_assign_task,
    do_create_place,
    do_create_team,
    do_record_disinfection,
)
from fangkong.lib.reporting_day import local_date


def build_fieldwork(now: datetime.datetime) -> dict[str, int]:
    from fangkong.demo.builder import DEMO_PASSWORD

    cadre = User.objects.select_related("region").get(username="wangzhu-cun")
    grid_worker = User.objects.select_related("region").get(username="wangzhu-grid")
    village, grid = cadre.region, grid_worker.region
    assert village is not None and grid is not None  # noqa: S101 - the demo accounts hold regions
    volunteer = User(username="zhiyuan", full_name="王助村志愿者", role=Role.VOLUNTEER, region=village)
    volunteer.set_password(DEMO_PASSWORD)
    volunteer.save()
    market = do_create_place(
        cadre, region=grid, kind="market", name="王助集贸市场", address="王助村东街", now=now
    )
    square = do_create_place(cadre, region=grid, kind="village_public", name="王助村文化广场", now=now)
    do_create_place(cadre, region=village, kind="school", name="王助小学", now=now)
    do_record_disinfection(
        grid_worker,
        square,
        DisinfectionInput(
            area_m2=1200,
            agent="含氯消毒液",
            concentration="500 mg/L",
            done_at=now - datetime.timedelta(days=1),
        ),
        now=now,
    )
    team = do_create_team(
        cadre, region=village, kind="disinfection", name="王助村党员消杀队", is_party_team=True, now=now
    )
    member = do_add_member(cadre, team, user=volunteer, is_party_member=True, now=now)
    do_add_member(cadre, team, name="王助村党员（无账号）", is_party_member=True, now=now)
    inquiry = do_create_team(cadre, region=village, kind="inquiry", name="王助村问询队", now=now)
    do_add_member(cadre, inquiry, user=volunteer, now=now)
    today = local_date(now)
    do_assign_task(
        cadre,
        team,
        kind="disinfection",
        title="集贸市场每日消杀",
        place=market,
        assignee=member,
        due_on=today,
        every_days=1,  # comes back each day once done
        now=now,
    )
    do_assign_task(cadre, inquiry, kind="inquiry", title="入户问询：返乡人员情况", due_on=today, now=now)
    return {"disinfection_places": 3, "teams": 2}
