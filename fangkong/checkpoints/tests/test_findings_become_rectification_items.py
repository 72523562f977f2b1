"""边巡边改: each finding of a spot check becomes a rectification item of the checkpoint's unit — people off post
or drinking to be put right at once, a register or equipment gap by a deadline."""

from __future__ import annotations

import datetime

from django.utils import timezone

from fangkong.checkpoints.actions import SpotCheckInput, do_record_spot_check
from fangkong.lib.reporting_day import local_date
from fangkong.supervision.models import RectificationItem


def test_each_finding_opens_one_item_for_the_checkpoints_unit(inspector, checkpoint):
    now = timezone.now()
    spot = do_record_spot_check(
        inspector,
        checkpoint,
        SpotCheckInput(staff_present=2, off_post=True, equipment_complete=False, note="测温仪缺失"),
        now=now,
    )
    items = {
        i.source_ref.split(":")[1]: i
        for i in RectificationItem.objects.filter(source="checkpoints.spot_check")
    }
    assert set(items) == {"off_post", "equipment"}
    assert all(i.source_ref.startswith(str(spot.uuid)) for i in items.values())
    assert {i.region_id for i in items.values()} == {checkpoint.region_id}
    assert items["off_post"].kind == "immediate"
    assert items["equipment"].kind == "deadline"
    assert items["equipment"].due_on == local_date(now) + datetime.timedelta(days=3)
    assert "测温仪缺失" in items["equipment"].description and checkpoint.name == items["equipment"].place_name


def test_a_clean_visit_opens_nothing(inspector, checkpoint):
    do_record_spot_check(inspector, checkpoint, SpotCheckInput(staff_present=2), now=timezone.now())
    assert not RectificationItem.objects.exists()
