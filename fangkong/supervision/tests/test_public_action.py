"""`public.open_item_from_finding`: another module (checkpoint spot checks) opens an item here, once."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from conftest import make_user
from fangkong.accounts.permissions import Role
from fangkong.supervision.models import RectificationItem
from fangkong.supervision.public import item_status, open_item_from_finding


def test_a_spot_check_finding_opens_one_item_however_often_it_is_sent(district, cadre_a):
    kwargs = {
        "unit": district.village_a,
        "description": "抽查发现未查验健康码",
        "due_on": timezone.localdate() + datetime.timedelta(days=1),
        "place_name": "王助镇东卡口",
        "source": "checkpoints.spot_check",
        "source_ref": "3f0c6c1e-0000-4000-8000-000000000001",
        "now": timezone.now(),
    }
    first = open_item_from_finding(cadre_a, **kwargs)
    again = open_item_from_finding(cadre_a, **kwargs)
    assert first == again
    assert RectificationItem.objects.get().source == "checkpoints.spot_check"
    assert item_status(first) == "open"


def test_a_finding_outside_the_jurisdiction_is_refused(district, cadre_b):
    with pytest.raises(ValidationError):
        open_item_from_finding(
            cadre_b,
            unit=district.village_a,
            description="x",
            due_on=timezone.localdate(),
            place_name="卡口",
            source="checkpoints.spot_check",
            source_ref="r1",
            now=timezone.now(),
        )


def test_a_finding_names_its_source(district):
    user = make_user("kakou", Role.CHECKPOINT_STAFF, district.township_a)
    with pytest.raises(ValueError):
        open_item_from_finding(
            user,
            unit=district.village_a,
            description="x",
            place_name="卡口",
            source="",
            source_ref="",
            now=timezone.now(),
        )
