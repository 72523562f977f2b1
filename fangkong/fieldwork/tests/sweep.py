"""Field-work records in both townships for the jurisdiction sweep (fangkong/tests/test_jurisdiction_sweep.py):
a place with a record, a team with a volunteer member and tasks, and an offline submission. The volunteer of
township A is `fieldwork-volunteer-0` (the sweep walks every route as them too)."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.utils import timezone

from conftest import make_user
from fangkong.accounts.permissions import Role
from fangkong.fieldwork.actions import (
    do_add_member,
    do_assign_task,
    do_create_place,
    do_create_team,
)
from fangkong.fieldwork.submissions import do_submit


def populate(district: Any) -> None:
    now = timezone.now()
    for n, (township, village) in enumerate(
        [(district.township_a, district.village_a), (district.township_b, district.village_b)]
    ):
        cadre = make_user(f"fieldwork-cadre-{n}", Role.TOWNSHIP_CADRE, township)
        volunteer = make_user(f"fieldwork-volunteer-{n}", Role.VOLUNTEER, village)
        place = do_create_place(cadre, region=village, kind="market", name=f"集贸市场{n}", now=now)
        do_submit(
            cadre,
            submission_uuid=uuid.uuid4(),
            kind="disinfection",
            payload={
                "place": str(place.uuid),
                "area_m2": 800,
                "agent": "含氯消毒液",
                "concentration": "500 mg/L",
            },
            base_version=None,
            now=now,
        )
        team = do_create_team(cadre, region=village, kind="disinfection", name=f"消杀队{n}", now=now)
        member = do_add_member(cadre, team, user=volunteer, now=now)
        do_assign_task(
            cadre,
            team,
            kind="disinfection",
            title="",
            place=place,
            assignee=member,
            due_on=timezone.localdate(),
            now=now,
        )
        do_assign_task(
            cadre,
            team,
            kind="inquiry",
            title="入户问询",
            due_on=timezone.localdate() + datetime.timedelta(days=1),
            now=now,
        )
