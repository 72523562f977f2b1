"""Records in both townships for the jurisdiction sweep."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from fangkong.accounts.models import User
from fangkong.coldchain.actions import do_create_enterprise, do_register_lot, do_register_mail_batch


def populate(district: Any) -> None:
    now = timezone.now()
    for n, (cadre, village) in enumerate([("wangzhu", district.village_a), ("xinxi", district.village_b)]):
        actor = User.objects.get(username=cadre)
        store = do_create_enterprise(actor, name=f"冷库{n}", kind="cold_store", region=village, now=now)
        do_register_lot(
            actor,
            store,
            product="冻虾",
            origin_country="厄瓜多尔",
            quantity="20吨",
            arrived_on=timezone.localdate(),
            now=now,
        )
        point = do_create_enterprise(actor, name=f"网点{n}", kind="delivery_point", region=village, now=now)
        do_register_mail_batch(
            actor,
            point,
            received_on=timezone.localdate() - datetime.timedelta(days=1),
            origin_country="日本",
            pieces=30,
            disinfection_certificate=f"XD-{n}",
            now=now,
        )
