"""What the phone caches for the offline forms (GET /api/v1/field/reference): the grid worker's own grid's follow-ups
due today, open push items and campaign households — never another grid's or township's — each with the version
the phone sends back, so that a record changed on the server since is a 409 with both versions."""

from __future__ import annotations

import datetime
import json
import threading
import uuid
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from conftest import make_user
from fangkong.accounts.permissions import Role
from fangkong.control.models import FollowUp
from fangkong.control.tests.helpers import start
from fangkong.fieldwork.submissions import do_submit
from fangkong.people.models import Household
from fangkong.pushlists.actions import do_assign, do_import_push_list, do_verify
from fangkong.pushlists.models import PushItem
from fangkong.pushlists.tests.conftest import NOW, item, sample_rows, write_csv
from fangkong.screening.actions import do_mark_visited, do_start_campaign
from fangkong.screening.models import HouseholdVisit

REFERENCE = "/api/v1/field/reference"
SUBMIT = "/api/v1/field/submissions"


def post(client: Client, kind: str, payload: dict[str, Any], version: str) -> Any:
    data = {"uuid": str(uuid.uuid4()), "kind": kind, "payload": payload, "base_version": version}
    return client.post(SUBMIT, json.dumps(data), content_type="application/json")


def home_isolation(region: Any, name: str) -> Any:
    return start(region, timezone.localdate() - datetime.timedelta(days=16), name=name)


def test_the_grid_workers_follow_ups_are_their_own_grids_only(district, client_for, grid_worker_a):
    mine = home_isolation(district.grid_a, "张三")
    home_isolation(district.grid_a2, "邻格人")  # same village, another grid
    home_isolation(district.grid_b, "外镇人")  # another township
    data = client_for(grid_worker_a).get(REFERENCE).json()
    assert [f["name"] for f in data["follow_ups"]] == ["张三"]
    row = data["follow_ups"][0]
    assert row["order"] == str(mine.uuid) and row["home_isolation"] and row["asked"] >= 1
    assert "fever" in [code for code, _label in data["choices"]["symptoms"]]
    text = json.dumps(data, ensure_ascii=False)
    assert "邻格人" not in text and "外镇人" not in text
    assert mine.person.document_number not in text  # no ID numbers on the phone


def test_a_follow_up_sent_with_the_loaded_version_is_stored_and_one_re_dated_meanwhile_is_a_conflict(
    district, client_for, grid_worker_a, command_user
):
    from fangkong.control.actions import do_extend

    order = home_isolation(district.grid_a, "张三")
    client = client_for(grid_worker_a)
    row = client.get(REFERENCE).json()["follow_ups"][0]
    payload = {"order": row["order"], "temperature": "36.6", "symptoms": [], "at_home": True}
    assert post(client, "follow_up", payload, row["version"]).status_code == 201
    do_extend(command_user, order, days=3, reason="密接者复阳", now=timezone.now())
    response = post(client, "follow_up", {**payload, "temperature": "36.8"}, row["version"])
    assert response.status_code == 409
    answer = response.json()
    assert (
        answer["server"]["end_day"] != answer["device"].get("end_day")
        and answer["device"]["temperature"] == "36.8"
    )
    assert FollowUp.objects.filter(order=order).count() == 1


def test_push_items_held_by_the_grid_are_cached_masked_and_a_verification_meanwhile_is_a_conflict(
    district, client_for, grid_worker_a, cadre_a, command_user, tmp_path
):
    path = write_csv(tmp_path / "list.csv", sample_rows())
    batch = do_import_push_list(command_user, path, path.name, NOW, 24)
    zhang, wang = item(batch, "张三"), item(batch, "王五")
    do_assign(cadre_a, [zhang, wang], grid_worker_a, timezone.now())
    client = client_for(grid_worker_a)
    data = client.get(REFERENCE).json()
    rows = {r["name"]: r for r in data["push_items"]}
    assert sorted(rows) == ["张三", "王五"]  # 李四 (township B) and the township's queue are not on the phone
    assert rows["张三"]["masked_id"].count("*") == 8 and zhang.id_number not in json.dumps(data)
    assert "13912345678" not in json.dumps(data)
    codes = [c[0] for c in data["choices"]["outcomes"]]
    assert "new_found" in codes and "not_local" in codes
    ok = post(
        client,
        "push_verification",
        {"item": str(zhang.uuid), "outcome": "not_local", "note": ""},
        rows["张三"]["version"],
    )
    assert ok.status_code == 201
    do_verify(cadre_a, wang, outcome="passed_through", note="途经", now=timezone.now())
    late = post(
        client,
        "push_verification",
        {"item": str(wang.uuid), "outcome": "not_local", "note": "外出"},
        rows["王五"]["version"],
    )
    assert late.status_code == 409 and late.json()["server"]["outcome"] == "passed_through"
    assert PushItem.objects.get(pk=wang.pk).outcome == "passed_through"
    assert [r["name"] for r in client.get(REFERENCE).json()["push_items"]] == []


