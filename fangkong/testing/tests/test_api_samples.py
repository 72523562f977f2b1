"""POST /api/v1/testing/samples: a scanner registers a sample; an outsider's point is 404; bad input is 400/422."""

from __future__ import annotations

import json

from conftest import make_user
from fangkong.accounts.permissions import Role
from fangkong.testing.models import TubeMember

URL = "/api/v1/testing/samples"


def _post(client, body):
    return client.post(URL, data=json.dumps(body), content_type="application/json")


def test_a_scanner_registers_a_sample(client_for, collector, point, rnd, people):
    response = _post(
        client_for(collector),
        {
            "point": str(point.uuid),
            "barcode": "A0001",
            "id_number": people[0].document_number,
            "capacity": 10,
            "round": str(rnd.uuid),
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["position"] == 1 and body["tube_status"] == "open"
    assert (
        body["document"] == people[0].masked_document
        and people[0].document_number not in response.content.decode()
    )
    assert TubeMember.objects.filter(person=people[0], round=rnd).exists()


def test_a_second_sample_in_the_round_is_refused(client_for, collector, point, rnd, people):
    body = {
        "point": str(point.uuid),
        "barcode": "A0002",
        "id_number": people[0].document_number,
        "capacity": 10,
        "round": str(rnd.uuid),
    }
    assert _post(client_for(collector), body).status_code == 201
    response = _post(client_for(collector), {**body, "barcode": "A0003"})
    assert response.status_code == 400 and "id_number" in response.json()["detail"]


def test_an_outsiders_point_is_not_found(client_for, district, point, rnd, people):
    outsider = make_user("jiance-b", Role.TESTING_STAFF, district.township_b)
    response = _post(
        client_for(outsider),
        {"point": str(point.uuid), "barcode": "A0004", "id_number": people[0].document_number},
    )
    assert response.status_code == 404


def test_bad_input(client_for, collector, point, people):
    assert _post(client_for(collector), {"point": "x"}).status_code == 422
    response = _post(
        client_for(collector),
        {
            "point": str(point.uuid),
            "barcode": "A 1",
            "id_number": people[0].document_number,
            "purpose": "other",
        },
    )
    assert response.status_code == 400 and "barcode" in response.json()["detail"]
    assert client_for(collector).get(URL).status_code == 405


def test_a_grid_worker_cannot_sample(client_for, grid_worker_a, point, people):
    response = _post(
        client_for(grid_worker_a),
        {"point": str(point.uuid), "barcode": "A0005", "id_number": people[0].document_number},
    )
    assert response.status_code == 404


def test_the_ping_answers_a_token_and_refuses_without_one(client, collector):
    """The sampling benchmark's baseline: the same token authentication as a sample registration."""
    from fangkong.accounts.actions import do_create_token

    _token, raw = do_create_token(collector, name="扫码枪")
    assert client.get("/api/v1/testing/ping", HTTP_AUTHORIZATION=f"Bearer {raw}").json() == {"ok": True}
    assert client.get("/api/v1/testing/ping").status_code == 401
    assert client.get("/api/v1/testing/ping", HTTP_AUTHORIZATION="Bearer fk_wrong").status_code == 401
