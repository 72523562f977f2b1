"""A session ends after SESSION_COOKIE_AGE without a request, yet reading pages does not write the session each time."""

from __future__ import annotations

import datetime

import time_machine
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client

from fangkong.accounts.models import User

START = datetime.datetime(2026, 12, 1, 9, 0, tzinfo=datetime.UTC)


def _expiry(client: Client) -> datetime.datetime:
    return Session.objects.get(session_key=client.session.session_key).expire_date


def test_reading_pages_writes_the_session_at_most_every_quarter_hour(command_user: User) -> None:
    client = Client()
    with time_machine.travel(START, tick=False):
        client.force_login(command_user)
        assert client.get("/").status_code == 200
        first = _expiry(client)
    with time_machine.travel(START + datetime.timedelta(minutes=10), tick=False):
        assert client.get("/").status_code == 200
        assert _expiry(client) == first
    with time_machine.travel(START + datetime.timedelta(minutes=20), tick=False):
        assert client.get("/").status_code == 200
        assert _expiry(client) > first


def test_a_session_ends_its_age_after_the_last_request_not_after_login(command_user: User) -> None:
    age = datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE)
    client = Client()
    with time_machine.travel(START, tick=False):
        client.force_login(command_user)
        client.get("/")
    last = START + age - datetime.timedelta(hours=1)
    with time_machine.travel(last, tick=False):
        assert client.get("/").status_code == 200  # still signed in; this request extends the session
    seen = START + age + datetime.timedelta(minutes=5)  # past the age counted from login
    with time_machine.travel(seen, tick=False):
        assert client.get("/").status_code == 200  # within the age counted from the last request
    with time_machine.travel(seen + age + datetime.timedelta(minutes=1), tick=False):
        response = client.get("/")
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]
