"""POST /api/v1/checkpoints/{uuid}/crossings: scanners register crossings."""

from __future__ import annotations

import json
from typing import Any

from conftest import make_user
from fangkong.accounts.permissions import Role
from fangkong.checkpoints.models import Crossing, CrossingDay
from fangkong.screening.tests.helpers import valid_id

BODY: dict[str, Any] = {
    "kind": "person",
    "origin": "河南省郑州市",
    "travellers": [
        {
            "name": "张三",
            "document_number": valid_id(41),
            "health_code": "green",
            "temperature": "36.6",
            "disposition": "pass",
        }
    ],
}


def post(client, checkpoint, body=BODY):
    return client.post(
        f"/api/v1/checkpoints/{checkpoint.uuid}/crossings",
        data=json.dumps(body),
        content_type="application/json",
    )


def test_staff_register_a_crossing_and_see_the_document_masked(kakou, checkpoint, client_for):
    response = post(client_for(kakou), checkpoint)
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["travellers"][0]["document_number"] != valid_id(41)
    assert data["travellers"][0]["document_number"].endswith(valid_id(41)[-4:])
    assert Crossing.objects.count() == 1 and CrossingDay.objects.get().people == 1


def test_a_token_works_too(kakou, checkpoint, client):
    from fangkong.accounts.actions import do_create_token

    _token, raw = do_create_token(kakou, name="扫码枪")
    response = client.post(
        f"/api/v1/checkpoints/{checkpoint.uuid}/crossings",
        data=json.dumps(BODY),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )
    assert response.status_code == 201


def test_the_temperature_rule_answers_400_with_the_field(kakou, checkpoint, client_for):
    body = {**BODY, "travellers": [{**BODY["travellers"][0], "temperature": "37.6"}]}
    response = post(client_for(kakou), checkpoint, body)
    assert response.status_code == 400
    assert "travellers.0.temperature_again" in response.json()["detail"]
    assert not Crossing.objects.exists()


def test_malformed_input_is_422(kakou, checkpoint, client_for):
    assert post(client_for(kakou), checkpoint, {"kind": "person"}).status_code == 422
    body = {**BODY, "origin": "x" * 101}
    assert post(client_for(kakou), checkpoint, body).status_code == 422


def test_an_outsider_and_a_staff_member_of_another_checkpoint_get_404(
    district, checkpoint, cadre_b, client_for
):
    other = make_user("kakou-b", Role.CHECKPOINT_STAFF, district.township_a)
    assert post(client_for(cadre_b), checkpoint).status_code == 404
    assert post(client_for(other), checkpoint).status_code == 404
    assert not Crossing.objects.exists()


def test_a_read_only_role_cannot_register(district, checkpoint, client_for):
    leader = make_user("lingdao", Role.LEADER, district.county)
    assert post(client_for(leader), checkpoint).status_code == 404


def test_wrong_method_and_anonymous(checkpoint, client, kakou, client_for):
    assert client_for(kakou).get(f"/api/v1/checkpoints/{checkpoint.uuid}/crossings").status_code == 405
    assert post(client, checkpoint).status_code == 401
