"""Family events: the rule as data refuses at registration naming the rule; village then township approve;
a check on the day."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from conftest import make_user
from fangkong.accounts.permissions import Role
from fangkong.lib.reporting_day import SHANGHAI
from fangkong.venues.actions import do_check_event, do_decide_event, do_register_event
from fangkong.venues.models import EventRule, EventStatus

NOW = datetime.datetime(2021, 8, 10, 9, 0, tzinfo=SHANGHAI)
DAY = datetime.date(2021, 8, 14)


@pytest.fixture
def village_cadre(district):
    return make_user("wangzhu-cun", Role.VILLAGE_CADRE, district.village_a)


def register(actor, region, kind="wedding", guests=8, day=DAY):
    return do_register_event(
        actor,
        region=region,
        kind=kind,
        host_name="李四",
        host_phone="13912345678",
        day=day,
        place="王助村李四家",
        expected_guests=guests,
        now=NOW,
    )


def test_a_wedding_over_the_guest_limit_is_refused_naming_the_rule(district, grid_worker_a, english):
    event = register(grid_worker_a, district.grid_a, guests=50)
    assert event.status == EventStatus.REFUSED
    assert "喜事缓办" in event.refusal_reason
    assert "at most 10 guests, 50 expected" in event.refusal_reason
    assert event.rule == EventRule.objects.get(kind="wedding")


def test_a_banquet_is_refused_whatever_its_size(district, grid_worker_a):
    event = register(grid_worker_a, district.grid_a, kind="banquet", guests=2)
    assert event.status == EventStatus.REFUSED
    assert "宴会不办" in event.refusal_reason


def test_the_rule_is_data(district, grid_worker_a):
    EventRule.objects.filter(kind="wedding").update(max_guests=100)
    assert register(grid_worker_a, district.grid_a, guests=50).status == EventStatus.VILLAGE


def test_the_village_approves_then_the_township_then_the_day_is_checked(
    district, grid_worker_a, village_cadre, cadre_a
):
    event = register(grid_worker_a, district.grid_a)
    assert event.status == EventStatus.VILLAGE
    with pytest.raises(ValidationError):  # the township does not jump the village
        do_decide_event(cadre_a, event, approve=True, now=NOW)
    event = do_decide_event(village_cadre, event, approve=True, now=NOW)
    assert event.status == EventStatus.TOWNSHIP
    with pytest.raises(ValidationError):
        do_decide_event(village_cadre, event, approve=True, now=NOW)
    event = do_decide_event(cadre_a, event, approve=True, now=NOW)
    assert event.status == EventStatus.APPROVED
    with pytest.raises(ValidationError):  # not yet the day
        do_check_event(cadre_a, event, actual_guests=8, compliant=True, now=NOW)
    on_the_day = datetime.datetime(2021, 8, 14, 12, tzinfo=SHANGHAI)
    event = do_check_event(village_cadre, event, actual_guests=9, compliant=True, note="简办", now=on_the_day)
    assert (event.actual_guests, event.check_compliant) == (9, True)


def test_a_refusal_needs_a_reason(district, grid_worker_a, village_cadre):
    event = register(grid_worker_a, district.grid_a)
    with pytest.raises(ValidationError):
        do_decide_event(village_cadre, event, approve=False, note="", now=NOW)
    event = do_decide_event(village_cadre, event, approve=False, note="近期疫情形势严峻，建议延期", now=NOW)
    assert event.status == EventStatus.REFUSED


def test_bad_input_is_refused(district, grid_worker_a, cadre_b):
    with pytest.raises(ValidationError) as exc:
        register(grid_worker_a, district.grid_a, day=datetime.date(2021, 8, 1))
    assert "day" in exc.value.message_dict
    with pytest.raises(ValidationError):
        register(cadre_b, district.grid_a)  # another township's grid
    with pytest.raises(ValidationError) as exc:
        do_register_event(
            grid_worker_a,
            region=district.grid_a,
            kind="wedding",
            host_name="李四",
            host_phone="12",
            day=DAY,
            place="x",
            expected_guests=3,
            now=NOW,
        )
    assert "host_phone" in exc.value.message_dict


def test_registering_in_the_browser_shows_the_refusal_with_the_rule(district, grid_worker_a, client_for):
    client = client_for(grid_worker_a)
    with time_machine.travel(NOW, tick=False):
        response = client.post(
            reverse("venues:event_create"),
            {
                "region": district.grid_a.pk,
                "kind": "wedding",
                "host_name": "李四",
                "host_phone": "",
                "day": DAY.isoformat(),
                "place": "王助村",
                "expected_guests": 60,
            },
            follow=True,
        )
    body = response.content.decode()
    assert "喜事缓办" in body
    assert response.context["event"].status == EventStatus.REFUSED


def test_the_host_phone_is_masked_and_outsiders_get_404(district, grid_worker_a, cadre_b, client_for):
    event = register(grid_worker_a, district.grid_a)
    url = reverse("venues:event", kwargs={"event_uuid": event.uuid})
    body = client_for(grid_worker_a).get(url).content.decode()
    assert "13912345678" not in body and "5678" in body
    assert client_for(cadre_b).get(url).status_code == 404
    assert (
        client_for(cadre_b)
        .post(reverse("venues:event_approve", kwargs={"event_uuid": event.uuid}))
        .status_code
        == 404
    )
