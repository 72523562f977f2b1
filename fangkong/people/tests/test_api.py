import json

import pytest

from fangkong.accounts.actions import do_create_token
from fangkong.audit.models import AuditAction, AuditEvent
from fangkong.people.models import Person
from fangkong.people.tests.helpers import create_person, new_id


@pytest.fixture
def token_a(cadre_a):
    _token, raw = do_create_token(cadre_a, "phone")
    return raw


def bearer(raw):
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_a_token_is_issued_for_good_credentials(cadre_a, client):
    response = client.post(
        "/api/v1/auth/token",
        json.dumps({"username": "wangzhu", "password": "pw-wangzhu"}),
        content_type="application/json",
        REMOTE_ADDR="10.0.0.1",
    )
    assert response.status_code == 201
    raw = response.json()["token"]
    assert raw.startswith("fk_")
    # Only the hash is stored.
    assert not cadre_a.api_tokens.filter(token_hash=raw).exists()


def test_bad_credentials_get_401(cadre_a, client):
    response = client.post(
        "/api/v1/auth/token",
        json.dumps({"username": "wangzhu", "password": "nope"}),
        content_type="application/json",
        REMOTE_ADDR="10.0.0.2",
    )
    assert response.status_code == 401


def test_the_list_is_masked_and_scoped(district, token_a, client):
    mine = create_person(district.grid_a, "张三")
    create_person(district.grid_b, "张山")
    data = client.get("/api/v1/people/", {"q": "zs"}, **bearer(token_a)).json()
    assert data["count"] == 1
    assert data["results"][0]["uuid"] == str(mine.uuid)
    assert data["results"][0]["document_number"] == mine.masked_document


def test_read_with_reveal_is_audited(district, token_a, client):
    person = create_person(district.grid_a)
    data = client.get(f"/api/v1/people/{person.uuid}", {"reveal": "true"}, **bearer(token_a)).json()
    assert data["document_number"] == person.document_number
    assert AuditEvent.objects.filter(action=AuditAction.REVEAL, object_uuid=person.uuid).count() == 1


def test_create_then_create_again_finds_the_same_person(district, token_a, client):
    body = {
        "name": "王五",
        "region_code": district.grid_a.code,
        "document_number": new_id(),
        "phone": "13900004444",
    }
    first = client.post(
        "/api/v1/people/", json.dumps(body), content_type="application/json", **bearer(token_a)
    )
    again = client.post(
        "/api/v1/people/", json.dumps(body), content_type="application/json", **bearer(token_a)
    )
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["uuid"] == again.json()["uuid"]
    assert Person.objects.count() == 1


def test_create_with_a_bad_id_is_a_400_with_the_field(district, token_a, client):
    body = {"name": "王五", "region_code": district.grid_a.code, "document_number": "4.10928E+17"}
    response = client.post(
        "/api/v1/people/", json.dumps(body), content_type="application/json", **bearer(token_a)
    )
    assert response.status_code == 400
    assert "document_number" in response.json()["detail"]


def test_create_in_another_township_is_404(district, token_a, client):
    body = {"name": "王五", "region_code": district.grid_b.code, "document_number": new_id()}
    response = client.post(
        "/api/v1/people/", json.dumps(body), content_type="application/json", **bearer(token_a)
    )
    assert response.status_code == 404
    assert not Person.objects.exists()


def test_patch_updates_and_outsiders_get_404(district, token_a, cadre_b, client):
    person = create_person(district.grid_a)
    other = create_person(district.grid_b, "外人")
    ok = client.patch(
        f"/api/v1/people/{person.uuid}",
        json.dumps({"address": "1号"}),
        content_type="application/json",
        **bearer(token_a),
    )
    assert ok.status_code == 200 and ok.json()["address"] == "1号"
    denied = client.patch(
        f"/api/v1/people/{other.uuid}",
        json.dumps({"address": "x"}),
        content_type="application/json",
        **bearer(token_a),
    )
    assert denied.status_code == 404
    other.refresh_from_db()
    assert other.address == ""


def test_without_credentials_the_api_answers_401(client):
    assert client.get("/api/v1/people/").status_code == 401


def test_a_revoked_token_stops_working(cadre_a, token_a, client):
    token = cadre_a.api_tokens.get()
    assert client.delete(f"/api/v1/auth/token/{token.uuid}", **bearer(token_a)).status_code == 204
    assert client.get("/api/v1/people/", **bearer(token_a)).status_code == 401
    assert AuditEvent.objects.filter(action=AuditAction.TOKEN_REVOKE).count() == 1


def test_the_openapi_schema_is_served(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/people/" in schema["paths"]


def test_the_token_endpoint_locks_out_after_repeated_failures(cadre_a, client, settings):
    body = {"username": "wangzhu", "password": "wrong"}
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            "/api/v1/auth/token", json.dumps(body), content_type="application/json", REMOTE_ADDR="10.7.7.7"
        )
    good = {"username": "wangzhu", "password": "pw-wangzhu"}
    response = client.post(
        "/api/v1/auth/token", json.dumps(good), content_type="application/json", REMOTE_ADDR="10.7.7.7"
    )
    assert response.status_code == 429
    assert "locked" in response.json()["detail"] or "锁定" in response.json()["detail"]
    assert AuditEvent.objects.filter(action=AuditAction.LOCKOUT).exists()


def test_the_api_does_not_hand_out_another_townships_person(district, token_a, client):
    other = create_person(district.grid_b, "外镇人员")
    body = {"name": "随便", "region_code": district.grid_a.code, "document_number": other.document_number}
    response = client.post(
        "/api/v1/people/", json.dumps(body), content_type="application/json", **bearer(token_a)
    )
    assert response.status_code == 400
    assert str(other.uuid) not in response.content.decode() and "外镇人员" not in response.content.decode()


def test_the_api_docs_load_without_a_cdn(cadre_a, client_for):
    body = client_for(cadre_a).get("/api/v1/docs").content.decode()
    assert "swagger" in body.lower()
    assert "cdn" not in body.lower() and "https://" not in body


def test_an_overlong_token_name_or_a_nul_username_is_refused(cadre_a, client):
    for payload in (
        {"username": "wangzhu", "password": "pw-wangzhu", "name": "手" * 101},
        {"username": "wang\x00zhu", "password": "pw-wangzhu"},
    ):
        response = client.post(
            "/api/v1/auth/token", json.dumps(payload), content_type="application/json", REMOTE_ADDR="10.0.0.9"
        )
        assert response.status_code == 422
    assert not cadre_a.api_tokens.exists()
