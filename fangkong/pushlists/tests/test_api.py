"""/api/v1/push-lists/: batches, items of the unit, verify and dispatch, all jurisdiction-scoped."""

from __future__ import annotations

import json

from fangkong.pushlists.models import Outcome
from fangkong.pushlists.tests.conftest import id_number, item

API = "/api/v1/push-lists"


def test_the_api_lists_batches_with_township_figures(district, batch, cadre_a, client_for):
    client = client_for(cadre_a)
    assert [b["uuid"] for b in client.get(f"{API}/batches").json()] == [str(batch.uuid)]

    detail = client.get(f"{API}/batches/{batch.uuid}").json()
    assert [(t["township_code"], t["received"]) for t in detail["townships"]] == [
        (district.township_a.code, 2)
    ]


def test_the_api_lists_my_items_masked(district, batch, cadre_a, client_for):
    data = client_for(cadre_a).get(f"{API}/items").json()

    assert data["count"] == 2
    assert id_number(1) not in json.dumps(data)
    assert client_for(cadre_a).get(f"{API}/items?status=bogus").status_code == 400


def test_the_api_verifies_an_item(district, batch, cadre_a, client_for):
    mine = item(batch, "张三")
    client = client_for(cadre_a)
    url = f"{API}/items/{mine.uuid}/verify"

    assert client.post(url, {"outcome": "bogus"}, content_type="application/json").status_code == 400
    response = client.post(url, {"outcome": "not_local"}, content_type="application/json")
    assert response.status_code == 200 and response.json()["outcome"] == Outcome.NOT_LOCAL
    assert client.get(url).status_code == 405


def test_the_api_registers_the_person_found_at_the_village_named(district, batch, cadre_a, client_for):
    from fangkong.people.models import Person

    url = f"{API}/items/{item(batch, '张三').uuid}/verify"
    client = client_for(cadre_a)

    refused = client.post(url, {"outcome": "already_screened"}, content_type="application/json")
    assert refused.status_code == 400 and "person_region" in refused.json()["detail"]
    outside = {"outcome": "already_screened", "person_region_code": district.village_b.code}
    assert client.post(url, outside, content_type="application/json").status_code == 404
    body = {"outcome": "already_screened", "person_region_code": district.village_a.code}
    assert client.post(url, body, content_type="application/json").status_code == 200
    assert Person.objects.get().region == district.village_a


def test_the_api_dispatches_items(district, batch, cadre_a, client_for):
    mine = item(batch, "张三")
    response = client_for(cadre_a).post(
        f"{API}/items/dispatch",
        {"items": [str(mine.uuid)], "region_code": district.village_a.code},
        content_type="application/json",
    )

    assert response.json() == {"moved": 1}
    bad = client_for(cadre_a).post(
        f"{API}/items/dispatch", {"items": [str(mine.uuid)]}, content_type="application/json"
    )
    assert bad.status_code == 400


def test_the_api_answers_404_to_an_outsider(district, batch, cadre_b, client_for):
    mine = item(batch, "张三")
    client = client_for(cadre_b)

    assert client.get(f"{API}/batches/{batch.uuid}").status_code == 200  # B holds 李四 of this batch
    assert (
        client.post(
            f"{API}/items/{mine.uuid}/verify", {"outcome": "not_local"}, content_type="application/json"
        ).status_code
        == 404
    )
    assert (
        client.post(
            f"{API}/items/dispatch",
            {"items": [str(mine.uuid)], "region_code": district.village_b.code},
            content_type="application/json",
        ).status_code
        == 404
    )


def test_the_api_refuses_a_nul_in_the_verify_note(district, batch, cadre_a, client_for):
    mine = item(batch, "张三")
    response = client_for(cadre_a).post(
        f"{API}/items/{mine.uuid}/verify",
        json.dumps({"outcome": "not_local", "note": "不在\x00本地"}),
        content_type="application/json",
    )

    assert response.status_code == 422
    assert response.json()["detail"][0]["msg"] == "文本不能包含空字符（NUL）。"
    mine.refresh_from_db()
    assert mine.outcome == "" and mine.verified_at is None
