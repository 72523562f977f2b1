"""Offline household visits (screening) and push-item verifications (pushlists) pass through the owning apps'
public calls: stored once per device uuid, and a record changed meanwhile is a 409 with both versions."""

from __future__ import annotations

import json
import uuid
from typing import Any

from django.test import Client
from django.utils import timezone

from fangkong.fieldwork.models import Submission
from fangkong.fieldwork.submissions import version_of
from fangkong.people.models import Household
from fangkong.pushlists.models import PushItem
from fangkong.pushlists.tests.conftest import item, sample_rows, write_csv
from fangkong.screening.actions import do_mark_visited, do_start_campaign
from fangkong.screening.models import HouseholdVisit

URL = "/api/v1/field/submissions"


def post(client: Client, data: dict[str, Any]) -> Any:
    return client.post(URL, json.dumps(data), content_type="application/json")


def test_a_household_visit_is_stored_once_and_a_visit_made_meanwhile_is_a_conflict(
    district, client_for, grid_worker_a, cadre_a
):
    today = timezone.localdate()
    campaign = do_start_campaign(cadre_a, region=district.village_a, name="村不漏户", started_on=today)
    first = Household.objects.create(region=district.grid_a, number="A-1", address="王助村一组1号")
    second = Household.objects.create(region=district.grid_a, number="A-2", address="王助村一组2号")
    client = client_for(grid_worker_a)
    visit: dict[str, Any] = {
        "uuid": str(uuid.uuid4()),
        "kind": "household_visit",
        "payload": {
            "campaign": str(campaign.uuid),
            "household": str(first.uuid),
            "people_present": 3,
            "note": "在家",
        },
        "base_version": "",  # the phone saw no visit yet
    }
    assert post(client, visit).status_code == 201
    assert post(client, visit).status_code == 200
    assert HouseholdVisit.objects.filter(household=first).count() == 1
    # The cadre visits the second household while the worker's phone is offline.
    do_mark_visited(
        cadre_a, campaign, second, visited_on=today, people_present=2, note="干部已走访", now=timezone.now()
    )
    late = {
        **visit,
        "uuid": str(uuid.uuid4()),
        "payload": {**visit["payload"], "household": str(second.uuid)},
    }
    response = post(client, late)
    assert response.status_code == 409
    assert response.json()["server"]["note"] == "干部已走访" and response.json()["device"]["note"] == "在家"
    assert HouseholdVisit.objects.get(household=second).note == "干部已走访"
    # Keeping the phone's version is a new record made against the server's version.
    keep = {**late, "uuid": str(uuid.uuid4()), "base_version": response.json()["server_version"]}
    assert post(client, keep).status_code == 201
    assert HouseholdVisit.objects.get(household=second).note == "在家"
    assert Submission.objects.count() == 2


def test_a_push_item_verified_offline_is_stored_once_and_one_verified_meanwhile_is_a_conflict(
    district, client_for, cadre_a, command_user, tmp_path
):
    from fangkong.pushlists.actions import do_import_push_list, do_verify
    from fangkong.pushlists.tests.conftest import NOW

    path = write_csv(tmp_path / "list.csv", sample_rows())
    batch = do_import_push_list(command_user, path, path.name, NOW, 24)
    zhang, wang = item(batch, "张三"), item(batch, "王五")
    client = client_for(cadre_a)
    loaded = version_of({"outcome": "", "outcome_note": "", "measure_code": "", "verified_at": None})
    data: dict[str, Any] = {
        "uuid": str(uuid.uuid4()),
        "kind": "push_verification",
        "payload": {"item": str(zhang.uuid), "outcome": "not_local", "note": "已外出务工"},
        "base_version": loaded,
    }
    assert post(client, data).status_code == 201
    assert post(client, data).status_code == 200
    assert PushItem.objects.get(pk=zhang.pk).outcome == "not_local"
    do_verify(cadre_a, wang, outcome="passed_through", note="途经", now=timezone.now())
    late = {**data, "uuid": str(uuid.uuid4()), "payload": {**data["payload"], "item": str(wang.uuid)}}
    response = post(client, late)
    assert response.status_code == 409 and response.json()["server"]["outcome"] == "passed_through"
    assert PushItem.objects.get(pk=wang.pk).outcome == "passed_through"
    # Township B's item (李四) answers as unknown.
    li = item(batch, "李四")
    other = {**data, "uuid": str(uuid.uuid4()), "payload": {**data["payload"], "item": str(li.uuid)}}
    assert post(client, other).status_code == 404
    assert not PushItem.objects.get(pk=li.pk).outcome


def test_a_follow_up_recorded_offline_is_stored_once_and_a_release_meanwhile_is_a_conflict(
    district, client_for, grid_worker_a, command_user
):
    import datetime

    from fangkong.control.actions import do_release_early
    from fangkong.control.models import FollowUp
    from fangkong.control.tests.helpers import start

    order = start(district.grid_a, timezone.localdate() - datetime.timedelta(days=16))  # home isolation now
    client = client_for(grid_worker_a)
    loaded = version_of({"status": "active", "end_day": order.end_day.isoformat(), "person": "张三"})
    follow_up: dict[str, Any] = {
        "uuid": str(uuid.uuid4()),
        "kind": "follow_up",
        "payload": {"order": str(order.uuid), "temperature": "36.6", "symptoms": [], "at_home": True},
        "base_version": loaded,
    }
    assert post(client, follow_up).status_code == 201
    assert post(client, follow_up).status_code == 200  # the replay stores nothing more
    assert FollowUp.objects.filter(order=order).count() == 1
    fever = {
        **follow_up,
        "uuid": str(uuid.uuid4()),
        "payload": {**follow_up["payload"], "temperature": "37.9"},
    }
    assert post(client, fever).status_code == 201
    assert FollowUp.objects.get(order=order, temperature="37.9").alert  # control's own rule
    do_release_early(command_user, order, reason="误判", now=timezone.now())
    late = {**follow_up, "uuid": str(uuid.uuid4())}
    response = post(client, late)
    assert response.status_code == 409
    assert response.json()["server"]["status"] == "released"
    assert FollowUp.objects.filter(order=order).count() == 2
