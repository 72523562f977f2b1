"""The command office opens what was attached to an urgent report; each opening is audited."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from fangkong.audit.models import AuditAction, AuditEvent
from fangkong.reporting.actions import do_send_urgent
from fangkong.reporting.models import UrgentKind


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def report(district, grid_worker_a, command_user):
    upload = SimpleUploadedFile("检测报告.pdf", b"%PDF-1.4 result", content_type="application/pdf")
    return do_send_urgent(
        grid_worker_a,
        district.grid_a,
        UrgentKind.POSITIVE_RESULT,
        "核酸阳性一例",
        now=timezone.now(),
        files=[upload],
    )


def url(report, attachment_uuid=None):
    attachment_uuid = attachment_uuid or report.attachments.get().uuid
    return f"/reports/urgent/{report.uuid}/attachments/{attachment_uuid}"


def test_the_command_office_downloads_the_attachment(report, command_user, client_for):
    response = client_for(command_user).get(url(report))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 result"
    assert "attachment" in response["Content-Disposition"]
    event = AuditEvent.objects.get(action=AuditAction.EXPORT)
    assert event.actor == command_user and event.object_label == "检测报告.pdf"


def test_the_detail_page_links_it(report, command_user, client_for):
    body = client_for(command_user).get(f"/reports/urgent/{report.uuid}/").content.decode()
    assert url(report) in body


def test_another_township_gets_404(report, cadre_b, client_for):
    assert client_for(cadre_b).get(url(report)).status_code == 404
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()


def test_an_unknown_attachment_is_404(report, command_user, client_for):
    import uuid

    assert client_for(command_user).get(url(report, uuid.uuid4())).status_code == 404


def test_downloads_are_get_only(report, command_user, client_for):
    assert client_for(command_user).post(url(report)).status_code == 405
