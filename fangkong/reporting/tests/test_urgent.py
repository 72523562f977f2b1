"""专题报送: sent at once to the person on duty, acknowledged, escalated when nobody answers."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from conftest import make_user
from fangkong.accounts.permissions import Role
from fangkong.reporting.actions import do_escalate_urgent, do_send_urgent
from fangkong.reporting.models import Notification, UrgentKind, UrgentReport

from .conftest import bj


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@time_machine.travel(bj(15, 0), tick=False)
def test_a_grid_worker_sends_an_urgent_report_with_an_attachment(
    district, grid_worker_a, command_user, client_for
):
    upload = SimpleUploadedFile("photo.jpg", b"\xff\xd8\xff\xe0jpeg", content_type="image/jpeg")
    response = client_for(grid_worker_a).post(
        reverse("reporting:urgent_new"),
        {
            "unit": district.grid_a.code,
            "kind": UrgentKind.POSITIVE_RESULT,
            "text": "核酸阳性一例",
            "attachments": upload,
        },
    )
    report = UrgentReport.objects.get()
    assert response.status_code == 302
    assert report.region == district.grid_a
    assert report.attachments.count() == 1
    assert report.notified == [str(command_user)]  # nobody rostered: the whole command office
    assert Notification.objects.filter(user=command_user, text__contains="核酸阳性一例").exists()


@time_machine.travel(bj(15, 0), tick=False)
def test_an_urgent_report_needs_text(district, grid_worker_a, client_for):
    response = client_for(grid_worker_a).post(
        reverse("reporting:urgent_new"), {"unit": district.grid_a.code, "kind": UrgentKind.OTHER, "text": ""}
    )
    assert response.status_code == 400
    assert not UrgentReport.objects.exists()


def test_the_person_on_duty_is_told(district, cadre_a, command_user, monkeypatch):
    on_duty = make_user("duty", Role.COMMAND_OFFICE, district.county)
    import fangkong.duty.public

    monkeypatch.setattr(fangkong.duty.public, "on_duty", lambda region, now: [on_duty])
    do_send_urgent(cadre_a, district.township_a, UrgentKind.CLUSTER, "聚集性疫情", now=bj(15, 0))
    assert Notification.objects.filter(user=on_duty).count() == 1
    assert not Notification.objects.filter(user=command_user).exists()


def test_the_command_office_acknowledges(district, cadre_a, command_user, client_for):
    report = do_send_urgent(cadre_a, district.township_a, UrgentKind.OTHER, "异常", now=bj(15, 0))
    response = client_for(command_user).post(reverse("reporting:urgent_ack", args=[report.uuid]))
    report.refresh_from_db()
    assert response.status_code == 302
    assert report.acknowledged_by == command_user
    assert Notification.objects.filter(user=cadre_a).exists()


def test_a_cadre_cannot_acknowledge(district, cadre_a, client_for):
    report = do_send_urgent(cadre_a, district.township_a, UrgentKind.OTHER, "异常", now=bj(15, 0))
    assert client_for(cadre_a).post(reverse("reporting:urgent_ack", args=[report.uuid])).status_code == 404


def test_an_outsider_gets_404(district, cadre_a, cadre_b, client_for):
    report = do_send_urgent(cadre_a, district.township_a, UrgentKind.OTHER, "异常", now=bj(15, 0))
    assert client_for(cadre_b).get(reverse("reporting:urgent_detail", args=[report.uuid])).status_code == 404


def test_ack_rejects_get(district, cadre_a, command_user, client_for):
    report = do_send_urgent(cadre_a, district.township_a, UrgentKind.OTHER, "异常", now=bj(15, 0))
    assert (
        client_for(command_user).get(reverse("reporting:urgent_ack", args=[report.uuid])).status_code == 405
    )


def test_unacknowledged_reports_escalate_once_after_the_delay(district, cadre_a, command_user, settings):
    settings.URGENT_ESCALATION_MINUTES = 10
    leader = make_user("leader", Role.LEADER, district.county)
    report = do_send_urgent(cadre_a, district.township_a, UrgentKind.SUSPECTED_CASE, "疑似", now=bj(15, 0))
    assert do_escalate_urgent(bj(15, 9, 59)) == 0
    assert do_escalate_urgent(bj(15, 10)) == 1
    assert do_escalate_urgent(bj(15, 20)) == 0
    report.refresh_from_db()
    assert report.escalated_at == bj(15, 10)
    assert Notification.objects.filter(user=leader).count() == 1


def test_an_acknowledged_report_does_not_escalate(district, cadre_a, command_user):
    from fangkong.reporting.actions import do_acknowledge_urgent

    report = do_send_urgent(cadre_a, district.township_a, UrgentKind.OTHER, "x", now=bj(15, 0))
    do_acknowledge_urgent(command_user, report, now=bj(15, 1))
    assert do_escalate_urgent(bj(16, 0)) == 0
    assert do_escalate_urgent(bj(15, 0) + datetime.timedelta(days=1)) == 0
