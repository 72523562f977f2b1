"""A superior reviews a submitted report: approves it or returns it with a comment."""

from __future__ import annotations

from django.urls import reverse

from conftest import make_user
from fangkong.accounts.permissions import Role
from fangkong.reporting.models import Notification, ReportState

from .conftest import bj, file


def test_the_command_office_approves_a_township_report(district, cadre_a, command_user, client_for):
    report = file(cadre_a, district.township_a, bj(9, 0))
    response = client_for(command_user).post(
        reverse("reporting:review", args=[report.uuid]), {"decision": "approve"}
    )
    report.refresh_from_db()
    assert response.status_code == 302
    assert report.state == ReportState.APPROVED
    assert report.reviewed_by == command_user


def test_a_returned_report_carries_the_comment_and_the_reporter_is_told(
    district, cadre_a, command_user, client_for
):
    report = file(cadre_a, district.township_a, bj(9, 0))
    client_for(command_user).post(
        reverse("reporting:review", args=[report.uuid]), {"decision": "return", "comment": "核酸数不对"}
    )
    report.refresh_from_db()
    assert report.state == ReportState.RETURNED
    assert report.review_comment == "核酸数不对"
    assert Notification.objects.filter(user=cadre_a, text__contains="核酸数不对").exists()


def test_returning_needs_a_comment(district, cadre_a, command_user, client_for):
    report = file(cadre_a, district.township_a, bj(9, 0))
    client_for(command_user).post(reverse("reporting:review", args=[report.uuid]), {"decision": "return"})
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED


def test_a_unit_does_not_review_its_own_report(district, cadre_a, client_for):
    report = file(cadre_a, district.township_a, bj(9, 0))
    client_for(cadre_a).post(reverse("reporting:review", args=[report.uuid]), {"decision": "approve"})
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED


def test_a_township_reviews_its_village(district, cadre_a, client_for):
    village = make_user("cun", Role.VILLAGE_CADRE, district.village_a)
    report = file(village, district.village_a, bj(9, 0))
    client_for(cadre_a).post(reverse("reporting:review", args=[report.uuid]), {"decision": "approve"})
    report.refresh_from_db()
    assert report.state == ReportState.APPROVED


def test_an_outsider_gets_404(district, cadre_a, cadre_b, client_for):
    report = file(cadre_a, district.township_a, bj(9, 0))
    assert (
        client_for(cadre_b)
        .post(reverse("reporting:review", args=[report.uuid]), {"decision": "approve"})
        .status_code
        == 404
    )
    assert client_for(cadre_b).get(reverse("reporting:detail", args=[report.uuid])).status_code == 404


def test_review_rejects_get(district, cadre_a, command_user, client_for):
    report = file(cadre_a, district.township_a, bj(9, 0))
    assert client_for(command_user).get(reverse("reporting:review", args=[report.uuid])).status_code == 405


def test_bad_input_changes_nothing(district, cadre_a, command_user, client_for):
    report = file(cadre_a, district.township_a, bj(9, 0))
    client_for(command_user).post(reverse("reporting:review", args=[report.uuid]), {"decision": "burn"})
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED
