"""GET /api/v1/reports/completeness: the period page's rules (end after start, at most a year)."""

from __future__ import annotations

import time_machine

from .conftest import bj

URL = "/api/v1/reports/completeness"


@time_machine.travel(bj(12, 30), tick=False)
def test_it_counts_unit_days_over_a_period(district, command_user, client_for):
    response = client_for(command_user).get(URL, {"start": "2021-08-01", "end": "2021-08-03"})
    assert response.status_code == 200
    assert response.json()["total"]["expected"] == 12


@time_machine.travel(bj(12, 30), tick=False)
def test_it_defaults_to_the_current_reporting_day(district, command_user, client_for):
    body = client_for(command_user).get(URL).json()
    assert body["start"] == body["end"] == "2021-08-03"


@time_machine.travel(bj(12, 30), tick=False)
def test_it_rejects_a_reversed_period(district, command_user, client_for):
    client = client_for(command_user)
    assert client.get(URL, {"start": "2021-08-03", "end": "2021-08-01"}).status_code == 400
    assert client.get(URL, {"end": "2021-08-01"}).status_code == 400


@time_machine.travel(bj(12, 30), tick=False)
def test_it_rejects_a_period_longer_than_a_year(district, command_user, client_for):
    client = client_for(command_user)
    assert client.get(URL, {"start": "2020-08-01", "end": "2021-08-03"}).status_code == 400
    assert client.get(URL, {"start": "2020-08-02", "end": "2021-08-02"}).status_code == 200


@time_machine.travel(bj(12, 30), tick=False)
def test_it_rejects_days_at_the_ends_of_the_calendar(district, command_user, client_for):
    client = client_for(command_user)
    for params in ({"start": "0001-01-01"}, {"start": "2021-08-01", "end": "9999-12-31"}):
        assert client.get(URL, params).status_code == 400, params


def test_it_rejects_post(district, command_user, client_for):
    assert client_for(command_user).post(URL).status_code == 405
