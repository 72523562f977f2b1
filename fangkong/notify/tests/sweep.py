"""Records in both townships for the jurisdiction sweep."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from fangkong.accounts.models import User
from fangkong.notify.actions import do_create_campaign
from fangkong.notify.models import SmsTemplate
from fangkong.people.tests.helpers import create_person


def populate(district: Any) -> None:
    now = timezone.now()
    template = SmsTemplate.objects.get_or_create(
        code="round_untested",
        defaults={"name": "t", "sign_name": "s", "provider_code": "c", "text": "{name}", "params": ["name"]},
    )[0]
    for cadre, grid in (("wangzhu", district.grid_a), ("xinxi", district.grid_b)):
        actor = User.objects.get(username=cadre)
        assert actor.region is not None
        person = create_person(grid, f"短信{cadre}", phone="13912345678")
        do_create_campaign(
            actor,
            region=actor.region,
            kind="other",
            title=f"提醒{cadre}",
            template=template,
            people=[person],
            params={"name": "x"},
            now=now,
        )
