"""Records in both townships for the jurisdiction sweep (fangkong/tests/test_jurisdiction_sweep.py)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from fangkong.accounts.models import User
from fangkong.people.actions import do_register_person
from fangkong.people.models import Household
from fangkong.screening.actions import do_mark_visited, do_start_campaign
from fangkong.screening.tests.helpers import register, valid_id


def populate(district: Any) -> None:
    now = timezone.now()
    for n, (cadre, village, grid) in enumerate(
        [("wangzhu", district.village_a, district.grid_a), ("xinxi", district.village_b, district.grid_b)]
    ):
        actor = User.objects.get(username=cadre)
        register(grid, actor=actor, document_number=valid_id(900 + n), name=f"返乡{n}")
        do_register_person(
            actor, name=f"户主{n}", region=grid, document_number=valid_id(950 + n), household_number=f"S{n}"
        )
        campaign = do_start_campaign(actor, region=village, name=f"排查{n}", started_on=timezone.localdate())
        household = Household.objects.get(region=village, number=f"S{n}")
        do_mark_visited(
            actor, campaign, household, visited_on=timezone.localdate(), now=now, people_present=1
        )
