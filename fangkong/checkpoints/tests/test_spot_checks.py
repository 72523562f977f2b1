"""督查: an inspector records a visit; findings count on the checkpoint and are readable by supervision."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from fangkong.checkpoints.actions import SpotCheckInput, do_record_spot_check
from fangkong.checkpoints.models import SpotCheck
from fangkong.checkpoints.public import spot_check_findings

JPEG = b"\xff\xd8\xff\xe0" + b"0" * 100


def test_an_off_post_finding_counts_on_the_checkpoint(inspector, checkpoint, client_for, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client_for(inspector).post(
        f"/checkpoints/{checkpoint.uuid}/spot-check",
        {
            "staff_present": "1",
            "off_post": "on",
            "registrations_complete": "on",
            "equipment_complete": "on",
            "note": "一人脱岗",
            "photos": [SimpleUploadedFile("a.jpg", JPEG, content_type="image/jpeg")],
        },
    )
    assert response.status_code == 302
    spot = SpotCheck.objects.get()
    assert spot.finding_codes() == ["off_post"] and spot.photos.count() == 1
    checkpoint.refresh_from_db()
    assert checkpoint.findings_count == 1
    findings = spot_check_findings()
    assert [(f.code, f.checkpoint_uuid) for f in findings] == [("off_post", checkpoint.uuid)]


def test_several_findings_add_up(inspector, checkpoint):
    do_record_spot_check(
        inspector,
        checkpoint,
        SpotCheckInput(staff_present=0, drinking=True, registrations_complete=False),
        now=timezone.now(),
    )
    checkpoint.refresh_from_db()
    assert checkpoint.findings_count == 3


def test_a_photo_that_is_no_image_is_refused(inspector, checkpoint):
    with pytest.raises(ValidationError):
        do_record_spot_check(
            inspector,
            checkpoint,
            SpotCheckInput(staff_present=1, photos=[("x.jpg", b"<html>")]),
            now=timezone.now(),
        )
    assert not SpotCheck.objects.exists()


def test_only_inspectors_record_spot_checks(kakou, cadre_a, checkpoint, client_for):
    assert client_for(kakou).get(f"/checkpoints/{checkpoint.uuid}/spot-check").status_code == 404
    assert client_for(cadre_a).get(f"/checkpoints/{checkpoint.uuid}/spot-check").status_code == 404
