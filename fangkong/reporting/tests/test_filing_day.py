"""A filing is for the day the form and the API name, never for the day the request happens to arrive on:
a form opened at 23:59:50 and posted at 00:00:05 is refused for its closed day (never moved to the next),
and a report returned after midnight is corrected for its own day."""

from __future__ import annotations

import datetime

import time_machine
from django.urls import reverse

from fangkong.reporting.actions import do_review_report
from fangkong.reporting.models import DailyReport, ReportState, ReportStatus

from .conftest import BJ, DAY, bj, figures, file, page_figures

NEXT = DAY + datetime.timedelta(days=1)
AFTER_MIDNIGHT = datetime.datetime(2021, 8, 4, 0, 0, 5, tzinfo=BJ)


def test_the_form_carries_the_day_it_was_opened_for(district, cadre_a, client_for):
    with time_machine.travel(bj(23, 59, 50), tick=False):
        page = client_for(cadre_a).get(reverse("reporting:file"))
    assert page.context["day"] == DAY
    assert 'name="day" value="2021-08-03"' in page.content.decode()


def test_a_form_opened_at_23_59_50_and_posted_after_midnight_is_not_moved_to_the_next_day(
    district, cadre_a, client_for
):
    with time_machine.travel(AFTER_MIDNIGHT, tick=False):
        response = client_for(cadre_a).post(reverse("reporting:file"), page_figures(DAY))
    assert response.status_code == 400
    assert not DailyReport.objects.filter(region=district.township_a, day=NEXT).exists()
    assert not DailyReport.objects.filter(
        region=district.township_a, first_submitted_at__isnull=False
    ).exists()
    error = response.context["form"].errors["day"][0]
    assert error.startswith("未保存：2021年8月3日已于24:00结束") and "今天（2021年8月4日）" in error
    assert 'data-testid="day-error"' in response.content.decode()
    # The figures typed are still on the page.
    assert response.context["form"]["close_contacts"].value() == "1"


def test_a_form_opened_before_noon_and_posted_after_it_is_filed_late_for_its_day(
    district, cadre_a, client_for
):
    with time_machine.travel(bj(12, 0, 5), tick=False):
        response = client_for(cadre_a).post(reverse("reporting:file"), page_figures(DAY), follow=True)
    report = DailyReport.objects.get(region=district.township_a)
    assert report.day == DAY and report.status == ReportStatus.LATE
    text = [str(m) for m in response.context["messages"]]
    assert text == ["已上报2021年8月3日的日报。12:00后收到，记为迟报。"]


def test_the_api_files_for_the_day_it_names(district, cadre_a, client_for):
    client = client_for(cadre_a)
    with time_machine.travel(AFTER_MIDNIGHT, tick=False):
        closed = client.post(
            "/api/v1/reports/reports",
            {"unit_code": district.township_a.code, "day": DAY.isoformat(), "values": figures()},
            content_type="application/json",
        )
        unnamed = client.post(
            "/api/v1/reports/reports",
            {"unit_code": district.township_a.code, "values": figures()},
            content_type="application/json",
        )
        today = client.post(
            "/api/v1/reports/reports",
            {"unit_code": district.township_a.code, "day": NEXT.isoformat(), "values": figures()},
            content_type="application/json",
        )
    assert closed.status_code == 400 and "day" in closed.json()["detail"]
    assert unnamed.status_code == 422
    assert today.status_code == 201 and today.json()["day"] == NEXT.isoformat()
    assert list(DailyReport.objects.values_list("day", flat=True)) == [NEXT]


def test_a_future_day_is_refused(district, cadre_a, client_for):
    with time_machine.travel(bj(9, 0), tick=False):
        response = client_for(cadre_a).post(reverse("reporting:file"), page_figures(NEXT))
    assert response.status_code == 400
    assert not DailyReport.objects.exists()


def test_a_report_returned_after_midnight_is_corrected_for_its_own_day(
    district, cadre_a, command_user, client_for
):
    report = file(cadre_a, district.township_a, bj(9, 0))
    do_review_report(command_user, report, approve=False, comment="核酸数不对", now=bj(23, 30))
    client = client_for(cadre_a)
    with time_machine.travel(datetime.datetime(2021, 8, 4, 0, 30, tzinfo=BJ), tick=False):
        detail = client.get(reverse("reporting:detail", args=[report.uuid]))
        link = f"/reports/file/?unit={district.township_a.code}&amp;day=2021-08-03"
        assert link in detail.content.decode()
        page = client.get(reverse("reporting:file"), {"unit": district.township_a.code, "day": "2021-08-03"})
        assert page.context["existing"] == report
        response = client.post(
            reverse("reporting:file") + f"?unit={district.township_a.code}&day=2021-08-03",
            {**page_figures(DAY, close_contacts=3), "reason": "更正核酸数"},
        )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.revision == 1 and report.state == ReportState.SUBMITTED
    assert report.values.get(indicator__code="close_contacts").value == 3
    assert report.status == ReportStatus.ON_TIME  # lateness stays judged on the first submission
    assert not DailyReport.objects.filter(day=NEXT).exists()


def test_the_api_corrects_a_returned_report_for_its_own_day(district, cadre_a, command_user, client_for):
    report = file(cadre_a, district.township_a, bj(9, 0))
    do_review_report(command_user, report, approve=False, comment="核酸数不对", now=bj(23, 30))
    with time_machine.travel(datetime.datetime(2021, 8, 4, 0, 30, tzinfo=BJ), tick=False):
        response = client_for(cadre_a).post(
            "/api/v1/reports/reports",
            {
                "unit_code": district.township_a.code,
                "day": DAY.isoformat(),
                "values": figures(close_contacts=3),
                "reason": "更正",
            },
            content_type="application/json",
        )
    assert response.status_code == 201
    assert response.json()["uuid"] == str(report.uuid) and response.json()["revision"] == 1
    assert not DailyReport.objects.filter(day=NEXT).exists()
