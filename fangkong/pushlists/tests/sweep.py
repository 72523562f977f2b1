"""Push-list items held by both townships, for the jurisdiction sweep (fangkong/tests/test_jurisdiction_sweep.py)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from django.utils import timezone

from fangkong.accounts.models import User
from fangkong.pushlists.actions import do_import_push_list
from fangkong.pushlists.tests.conftest import id_number, write_csv


def populate(district: Any) -> None:
    rows = [
        ["甲推送", id_number(801), "13912345601", "南京", "2021-08-01", district.township_a.name, ""],
        ["乙推送", id_number(802), "13912345602", "郑州", "2021-08-01", district.township_b.name, ""],
        ["乙推送二", id_number(803), "", "扬州", "2021-08-01", district.township_b.name, ""],
    ]
    with tempfile.TemporaryDirectory() as tmp:
        path = write_csv(Path(tmp) / "sweep.csv", rows)
        do_import_push_list(User.objects.get(username="zhihuibu"), path, "sweep", timezone.now())
