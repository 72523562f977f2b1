"""Records in both townships for the jurisdiction sweep (fangkong/tests/test_jurisdiction_sweep.py)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from conftest import make_user
from fangkong.accounts.permissions import Role
from fangkong.supervision.actions import do_open_item, do_record_inspection, do_report_fix
from fangkong.supervision.notices import do_publish_notice
from fangkong.supervision.tests.helpers import photo


def populate(district: Any) -> None:
    now = timezone.now()
    inspector = make_user("sweep-ducha", Role.INSPECTOR, district.county)
    for n, (township, village) in enumerate(
        [(district.township_a, district.village_a), (district.township_b, district.village_b)]
    ):
        cadre = make_user(f"sweep-fixer-{n}", Role.TOWNSHIP_CADRE, township)
        inspection = do_record_inspection(
            inspector,
            region=village,
            place_kind="checkpoint",
            place_name=f"卡口{n}",
            inspected_at=now,
            now=now,
        )
        item = do_open_item(
            inspector,
            region=village,
            kind="immediate",
            description="未查验行程码",
            inspection=inspection,
            photos=[photo()],
            now=now,
        )
        do_report_fix(cadre, item, note="已整改", photos=[photo()], now=now)
        do_publish_notice(
            inspector,
            number=f"督查通报{n}",
            title=f"通报{n}",
            body="正文",
            items=[item],
            is_public=False,
            now=now,
        )
