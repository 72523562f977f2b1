"""Records in both townships for the jurisdiction sweep (fangkong/tests/test_jurisdiction_sweep.py)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from conftest import make_user
from fangkong.accounts.models import User
from fangkong.accounts.permissions import Role
from fangkong.checkpoints.actions import SpotCheckInput, do_record_spot_check, do_start_shift
from fangkong.checkpoints.tests.helpers import create_checkpoint, register, staff_user, traveller


def populate(district: Any) -> None:
    now = timezone.now()
    inspector = make_user("sweep-checkpoint-ducha", Role.INSPECTOR, district.county)
    for n, (cadre, township) in enumerate([("wangzhu", district.township_a), ("xinxi", district.township_b)]):
        manager = User.objects.get(username=cadre)
        staff = staff_user(f"sweep-kakou-{n}", township)
        checkpoint = create_checkpoint(manager, township, name=f"卡口{n}", staff=[staff])
        do_start_shift(staff, checkpoint, items_present=["标示牌"], now=now)
        register(
            staff, checkpoint, traveller(temperature="37.8", temperature_again="37.9", disposition="refer")
        )
        do_record_spot_check(inspector, checkpoint, SpotCheckInput(staff_present=1, off_post=True), now=now)
