"""Password reset and change revoke the user's API tokens and end their other sessions; a manager's reset
forces a change at the next login; every user can change their own password."""

import datetime
import json

import time_machine
from django.test import Client

from fangkong.accounts.actions import do_create_token, do_set_password
from fangkong.accounts.models import User
from fangkong.audit.models import AuditAction, AuditEvent

NEW = "a-new-long-password-2021"


def _api_ok(raw):
    return Client().get("/api/v1/people/", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200


def _logged_in(username, password):
    client = Client()
    response = client.post("/accounts/login/", {"username": username, "password": password})
    assert response.status_code == 302, response.content.decode()[:200]
    return client


def test_a_managers_reset_revokes_tokens_ends_sessions_and_forces_a_change(
    district, cadre_a, grid_worker_a, client_for
):
    _token, raw = do_create_token(grid_worker_a, "phone")
    session = client_for(grid_worker_a)
    assert _api_ok(raw) and session.get("/people/").status_code == 200

    response = client_for(cadre_a).post(
        f"/accounts/users/{grid_worker_a.uuid}/", {"form": "password", "password": NEW}
    )
    assert response.status_code == 302

    assert not _api_ok(raw)
    assert session.get("/people/").status_code == 302  # back to the login page: the session ended
    grid_worker_a.refresh_from_db()
    assert grid_worker_a.must_change_password
    # At the next login nothing but the password page opens, not even a new API token.
    fresh = _logged_in("wangzhu-grid", NEW)
    assert fresh.get("/people/")["Location"] == "/accounts/password/"
    assert fresh.get("/accounts/password/").status_code == 200
    answer = Client().post(
        "/api/v1/auth/token",
        json.dumps({"username": "wangzhu-grid", "password": NEW}),
        content_type="application/json",
    )
    assert answer.status_code == 403


def test_the_user_changes_their_own_password(district, grid_worker_a):
    _token, raw = do_create_token(grid_worker_a, "phone")
    other = _logged_in("wangzhu-grid", "pw-wangzhu-grid")
    here = _logged_in("wangzhu-grid", "pw-wangzhu-grid")
    response = here.post(
        "/accounts/password/", {"old_password": "pw-wangzhu-grid", "password": NEW, "repeat": NEW}
    )
    assert response.status_code == 302
    assert here.get("/people/").status_code == 200  # this session stays
    assert other.get("/people/").status_code == 302  # the other one ended
    assert not _api_ok(raw)
    assert User.objects.get(pk=grid_worker_a.pk).check_password(NEW)
    event = AuditEvent.objects.get(action=AuditAction.UPDATE, object_uuid=grid_worker_a.uuid)
    assert "password changed" in event.note and NEW not in event.note


def test_a_forced_change_clears_the_flag(district, cadre_a, grid_worker_a):
    do_set_password(cadre_a, grid_worker_a, NEW)
    client = _logged_in("wangzhu-grid", NEW)
    client.post("/accounts/password/", {"old_password": NEW, "password": NEW + "x", "repeat": NEW + "x"})
    assert client.get("/people/").status_code == 200
    assert not User.objects.get(pk=grid_worker_a.pk).must_change_password


def test_bad_input_gets_a_clear_error_and_changes_nothing(district, grid_worker_a, english):
    client = _logged_in("wangzhu-grid", "pw-wangzhu-grid")
    cases = [
        ({"old_password": "wrong", "password": NEW, "repeat": NEW}, "The current password is wrong."),
        (
            {"old_password": "pw-wangzhu-grid", "password": NEW, "repeat": NEW + "x"},
            "The two new passwords differ.",
        ),
        ({"old_password": "pw-wangzhu-grid", "password": "short", "repeat": "short"}, "too short"),
    ]
    for data, message in cases:
        response = client.post("/accounts/password/", data, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 200
        assert message in response.content.decode()
    assert User.objects.get(pk=grid_worker_a.pk).check_password("pw-wangzhu-grid")


def test_the_password_page_is_in_chinese(district, grid_worker_a, client_for):
    body = client_for(grid_worker_a).get("/accounts/password/").content.decode()
    assert "修改密码" in body and "当前密码" in body


def test_the_password_page_needs_a_login(db):
    assert Client().get("/accounts/password/").status_code == 302


def test_tokens_expire(district, cadre_a, settings):
    settings.API_TOKEN_DAYS = 90
    token, raw = do_create_token(cadre_a, "phone")
    assert token.expires_at - token.created_at >= datetime.timedelta(days=89, hours=23)
    assert _api_ok(raw)
    with time_machine.travel(token.expires_at + datetime.timedelta(seconds=1)):
        assert not _api_ok(raw)
