"""The next steps (下一步工作) typed by the command office."""

from __future__ import annotations

from typing import Any

import time_machine

from fangkong.audit.models import AuditAction, AuditEvent
from fangkong.briefing.actions import NEXT_STEPS_MAX_LENGTH, do_generate_briefing
from fangkong.briefing.models import Briefing
from fangkong.briefing.tests.conftest import DAY, at

URL = "/briefings/day/2021-08-05/next-steps/"
NOW = at(DAY, 16)


@time_machine.travel(NOW)
def test_the_office_saves_next_steps_before_the_first_generation(command_user: Any, client_for: Any) -> None:
    response = client_for(command_user).post(URL, {"next_steps": "一、继续排查。\r\n二、加快接种。  "})
    assert response.status_code == 302
    briefing = Briefing.objects.get()
    assert (briefing.next_steps, briefing.issue_no) == ("一、继续排查。\n二、加快接种。", None)
    event = AuditEvent.objects.get(object_uuid=briefing.uuid)
    assert event.action == AuditAction.UPDATE
    assert event.changes == {"next_steps": ["", "一、继续排查。\n二、加快接种。"]}


@time_machine.travel(NOW)
def test_the_next_generation_prints_them(
    district: Any, command_user: Any, client_for: Any, fast_render: Any
) -> None:
    client_for(command_user).post(URL, {"next_steps": "一、继续排查。"})
    version = do_generate_briefing(None, district.county, DAY, at(DAY, 17))
    assert fast_render == [(1, "一、继续排查。")]
    assert version.next_steps == "一、继续排查。"


@time_machine.travel(NOW)
def test_htmx_gets_the_form_back_with_a_confirmation(command_user: Any, client_for: Any) -> None:
    response = client_for(command_user).post(
        URL, {"next_steps": "一、继续排查。"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert 'data-testid="saved"' in response.content.decode()


@time_machine.travel(NOW)
def test_saving_the_same_text_twice_is_audited_once(command_user: Any, client_for: Any) -> None:
    client = client_for(command_user)
    client.post(URL, {"next_steps": "一、继续排查。"})
    client.post(URL, {"next_steps": "一、继续排查。"})
    assert AuditEvent.objects.filter(action=AuditAction.UPDATE).count() == 1


@time_machine.travel(NOW)
def test_it_rejects_text_that_is_too_long(command_user: Any, client_for: Any) -> None:
    response = client_for(command_user).post(URL, {"next_steps": "字" * (NEXT_STEPS_MAX_LENGTH + 1)})
    assert response.status_code == 400
    assert not Briefing.objects.exists()


@time_machine.travel(NOW)
def test_a_township_cadre_gets_404(cadre_b: Any, client_for: Any) -> None:
    assert client_for(cadre_b).post(URL, {"next_steps": "x"}).status_code == 404
    assert not Briefing.objects.exists()


@time_machine.travel(NOW)
def test_a_leader_who_only_reads_gets_404(leader: Any, client_for: Any) -> None:
    assert client_for(leader).post(URL, {"next_steps": "x"}).status_code == 404


def test_it_requires_post(command_user: Any, client_for: Any) -> None:
    assert client_for(command_user).get(URL).status_code == 405
