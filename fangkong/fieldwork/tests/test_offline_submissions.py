"""POST /api/v1/field/submissions: idempotent by the device's uuid (also when two posts race), conflicts answered
409 with both versions, CSRF-checked sessions; GET /api/v1/field/reference caches the user's own grid only."""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Mapping
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from conftest import make_user
from fangkong.accounts.permissions import Role
from fangkong.fieldwork.actions import do_assign_task, do_complete_task
from fangkong.fieldwork.models import DisinfectionRecord, FieldTask, Submission, TaskStatus
from fangkong.fieldwork.submissions import do_submit
from fangkong.fieldwork.tests.helpers import make_village
from fangkong.people.models import Household

URL = "/api/v1/field/submissions"


def body(place_uuid: object, sub: uuid.UUID | None = None, **payload: object) -> dict[str, Any]:
    return {
        "uuid": str(sub or uuid.uuid4()),
        "kind": "disinfection",
        "payload": {
            "place": str(place_uuid),
            "area_m2": 500,
            "agent": "含氯消毒液",
            "concentration": "500 mg/L",
            **payload,
        },
        "base_version": None,
    }


def post(client: Client, data: Mapping[str, Any]) -> Any:
    return client.post(URL, json.dumps(data), content_type="application/json")


def test_the_same_uuid_twice_stores_one_record(district, client_for, grid_worker_a):
    v = make_village(district, timezone.now())
    client = client_for(grid_worker_a)
    data = body(v.market.uuid)
    first = post(client, data)
    again = post(client, data)
    assert first.status_code == 201 and again.status_code == 200
    assert again.json()["replayed"] is True
    assert first.json()["record"] == again.json()["record"]
    assert DisinfectionRecord.objects.count() == 1 and Submission.objects.count() == 1


def test_a_uuid_of_another_user_answers_as_unknown(district, client_for, grid_worker_a):
    v = make_village(district, timezone.now())
    data = body(v.market.uuid)
    assert post(client_for(grid_worker_a), data).status_code == 201
    assert post(client_for(v.cadre), data).status_code == 404
    assert DisinfectionRecord.objects.count() == 1


def test_bad_input_stores_nothing_and_says_why(district, client_for, grid_worker_a):
    v = make_village(district, timezone.now())
    client = client_for(grid_worker_a)
    response = post(client, body(v.market.uuid, area_m2=0))
    assert response.status_code == 400 and "area_m2" in response.json()["detail"]
    assert post(client, {**body(v.market.uuid), "kind": "nonsense"}).status_code == 400
    assert post(client, body(uuid.uuid4())).status_code == 404  # a place that does not exist
    assert not Submission.objects.exists() and not DisinfectionRecord.objects.exists()


def test_an_outsider_cannot_record_at_another_townships_place(district, client_for, cadre_b):
    v = make_village(district, timezone.now())
    assert post(client_for(cadre_b), body(v.market.uuid)).status_code == 404
    assert not DisinfectionRecord.objects.exists()


def test_a_session_post_without_the_csrf_token_is_refused(district, grid_worker_a):
    v = make_village(district, timezone.now())
    client = Client(enforce_csrf_checks=True)
    client.force_login(grid_worker_a)
    assert post(client, body(v.market.uuid)).status_code == 403
    client.get("/field/offline/")
    token = client.cookies["csrftoken"].value
    response = client.post(
        URL, json.dumps(body(v.market.uuid)), content_type="application/json", HTTP_X_CSRFTOKEN=token
    )
    assert response.status_code == 201


def test_anonymous_posts_are_refused(district):
    v = make_village(district, timezone.now())
    assert post(Client(), body(v.market.uuid)).status_code == 401


def test_a_task_changed_on_the_server_is_a_conflict_with_both_versions(district, client_for):
    now = timezone.now()
    v = make_village(district, now)
    task = do_assign_task(
        v.cadre, v.team, kind="inquiry", title="问询", assignee=v.member, due_on=timezone.localdate(), now=now
    )
    do_complete_task(v.cadre, task, note="村干部已问询", now=now)
    client = client_for(v.volunteer)
    data = {
        "uuid": str(uuid.uuid4()),
        "kind": "task_done",
        "payload": {"task": str(task.uuid), "note": "志愿者已问询"},
        "base_version": "1",
    }
    response = post(client, data)
    assert response.status_code == 409
    answer = response.json()
    assert answer["server"]["note"] == "村干部已问询" and answer["server_version"] == "2"
    assert answer["device"]["note"] == "志愿者已问询" and answer["device_version"] == "1"
    assert FieldTask.objects.get(pk=task.pk).note == "村干部已问询"
    assert not Submission.objects.exists()


def test_a_task_done_offline_is_stored_once(district, client_for):
    now = timezone.now()
    v = make_village(district, now)
    task = do_assign_task(
        v.cadre, v.team, kind="inquiry", title="问询", assignee=v.member, due_on=timezone.localdate(), now=now
    )
    client = client_for(v.volunteer)
    data = {
        "uuid": str(uuid.uuid4()),
        "kind": "task_done",
        "payload": {"task": str(task.uuid), "note": "已问询"},
        "base_version": "1",
    }
    assert post(client, data).status_code == 201
    assert post(client, data).status_code == 200
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE and task.version == 2


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_posts_of_one_uuid_store_one_record(district, grid_worker_a):
    if connection.vendor != "postgresql":
        pytest.skip("the race needs two real connections (PostgreSQL)")
    v = make_village(district, timezone.now())
    sub = uuid.uuid4()
    payload = body(v.market.uuid, sub)["payload"]
    barrier = threading.Barrier(2)
    outcomes: list[bool] = []

    def submit() -> None:
        from django.db import connections

        try:
            barrier.wait()
            outcome = do_submit(
                grid_worker_a,
                submission_uuid=sub,
                kind="disinfection",
                payload=payload,
                base_version=None,
                now=timezone.now(),
            )
            outcomes.append(outcome.replayed)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == [False, True]
    assert DisinfectionRecord.objects.count() == 1 and Submission.objects.count() == 1


def test_the_reference_cache_holds_the_workers_own_grid_only(district, client_for, grid_worker_a):
    v = make_village(district, timezone.now())
    Household.objects.create(region=district.grid_a, number="A-1", address="王助村一组1号")
    Household.objects.create(region=district.grid_a2, number="A2-1", address="王助村二组1号")
    Household.objects.create(region=district.grid_b, number="B-1", address="新习村1号")
    mine = client_for(grid_worker_a).get("/api/v1/field/reference").json()
    assert [h["number"] for h in mine["households"]] == ["A-1"]
    assert [p["name"] for p in mine["places"]] == ["王助集贸市场"]
    # A village cadre's phone and a volunteer's phone cache no households at all.
    assert client_for(v.cadre).get("/api/v1/field/reference").json()["households"] == []
    volunteer = client_for(v.volunteer).get("/api/v1/field/reference").json()
    assert volunteer["households"] == [] and volunteer["places"] == []
    other = make_user("fw-grid-2", Role.GRID_WORKER, district.grid_a2)
    assert [h["number"] for h in client_for(other).get("/api/v1/field/reference").json()["households"]] == [
        "A2-1"
    ]
