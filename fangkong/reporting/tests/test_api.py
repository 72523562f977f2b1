"""/api/v1/reports/: the summary for the briefing, filing, reading and review."""

from __future__ import annotations

import time_machine

from fangkong.reporting.models import DailyReport

from .conftest import bj, figures, file


@time_machine.travel(bj(12, 30), tick=False)
def test_the_command_office_reads_the_day_summary(district, cadre_a, command_user, client_for):
    file(cadre_a, district.township_a, bj(9, 0), home_isolation=2)
    response = client_for(command_user).get("/api/v1/reports/summary", {"day": "2021-08-03"})
    body = response.json()
    assert response.status_code == 200
    assert body["totals"]["home_isolation"] == 2
    # three units have not filed by 12:30: overdue, not late, and not received
    assert body["timeliness"]["overdue"] == 3
    assert body["timeliness"]["late"] == 0 and body["timeliness"]["received"] == 1


def test_a_township_cannot_read_the_district_summary(district, cadre_a, client_for):
    assert client_for(cadre_a).get("/api/v1/reports/summary").status_code == 404


@time_machine.travel(bj(9, 0), tick=False)
def test_a_cadre_files_through_the_api(district, cadre_a, client_for):
    response = client_for(cadre_a).post(
        "/api/v1/reports/reports",
        {"unit_code": district.township_a.code, "day": "2021-08-03", "values": figures()},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert response.json()["status"] == "on_time"


@time_machine.travel(bj(9, 0), tick=False)
def test_bad_figures_are_400(district, cadre_a, client_for):
    response = client_for(cadre_a).post(
        "/api/v1/reports/reports",
        {"unit_code": district.township_a.code, "day": "2021-08-03", "values": {}},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert not DailyReport.objects.exists()


@time_machine.travel(bj(9, 0), tick=False)
def test_an_outsider_can_neither_file_nor_read(district, cadre_a, cadre_b, client_for):
    report = file(cadre_a, district.township_a, bj(8, 0))
    client = client_for(cadre_b)
    assert client.get(f"/api/v1/reports/reports/{report.uuid}").status_code == 404
    assert (
        client.post(
            "/api/v1/reports/reports",
            {"unit_code": district.township_a.code, "day": "2021-08-03", "values": figures()},
            content_type="application/json",
        ).status_code
        == 404
    )
    assert (
        client.post(
            f"/api/v1/reports/reports/{report.uuid}/review",
            {"approve": True},
            content_type="application/json",
        ).status_code
        == 404
    )


@time_machine.travel(bj(9, 0), tick=False)
def test_the_wrong_method_is_405(district, cadre_a, client_for):
    assert client_for(cadre_a).delete("/api/v1/reports/reports").status_code == 405
