"""Records in both townships for the jurisdiction sweep (fangkong/tests/test_jurisdiction_sweep.py)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from conftest import make_user
from fangkong.accounts.permissions import Role
from fangkong.publicity.actions import do_record_tallies


def populate(district: Any) -> None:
    for n, township in enumerate([district.township_a, district.township_b]):
        cadre = make_user(f"publicity-cadre-{n}", Role.TOWNSHIP_CADRE, township)
        do_record_tallies(
            cadre, region=township, day=timezone.localdate(), counts={"banner": 3}, now=timezone.now()
        )
