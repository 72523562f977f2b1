"""Control records in both townships for the jurisdiction sweep (fangkong/tests/test_jurisdiction_sweep.py)."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from fangkong.accounts.models import User
from fangkong.control.actions import (
    do_add_contact,
    do_check_in,
    do_create_site,
    do_record_follow_up,
    do_record_transfer,
)
from fangkong.control.models import RetroTask
from fangkong.control.tests.helpers import start
from fangkong.lib.idnumbers import make
from fangkong.lib.reporting_day import local_date


def contact_id(seed: int) -> str:
    return make("410928", datetime.date(1985, 5, 5), seed)


def populate(district: Any) -> None:
    now = timezone.now()
    today = local_date(now)
    command = User.objects.get(username="zhihuibu")
    for n, (township, grid) in enumerate(
        [(district.township_a, district.grid_a), (district.township_b, district.grid_b)]
    ):
        home = start(grid, today - datetime.timedelta(days=15), name=f"管控{n}", now=now)
        central = start(grid, today, name=f"隔离{n}", now=now)
        do_record_follow_up(command, home, temperature="36.6", symptoms=[], at_home=True, now=now)
        site = do_create_site(command, region=township, name=f"隔离点{n}", address="", rooms=["101", "102"])
        do_check_in(command, central, site, now=now)
        do_record_transfer(
            command,
            central,
            from_place="home",
            to_place="site",
            vehicle="豫J",
            escort="李",
            left_at=now - datetime.timedelta(hours=1),
            arrived_at=None,
            now=now,
        )
        do_add_contact(
            command,
            central.subject,
            name=f"密接{n}",
            document_number=contact_id(700 + n),
            phone="",
            region=grid,
            kind="close",
            last_exposure=today,
            place="",
            now=now,
        )
        RetroTask.objects.create(
            person=home.subject,
            region=grid,
            area_name="南京市江宁区",
            returned_on=today,
            measure_code="centralized_isolation",
            created_at=now,
        )
