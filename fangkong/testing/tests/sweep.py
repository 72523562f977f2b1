"""Records in both townships for the jurisdiction sweep (fangkong/tests/test_jurisdiction_sweep.py)."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from conftest import make_user
from fangkong.accounts.permissions import Role
from fangkong.people.tests.helpers import create_person
from fangkong.testing.actions import (
    do_add_key_group_member,
    do_create_point,
    do_create_round,
    do_import_results,
    do_register_sample,
)
from fangkong.testing.models import KeyGroup


def populate(district: Any) -> None:
    import tempfile

    now = timezone.now()
    today = timezone.localdate()
    for n, (township, grid) in enumerate(
        [(district.township_a, district.grid_a), (district.township_b, district.grid_b)]
    ):
        staff = make_user(f"testing-staff-{n}", Role.TESTING_STAFF, township)
        point = do_create_point(
            staff, region=township, name=f"采样点{n}", address="路1号", opening_hours="08:00–18:00", now=now
        )
        rnd = do_create_round(
            staff,
            name=f"轮次{n}",
            units=[township],
            starts_on=today,
            ends_on=today + datetime.timedelta(days=1),
            now=now,
        )
        people = [create_person(grid, f"受检{n}-{i}") for i in range(6)]
        for person in people[:5]:
            do_register_sample(
                staff, point=point, barcode=f"SW{n}P1", person=person, capacity=5, rnd=rnd, now=now
            )
        group = KeyGroup.objects.get_or_create(code="cold_chain", defaults={"name": "冷链", "cycle_days": 3})[
            0
        ]
        do_add_key_group_member(staff, group, people[5], now=now)
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "r.csv"
            path.write_text(f"条码,结果\nSW{n}P1,阳性\n", encoding="utf-8")
            with transaction.atomic():
                do_import_results(staff, path, "r.csv", now=now)
