"""Records in both townships for the jurisdiction sweep (fangkong/tests/test_jurisdiction_sweep.py)."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from fangkong.accounts.models import User
from fangkong.supplies.actions import do_create_warehouse, do_issue, do_receive, do_set_threshold
from fangkong.supplies.models import SupplyItem


def populate(district: Any) -> None:
    now = timezone.now()
    n95 = SupplyItem.objects.get(code="n95_mask")
    for cadre, township in [("wangzhu", district.township_a), ("xinxi", district.township_b)]:
        user = User.objects.get(username=cadre)
        w = do_create_warehouse(user, township, name=f"{township.name}物资库", address="", now=now)
        do_receive(
            user,
            w,
            n95,
            quantity=20,
            lot_number="L1",
            expires_on=timezone.localdate() + datetime.timedelta(days=10),
            reason="入库",
            now=now,
        )
        do_issue(user, w, n95, quantity=5, reason="发放", now=now)
        do_set_threshold(user, w, n95, 30)
