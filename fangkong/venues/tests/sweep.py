"""Records in both townships for the jurisdiction sweep (fangkong/tests/test_jurisdiction_sweep.py)."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from conftest import make_user
from fangkong.accounts.permissions import Role
from fangkong.venues.actions import do_issue_venue_notice, do_register_event, do_register_venue


def populate(district: Any) -> None:
    now = timezone.now()
    for n, (township, village) in enumerate(
        [(district.township_a, district.village_a), (district.township_b, district.village_b)]
    ):
        cadre = make_user(f"venues-cadre-{n}", Role.TOWNSHIP_CADRE, township)
        do_register_venue(cadre, region=village, kind="ktv", name=f"KTV{n}")
        do_issue_venue_notice(
            cadre,
            number=f"停业{n}",
            title="关停通知",
            kinds=["ktv"],
            status="closed",
            capacity_percent=None,
            starts_on=timezone.localdate(),
            ends_on=None,
            now=now,
        )
        do_register_event(
            cadre,
            region=village,
            kind="funeral",
            host_name="张三",
            day=timezone.localdate() + datetime.timedelta(days=2),
            place="村东",
            expected_guests=5,
            now=now,
        )
