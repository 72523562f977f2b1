"""Days at the ends of the calendar (0001-01-01, 9999-12-31) are bad input, never an OverflowError."""

from __future__ import annotations

import datetime

import time_machine
from django.urls import reverse

from .conftest import DAY, bj

EXTREMES = ("0001-01-01", "9999-12-31")


@time_machine.travel(bj(12, 30), tick=False)
def test_the_day_list_falls_back_to_the_current_day(district, command_user, client_for):
    client = client_for(command_user)
    for day in EXTREMES:
        response = client.get(reverse("reporting:day"), {"day": day})
        assert response.status_code == 200, day
        assert response.context["day"] == DAY


@time_machine.travel(bj(12, 30), tick=False)
def test_the_completeness_page_treats_them_as_bad_input(district, command_user, client_for):
    client = client_for(command_user)
    for params in ({"start": "0001-01-01"}, {"start": "2021-08-01", "end": "9999-12-31"}):
        assert client.get(reverse("reporting:completeness"), params).status_code == 400, params


@time_machine.travel(bj(12, 30), tick=False)
def test_the_summary_and_report_list_api_answer_400(district, command_user, client_for):
    client = client_for(command_user)
    for day in EXTREMES:
        assert client.get("/api/v1/reports/summary", {"day": day}).status_code == 400, day
        assert client.get("/api/v1/reports/reports", {"day": day}).status_code == 400, day
    assert client.get("/api/v1/reports/reports", {"day": DAY.isoformat()}).status_code == 200
    assert (
        client.get(
            "/api/v1/reports/summary", {"day": (DAY - datetime.timedelta(days=1)).isoformat()}
        ).status_code
        == 200
    )
