"""The list of past briefings with their downloads."""

from __future__ import annotations

import datetime
from typing import Any

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from fangkong.briefing.actions import do_generate_briefing
from fangkong.briefing.tests.conftest import DAY, at

NOW = at(DAY + datetime.timedelta(days=10), 18)


def _generate(district: Any, days: int) -> None:
    for offset in range(days):
        do_generate_briefing(None, district.county, DAY + datetime.timedelta(days=offset), NOW)


@time_machine.travel(NOW)
def test_it_lists_briefings_newest_first_with_download_links(
    district: Any, command_user: Any, client_for: Any, fast_render: Any
) -> None:
    _generate(district, 2)
    do_generate_briefing(None, district.county, DAY, NOW)  # a second version of Aug 5
    page = client_for(command_user).get("/briefings/").content.decode()
    assert page.index("2021-08-06") < page.index("2021-08-05")
    assert "2021 no. 2" in page or "2021年第2期" in page
    assert page.count(".docx") == 2 and page.count(".pdf") == 2


@time_machine.travel(NOW)
def test_its_query_count_does_not_grow_with_the_briefings(
    district: Any, command_user: Any, client_for: Any, fast_render: Any
) -> None:
    client = client_for(command_user)
    _generate(district, 1)
    with CaptureQueriesContext(connection) as one:
        client.get("/briefings/")
    _generate_more = [DAY + datetime.timedelta(days=n) for n in range(1, 6)]
    for day in _generate_more:
        do_generate_briefing(None, district.county, day, NOW)
    with CaptureQueriesContext(connection) as six:
        client.get("/briefings/")
    assert len(six) == len(one)


@time_machine.travel(NOW)
def test_it_opens_the_day_picked(command_user: Any, client_for: Any) -> None:
    response = client_for(command_user).get("/briefings/", {"day": "2021-08-03"})
    assert response.status_code == 302
    assert response["Location"] == "/briefings/day/2021-08-03/"


@time_machine.travel(NOW)
def test_a_bad_day_is_shown_as_an_error(command_user: Any, client_for: Any) -> None:
    response = client_for(command_user).get("/briefings/", {"day": "yesterday"})
    assert response.status_code == 200
    assert "alert-warning" in response.content.decode()


@time_machine.travel(NOW)
def test_a_township_cadre_sees_no_briefing(
    district: Any, cadre_b: Any, client_for: Any, fast_render: Any
) -> None:
    _generate(district, 1)
    page = client_for(cadre_b).get("/briefings/").content.decode()
    assert "2021-08-05" not in page
    assert 'data-testid="not-county"' in page


def test_it_requires_get(command_user: Any, client_for: Any) -> None:
    assert client_for(command_user).post("/briefings/").status_code == 405
