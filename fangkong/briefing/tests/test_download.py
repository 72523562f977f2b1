"""Downloading a briefing's DOCX or PDF: scoped, audited, old versions included."""

from __future__ import annotations

from typing import Any

import pytest

from fangkong.audit.models import AuditAction, AuditEvent
from fangkong.briefing.actions import do_generate_briefing
from fangkong.briefing.models import BriefingVersion
from fangkong.briefing.tests.conftest import DAY, at

NOW = at(DAY, 18)


@pytest.fixture
def versions(district: Any, fast_render: Any) -> tuple[BriefingVersion, BriefingVersion]:
    first = do_generate_briefing(None, district.county, DAY, NOW)
    second = do_generate_briefing(None, district.county, DAY, at(DAY, 19))
    return first, second


def test_an_old_version_stays_downloadable(versions: Any, command_user: Any, client_for: Any) -> None:
    first, _second = versions
    response = client_for(command_user).get(f"/briefings/versions/{first.uuid}.docx")
    assert response.status_code == 200
    assert response.content == b"DOCX 2021-08-05 1"
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument")
    assert "attachment" in response["Content-Disposition"]
    assert "filename*=utf-8''" in response["Content-Disposition"]  # the Chinese file name, RFC 5987


def test_the_latest_pdf_is_served_with_its_name(versions: Any, leader: Any, client_for: Any) -> None:
    _first, second = versions
    response = client_for(leader).get(f"/briefings/{second.briefing.uuid}/latest.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert "_v2.pdf" in response["Content-Disposition"]


def test_a_download_is_audited_as_an_export(versions: Any, command_user: Any, client_for: Any) -> None:
    first, _second = versions
    client_for(command_user).get(f"/briefings/versions/{first.uuid}.pdf")
    event = AuditEvent.objects.get(action=AuditAction.EXPORT)
    assert (event.actor, event.object_uuid, event.note) == (command_user, first.briefing.uuid, "pdf v1")


def test_a_township_cadre_gets_404(versions: Any, cadre_b: Any, client_for: Any) -> None:
    first, _second = versions
    client = client_for(cadre_b)
    assert client.get(f"/briefings/versions/{first.uuid}.docx").status_code == 404
    assert client.get(f"/briefings/{first.briefing.uuid}/latest.pdf").status_code == 404
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()


def test_an_unknown_format_or_uuid_is_404(versions: Any, command_user: Any, client_for: Any) -> None:
    first, _second = versions
    client = client_for(command_user)
    assert client.get(f"/briefings/versions/{first.uuid}.xlsx").status_code == 404
    assert client.get("/briefings/versions/00000000-0000-0000-0000-000000000000.pdf").status_code == 404


def test_a_briefing_with_next_steps_only_has_nothing_to_download(
    district: Any, command_user: Any, client_for: Any
) -> None:
    from fangkong.briefing.actions import do_set_next_steps

    briefing = do_set_next_steps(command_user, district.county, DAY, "一、排查。", now=NOW)
    assert client_for(command_user).get(f"/briefings/{briefing.uuid}/latest.pdf").status_code == 404


def test_it_requires_get(versions: Any, command_user: Any, client_for: Any) -> None:
    first, _second = versions
    assert client_for(command_user).post(f"/briefings/versions/{first.uuid}.pdf").status_code == 405
