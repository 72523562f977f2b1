"""A NUL character in a filter of /api/v1/screening/returnees is a 422, not a database error (500)."""

from __future__ import annotations

from collections.abc import Callable

from django.test import Client

from conftest import District
from fangkong.accounts.models import User


def test_a_nul_in_a_filter_is_refused(
    district: District, command_user: User, client_for: Callable[[User], Client]
) -> None:
    response = client_for(command_user).get(
        "/api/v1/screening/returnees", {"status": "returned\x00", "measure": "\x00"}
    )
    assert response.status_code == 422
    assert {e["loc"][-1]: e["msg"] for e in response.json()["detail"]} == {
        "status": "文本不能包含空字符（NUL）。",
        "measure": "文本不能包含空字符（NUL）。",
    }
