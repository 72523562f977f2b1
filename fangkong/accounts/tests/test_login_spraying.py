"""One address trying one password across many usernames is stopped, though no single username reaches the
per-account lockout."""

import json

import pytest
from django.core.cache import cache

from conftest import make_user
from fangkong.accounts.permissions import Role


@pytest.fixture(autouse=True)
def fresh_counts():
    """Failed logins are counted in the shared cache, which other tests' failures also reach."""
    cache.clear()


def test_failures_across_usernames_block_the_address(district, client, settings):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 6
    make_user("real-user", Role.GRID_WORKER, district.grid_a)
    for i in range(6):
        response = client.post(
            "/accounts/login/", {"username": f"user{i}", "password": "Spring2021"}, REMOTE_ADDR="10.77.7.7"
        )
        assert response.status_code == 200  # the ordinary wrong-password answer
    blocked = client.post(
        "/accounts/login/", {"username": "real-user", "password": "pw-real-user"}, REMOTE_ADDR="10.77.7.7"
    )
    assert blocked.status_code == 429
    assert "此地址" in blocked.content.decode()
    api = client.post(
        "/api/v1/auth/token",
        json.dumps({"username": "real-user", "password": "pw-real-user"}),
        content_type="application/json",
        REMOTE_ADDR="10.77.7.7",
    )
    assert api.status_code == 429
    # Another address is not affected.
    other = client.post(
        "/accounts/login/", {"username": "real-user", "password": "pw-real-user"}, REMOTE_ADDR="10.77.7.8"
    )
    assert other.status_code == 302


def test_the_api_counts_too(district, client, settings):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 3
    for i in range(3):
        client.post(
            "/api/v1/auth/token",
            json.dumps({"username": f"u{i}", "password": "x"}),
            content_type="application/json",
            REMOTE_ADDR="10.77.7.9",
        )
    response = client.post("/accounts/login/", {"username": "a", "password": "b"}, REMOTE_ADDR="10.77.7.9")
    assert response.status_code == 429
