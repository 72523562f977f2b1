"""Filing the day's report: prefilled from the records, confirmed or corrected by the reporter."""

from __future__ import annotations

import time_machine
from django.urls import reverse

from fangkong.reporting.models import DailyReport, ReportState, ReportStatus

from .conftest import DAY, bj, page_figures


@time_machine.travel(bj(9, 30), tick=False)
def test_the_form_is_prefilled_from_the_records(district, cadre_a, client_for, verified_source):
    verified_source[district.township_a.code] = 7
    response = client_for(cadre_a).get(reverse("reporting:file"))
    assert response.status_code == 200
    assert response.context["form"].initial["pushlist_verified"] == 7
    assert "pushlist_verified" in response.context["prefilled"]


@time_machine.travel(bj(9, 30), tick=False)
def test_a_cadre_files_the_report_on_time(district, cadre_a, client_for):
    data = page_figures(central_isolation=4)
    response = client_for(cadre_a).post(reverse("reporting:file"), data)
    report = DailyReport.objects.get(region=district.township_a, day=DAY)
    assert response.status_code == 302
    assert report.state == ReportState.SUBMITTED
    assert report.status == ReportStatus.ON_TIME
    assert report.submitted_by == cadre_a
    assert report.values.get(indicator__code="central_isolation").value == 4


@time_machine.travel(bj(9, 30), tick=False)
def test_a_missing_figure_is_refused(district, cadre_a, client_for):
    data = page_figures()
    data.pop("home_isolation")
    response = client_for(cadre_a).post(reverse("reporting:file"), data)
    assert response.status_code == 400
    assert "home_isolation" in response.context["form"].errors
    assert not DailyReport.objects.exists()


@time_machine.travel(bj(9, 30), tick=False)
def test_a_negative_figure_is_refused(district, cadre_a, client_for):
    response = client_for(cadre_a).post(reverse("reporting:file"), page_figures(close_contacts=-1))
    assert response.status_code == 400
    assert not DailyReport.objects.exists()


@time_machine.travel(bj(9, 30), tick=False)
def test_a_cadre_may_file_for_a_village_below(district, cadre_a, client_for):
    response = client_for(cadre_a).post(
        reverse("reporting:file") + f"?unit={district.village_a.code}", page_figures()
    )
    assert response.status_code == 302
    assert DailyReport.objects.get(region=district.village_a).submitted_by == cadre_a


@time_machine.travel(bj(9, 30), tick=False)
def test_it_answers_404_for_a_unit_outside_the_jurisdiction(district, cadre_b, client_for):
    response = client_for(cadre_b).post(
        reverse("reporting:file") + f"?unit={district.township_a.code}", page_figures()
    )
    assert response.status_code == 404
    assert not DailyReport.objects.exists()


@time_machine.travel(bj(9, 30), tick=False)
def test_a_grid_worker_cannot_file(district, grid_worker_a, client_for):
    assert client_for(grid_worker_a).get(reverse("reporting:file")).status_code == 404


def test_filing_rejects_the_wrong_method(district, cadre_a, client_for):
    assert client_for(cadre_a).put(reverse("reporting:file")).status_code == 405


def test_the_command_office_is_not_a_reporting_unit(district, command_user, client_for):
    assert client_for(command_user).get(reverse("reporting:file")).status_code == 404
