"""NUL characters and overlong text are a 422 in the user's language, not a database error (500)."""

from __future__ import annotations

import json
from collections.abc import Callable

from django.test import Client

from conftest import District
from fangkong.accounts.models import User
from fangkong.duty.models import LeaveRequest


def test_a_nul_in_the_unit_is_refused(
    district: District, cadre_a: User, client_for: Callable[[User], Client]
) -> None:
    response = client_for(cadre_a).get("/api/v1/duty/shifts", {"unit": "410972100\x00"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["msg"] == "文本不能包含空字符（NUL）。"


def test_an_overlong_or_nul_leave_request_is_refused_and_not_stored(
    district: District, cadre_a: User, client_for: Callable[[User], Client]
) -> None:
    client = client_for(cadre_a)
    base = {"starts_on": "2099-01-01", "ends_on": "2099-01-02", "reason": "探亲"}
    too_long = client.post(
        "/api/v1/duty/leave", json.dumps({**base, "destination": "北" * 201}), content_type="application/json"
    )
    assert too_long.status_code == 422
    assert too_long.json()["detail"][0]["msg"] == "最多输入 200 个字符。"
    nul = client.post(
        "/api/v1/duty/leave",
        json.dumps({**base, "reason": "探\x00亲", "destination": "北京"}),
        content_type="application/json",
    )
    assert nul.status_code == 422
    assert not LeaveRequest.objects.exists()
