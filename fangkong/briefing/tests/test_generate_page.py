"""The "generate now" button on a day page."""

from __future__ import annotations

from typing import Any

import time_machine

from fangkong.audit.models import AuditEvent
from fangkong.briefing.models import Briefing, BriefingVersion
from fangkong.briefing.tests.conftest import DAY, at

URL = "/briefings/day/2021-08-05/generate/"


@time_machine.travel(at(DAY, 17, 30))
def test_the_command_office_generates_a_version(command_user: Any, client_for: Any, fast_render: Any) -> None:
    response = client_for(command_user).post(URL)
    assert response.status_code == 302
    assert response["Location"] == "/briefings/day/2021-08-05/"
    version = BriefingVersion.objects.get()
    assert (version.briefing.issue_no, version.generated_by) == (1, command_user)
    assert AuditEvent.objects.filter(object_uuid=version.briefing.uuid).exists()


@time_machine.travel(at(DAY, 17, 30))
def test_htmx_is_told_where_to_go(command_user: Any, client_for: Any, fast_render: Any) -> None:
    response = client_for(command_user).post(URL, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response["HX-Redirect"] == "/briefings/day/2021-08-05/"


@time_machine.travel(at(DAY, 17, 30))
def test_a_township_cadre_gets_404(cadre_b: Any, client_for: Any, fast_render: Any) -> None:
    assert client_for(cadre_b).post(URL).status_code == 404
    assert not Briefing.objects.exists()


@time_machine.travel(at(DAY, 17, 30))
def test_a_leader_who_only_reads_gets_404(leader: Any, client_for: Any, fast_render: Any) -> None:
    assert client_for(leader).post(URL).status_code == 404


@time_machine.travel(at(DAY, 17, 30))
def test_it_rejects_a_future_or_impossible_day(command_user: Any, client_for: Any, fast_render: Any) -> None:
    client = client_for(command_user)
    assert client.post("/briefings/day/2021-08-06/generate/").status_code == 404
    assert client.post("/briefings/day/2021-02-30/generate/").status_code == 404
    assert not Briefing.objects.exists()


def test_it_requires_post(command_user: Any, client_for: Any) -> None:
    assert client_for(command_user).get(URL).status_code == 405


def test_anonymous_visitors_are_sent_to_log_in(db: None) -> None:
    from django.test import Client

    assert Client().post(URL).status_code == 302
