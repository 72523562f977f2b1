"""Records in both townships for the jurisdiction sweep (fangkong/tests/test_jurisdiction_sweep.py)."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from conftest import make_user
from fangkong.accounts.models import User
from fangkong.accounts.permissions import Role
from fangkong.duty.actions import do_create_shift, do_request_leave


def populate(district: Any) -> None:
    now = timezone.now()
    start = now.replace(minute=0, second=0, microsecond=0)
    for n, (cadre, township, village) in enumerate(
        [
            ("wangzhu", district.township_a, district.village_a),
            ("xinxi", district.township_b, district.village_b),
        ]
    ):
        manager = User.objects.get(username=cadre)
        village_cadre = make_user(f"duty-village-{n}", Role.VILLAGE_CADRE, village)
        do_create_shift(
            manager,
            region=township,
            starts_at=start,
            ends_at=start + datetime.timedelta(hours=8),
            person_on_duty=manager,
        )
        do_request_leave(
            village_cadre,
            starts_on=timezone.localdate() + datetime.timedelta(days=1),
            ends_on=timezone.localdate() + datetime.timedelta(days=2),
            reason="事假",
            destination="濮阳",
            now=now,
        )
