"""The briefing API: list, detail, file download and generate, scoped like the pages."""

from __future__ import annotations

from typing import Any

import time_machine

from fangkong.audit.models import AuditAction, AuditEvent
from fangkong.briefing.actions import do_generate_briefing
from fangkong.briefing.tests.conftest import DAY, at

NOW = at(DAY, 18)


@time_machine.travel(NOW)
def test_it_lists_briefings_with_their_versions(
    district: Any, command_user: Any, client_for: Any, fast_render: Any
) -> None:
    do_generate_briefing(None, district.county, DAY, NOW)
    [item] = client_for(command_user).get("/api/v1/briefings/").json()
    assert (item["day"], item["issue_no"], item["county"]) == ("2021-08-05", 1, "濮阳经济技术开发区")
    assert item["versions"][0]["pdf_url"].endswith("/pdf")


@time_machine.travel(NOW)
def test_it_serves_a_version_file_and_audits_it(
    district: Any, command_user: Any, client_for: Any, fast_render: Any
) -> None:
    version = do_generate_briefing(None, district.county, DAY, NOW)
    client = client_for(command_user)
    detail = client.get(f"/api/v1/briefings/{version.briefing.uuid}").json()
    response = client.get(detail["versions"][0]["docx_url"])
    assert response.status_code == 200
    assert response.content == b"DOCX 2021-08-05 1"
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT).count() == 1
    unknown_format = client.get(f"/api/v1/briefings/versions/{version.uuid}/xlsx")
    assert unknown_format.status_code == 404
    assert unknown_format.json() == {"detail": "未找到。"}  # the API's one 404, in the user's language


@time_machine.travel(NOW)
def test_it_generates_on_demand(command_user: Any, client_for: Any, fast_render: Any) -> None:
    response = client_for(command_user).post(
        "/api/v1/briefings/generate", {"day": "2021-08-05"}, content_type="application/json"
    )
    assert response.status_code == 201
    assert response.json()["issue_no"] == 1


@time_machine.travel(NOW)
def test_it_rejects_bad_days(command_user: Any, client_for: Any, fast_render: Any) -> None:
    client = client_for(command_user)
    future = client.post("/api/v1/briefings/generate", {"day": "2021-08-06"}, content_type="application/json")
    assert future.status_code == 422
    bad = client.post("/api/v1/briefings/generate", {"day": "Aug 5"}, content_type="application/json")
    assert bad.status_code == 422


@time_machine.travel(NOW)
def test_a_township_cadre_sees_nothing(
    district: Any, cadre_b: Any, client_for: Any, fast_render: Any
) -> None:
    version = do_generate_briefing(None, district.county, DAY, NOW)
    client = client_for(cadre_b)
    assert client.get("/api/v1/briefings/").json() == []
    assert client.get(f"/api/v1/briefings/{version.briefing.uuid}").status_code == 404
    assert client.get(f"/api/v1/briefings/versions/{version.uuid}/pdf").status_code == 404
    generate = client.post(
        "/api/v1/briefings/generate", {"day": "2021-08-05"}, content_type="application/json"
    )
    assert generate.status_code == 404


def test_the_list_requires_get(command_user: Any, client_for: Any) -> None:
    assert client_for(command_user).post("/api/v1/briefings/").status_code == 405


@time_machine.travel(NOW)
def test_it_rejects_a_day_before_the_system_had_data(
    command_user: Any, client_for: Any, fast_render: Any
) -> None:
    response = client_for(command_user).post(
        "/api/v1/briefings/generate", {"day": "0001-01-01"}, content_type="application/json"
    )
    assert response.status_code == 422
