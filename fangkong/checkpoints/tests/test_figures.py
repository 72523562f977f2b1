"""The day's checkpoint figures reach the daily report (在岗卡口数, 卡口查验人数) through reporting.sources."""

from __future__ import annotations

import datetime

import time_machine
from django.utils import timezone

from fangkong.checkpoints.actions import do_start_shift
from fangkong.checkpoints.tests.helpers import register, traveller
from fangkong.reporting.models import Indicator
from fangkong.reporting.sources import source_value


def test_the_default_form_reads_the_checkpoint_figures(db):
    from fangkong.tests.conftest import ensure_migration_seeds

    ensure_migration_seeds()
    sources = dict(
        Indicator.objects.filter(code__in=["checkpoints_manned", "checkpoint_people"]).values_list(
            "code", "source"
        )
    )
    assert sources == {
        "checkpoints_manned": "checkpoints.manned",
        "checkpoint_people": "checkpoints.people_checked",
    }


def test_figures_count_the_beijing_day(district, kakou, checkpoint):
    # 23:30 UTC on 2 Aug is 07:30 on 3 Aug in Beijing.
    with time_machine.travel(datetime.datetime(2021, 8, 2, 23, 30, tzinfo=datetime.UTC)):
        now = timezone.now()
        do_start_shift(kakou, checkpoint, items_present=[], now=now)
        register(kakou, checkpoint, traveller(), traveller(), traveller())
        day = datetime.date(2021, 8, 3)
        assert source_value("checkpoints.people_checked", district.county, day, now) == 3
        assert source_value("checkpoints.manned", district.township_a, day, now) == 1
        assert source_value("checkpoints.vehicles_checked", district.township_a, day, now) == 1
        assert source_value("checkpoints.people_checked", district.township_b, day, now) == 0
        assert (
            source_value("checkpoints.people_checked", district.county, datetime.date(2021, 8, 2), now) == 0
        )
