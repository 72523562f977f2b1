"""Attachments of an urgent report: at most 10, 20 MB each, 50 MB together, and only photos, scans and office
documents whose content matches their name; a refusal says why, in the user's language, and stores nothing."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from fangkong.reporting.actions import do_send_urgent
from fangkong.reporting.actions.urgent import MAX_ATTACHMENTS
from fangkong.reporting.models import UrgentAttachment, UrgentKind, UrgentReport

from .conftest import bj

JPEG = b"\xff\xd8\xff\xe0" + b"0" * 100


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def photo(name: str = "现场.jpg", size: int = 0) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, JPEG + b"0" * size, content_type="image/jpeg")


def send(user, unit, files):
    return do_send_urgent(user, unit, UrgentKind.OTHER, "现场情况", now=bj(15, 0), files=files)


def test_photos_and_documents_are_accepted(district, cadre_a):
    pdf = SimpleUploadedFile("报告.pdf", b"%PDF-1.4 x")
    report = send(cadre_a, district.township_a, [photo(), pdf])
    assert report.attachments.count() == 2


def test_more_than_the_limit_is_refused(district, cadre_a, english):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as exc:
        send(cadre_a, district.township_a, [photo(f"{i}.jpg") for i in range(MAX_ATTACHMENTS + 1)])
    assert exc.value.message_dict["attachments"] == [
        "At most 10 attachments per urgent report; 11 were chosen."
    ]
    assert not UrgentReport.objects.exists() and not UrgentAttachment.objects.exists()


def test_too_much_in_total_is_refused(district, cadre_a, english, settings):
    from django.core.exceptions import ValidationError

    files = [photo(f"{i}.jpg", size=11 * 1024 * 1024) for i in range(5)]  # 55 MB, each under 20 MB
    with pytest.raises(ValidationError) as exc:
        send(cadre_a, district.township_a, files)
    assert "The attachments together are larger than 50 MB." in exc.value.message_dict["attachments"]


@pytest.mark.parametrize(
    ("name", "content"),
    [("run.exe", b"MZ\x90\x00"), ("page.html", b"<script>"), ("list.zip", b"PK\x03\x04"), ("noext", b"x")],
)
def test_a_type_outside_the_allow_list_is_refused(district, cadre_a, english, name, content):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as exc:
        send(cadre_a, district.township_a, [SimpleUploadedFile(name, content)])
    assert exc.value.message_dict["attachments"][0].startswith(f"“{name}” cannot be attached: allowed are")


def test_a_file_whose_content_is_not_what_its_name_says_is_refused(district, cadre_a, english):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as exc:
        send(cadre_a, district.township_a, [SimpleUploadedFile("photo.jpg", b"MZ\x90\x00 not a jpeg")])
    assert exc.value.message_dict["attachments"] == ["“photo.jpg” is not the jpg file its name says."]


def test_the_page_says_why_in_chinese(district, cadre_a, client_for):
    response = client_for(cadre_a).post(
        reverse("reporting:urgent_new"),
        {
            "unit": district.township_a.code,
            "kind": UrgentKind.OTHER,
            "text": "现场情况",
            "attachments": SimpleUploadedFile("run.exe", b"MZ"),
        },
    )
    assert response.status_code == 400
    assert "“run.exe”不能作为附件" in response.content.decode()
    assert not UrgentReport.objects.exists()
