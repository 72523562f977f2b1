"""A NUL character in an indicator code or a unit code is a 422, not a database error (500)."""

from __future__ import annotations

import json
from collections.abc import Callable

from django.test import Client

from conftest import District
from fangkong.accounts.models import User
from fangkong.reporting.models import DailyReport


def test_a_nul_in_a_report_is_refused_and_nothing_is_filed(
    district: District, cadre_a: User, client_for: Callable[[User], Client]
) -> None:
    client = client_for(cadre_a)
    for payload in (
        {"unit_code": district.township_a.code, "day": "2021-08-03", "values": {"quarantined\x00": 1}},
        {"unit_code": district.township_a.code + "\x00", "day": "2021-08-03", "values": {}},
    ):
        response = client.post(
            "/api/v1/reports/reports", json.dumps(payload), content_type="application/json"
        )
        assert response.status_code == 422
        assert response.json()["detail"][0]["msg"] == "文本不能包含空字符（NUL）。"
    assert not DailyReport.objects.exists()