def test_campaign_households_are_the_grids_own_with_their_visit_versions(
    district, client_for, grid_worker_a, cadre_a
):
    today = timezone.localdate()
    campaign = do_start_campaign(cadre_a, region=district.village_a, name="村不漏户", started_on=today)
    mine = Household.objects.create(region=district.grid_a, number="A-1", address="王助村一组1号")
    Household.objects.create(region=district.grid_a2, number="A2-1", address="王助村二组1号")
    client = client_for(grid_worker_a)
    [cached] = client.get(REFERENCE).json()["campaigns"]
    assert cached["campaign"] == str(campaign.uuid)
    assert [(h["number"], h["visited"], h["version"]) for h in cached["households"]] == [("A-1", False, "")]
    do_mark_visited(
        cadre_a, campaign, mine, visited_on=today, people_present=2, note="干部已走访", now=timezone.now()
    )
    payload = {
        "campaign": str(campaign.uuid),
        "household": str(mine.uuid),
        "people_present": 3,
        "note": "在家",
    }
    response = post(client, "household_visit", payload, "")
    assert response.status_code == 409 and response.json()["server"]["note"] == "干部已走访"
    [again] = client.get(REFERENCE).json()["campaigns"]
    assert again["households"][0]["visited"]
    assert post(client, "household_visit", payload, again["households"][0]["version"]).status_code == 201
    assert HouseholdVisit.objects.get(household=mine).note == "在家"


def test_a_village_or_township_account_caches_no_personal_data(district, client_for, cadre_a):
    home_isolation(district.grid_a, "张三")
    do_start_campaign(cadre_a, region=district.village_a, name="村不漏户", started_on=timezone.localdate())
    Household.objects.create(region=district.grid_a, number="A-1", address="王助村一组1号")
    for user in (cadre_a, make_user("wangzhu-cun", Role.VILLAGE_CADRE, district.village_a)):
        data = client_for(user).get(REFERENCE).json()
        assert data["follow_ups"] == data["push_items"] == data["campaigns"] == data["households"] == []


def test_the_offline_page_labels_both_versions_of_a_conflict_in_chinese(district, client_for, grid_worker_a):
    html = client_for(grid_worker_a).get("/field/offline/").content.decode()
    assert '"temperature": "\\u4f53\\u6e29' in html or '"temperature": "体温' in html
    assert "今日随访" in html and "待核查的推送" in html


def test_a_volunteers_phone_caches_no_personal_data(district, client_for):
    home_isolation(district.grid_a, "张三")
    volunteer = make_user("zhiyuan", Role.VOLUNTEER, district.village_a)
    data = client_for(volunteer).get(REFERENCE).json()
    assert data["follow_ups"] == data["push_items"] == data["campaigns"] == data["households"] == []


def test_logging_out_tells_the_browser_to_clear_the_cached_data_and_the_reference_is_closed_after(
    district, client_for, grid_worker_a
):
    home_isolation(district.grid_a, "张三")
    client = client_for(grid_worker_a)
    assert client.get(REFERENCE).status_code == 200
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"cache", "storage"'
    assert client.get(REFERENCE).status_code == 401
    assert client.post(SUBMIT, "{}", content_type="application/json").status_code in (401, 403)


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_posts_of_one_follow_up_store_one_follow_up(district, grid_worker_a):
    if connection.vendor != "postgresql":
        pytest.skip("the race needs two real connections (PostgreSQL)")
    from fangkong.tests.conftest import ensure_migration_seeds

    # A transactional test runs after others flushed every table, the protocols a control order needs included.
    ensure_migration_seeds()
    order = home_isolation(district.grid_a, "张三")
    sub = uuid.uuid4()
    payload = {"order": str(order.uuid), "temperature": "36.6", "symptoms": [], "at_home": True}
    barrier = threading.Barrier(2)
    outcomes: list[bool] = []

    def submit() -> None:
        from django.db import connections

        try:
            barrier.wait()
            outcome = do_submit(
                grid_worker_a,
                submission_uuid=sub,
                kind="follow_up",
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
    assert FollowUp.objects.filter(order=order).count() == 1
