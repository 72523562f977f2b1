"""A session ends after SESSION_COOKIE_AGE without a request, yet reading pages does not write the session each time."""

from __future__ import annotations

import time_machine
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from fangkong.accounts.models import User


def _expiry(client: Client) -> object:
    return Session.objects.get(session_key=client.session.session_key).expire_date


def test_reading_pages_writes_the_session_at_most_every_quarter_hour(command_user: User) -> None:
    client = Client()
    with time_machine.travel("2026-12-01T09:00:00+08:00", tick=False):
        client.force_login(command_user)
        assert client.get("/").status_code == 200
        first = _expiry(client)
    with time_machine.travel("2026-12-01T09:10:00+08:00", tick=False):
        assert client.get("/").status_code == 200
        assert _expiry(client) == first
    with time_machine.travel("2026-12-01T09:20:00+08:00", tick=False):
        assert client.get("/").status_code == 200
        assert _expiry(client) > first


def test_a_session_left_alone_for_its_age_ends(command_user: User, settings: object) -> None:
    client = Client()
    with time_machine.travel("2026-12-01T09:00:00+08:00", tick=False):
        client.force_login(command_user)
        client.get("/")
    with time_machine.travel("2026-12-01T16:00:00+08:00", tick=False):
        assert client.get("/").status_code == 200  # seven hours later, still signed in; this extends it
    with time_machine.travel(timezone.datetime.fromisoformat("2026-12-02T00:01:00+08:00"), tick=False):
        response = client.get("/")
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]
