"""A day page: the live summary, its versions, the generate button and the next steps."""

from __future__ import annotations

from typing import Any

import time_machine

from fangkong.briefing.actions import do_generate_briefing
from fangkong.briefing.tests.conftest import DAY, at

URL = "/briefings/day/2021-08-05/"
NOW = at(DAY, 18)


@time_machine.travel(NOW)
def test_the_office_sees_the_summary_versions_and_controls(
    district: Any, command_user: Any, client_for: Any, fast_render: Any
) -> None:
    do_generate_briefing(None, district.county, DAY, NOW)
    page = client_for(command_user).get(URL).content.decode()
    for expected in [
        "王助镇",
        "1032",
        "王助村",
        "王助村发现一名发热病人",
        'data-testid="versions"',
        'data-testid="generate-form"',
        'data-testid="next-steps-form"',
        'data-testid="issue-no"',
    ]:
        assert expected in page, expected


@time_machine.travel(NOW)
def test_a_leader_reads_it_without_the_controls(leader: Any, client_for: Any, fast_render: Any) -> None:
    page = client_for(leader).get(URL).content.decode()
    assert 'data-testid="no-versions"' in page
    assert "generate-form" not in page
    assert "next-steps-form" not in page


@time_machine.travel(NOW)
def test_a_township_cadre_gets_404(cadre_b: Any, client_for: Any, fast_render: Any) -> None:
    assert client_for(cadre_b).get(URL).status_code == 404


@time_machine.travel(NOW)
def test_a_future_or_malformed_day_is_404(command_user: Any, client_for: Any, fast_render: Any) -> None:
    client = client_for(command_user)
    assert client.get("/briefings/day/2021-08-06/").status_code == 404
    assert client.get("/briefings/day/2021-13-01/").status_code == 404
    assert client.get("/briefings/day/today/").status_code == 404


def test_it_requires_get(command_user: Any, client_for: Any) -> None:
    assert client_for(command_user).post(URL).status_code == 405


@time_machine.travel(NOW)
def test_a_day_at_the_ends_of_the_calendar_is_404(
    command_user: Any, client_for: Any, fast_render: Any
) -> None:
    client = client_for(command_user)
    for day in ("0001-01-01", "1999-12-31", "9999-12-31"):
        assert client.get(f"/briefings/day/{day}/").status_code == 404, day
        assert client.post(f"/briefings/day/{day}/generate/").status_code == 404, day
        assert client.post(f"/briefings/day/{day}/next-steps/", {"next_steps": "x"}).status_code == 404, day
