"""Notices: sent to the units named, kept as PDF, public page without personal data."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from fangkong.reporting.models import Notification
from fangkong.supervision.notices import do_publish_notice
from fangkong.supervision.tests.helpers import make_inspector, open_item


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_a_notice_goes_to_the_units_named_and_is_kept_as_pdf(
    district, cadre_a, cadre_b, client_for, django_capture_on_commit_callbacks
):
    inspector = make_inspector(district.county)
    item = open_item(inspector, district.township_a, now=timezone.now(), description="卡口人员饮酒")
    client = client_for(inspector)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("supervision:notice_create"),
            {
                "number": "督查通报〔2021〕第1号",
                "title": "关于卡口值守问题的通报",
                "body": "经查……",
                "items": [item.pk],
                "is_public": "on",
            },
        )
    assert response.status_code == 302
    notice = item.notices.get()
    assert notice.pdf.read()[:5] == b"%PDF-"
    assert Notification.objects.filter(user=cadre_a).exists()
    assert not Notification.objects.filter(user=cadre_b).exists()
    # The unit named reads it; another township does not even learn it exists.
    url = reverse("supervision:notice", kwargs={"notice_uuid": notice.uuid})
    assert client_for(cadre_a).get(url).status_code == 200
    assert client_for(cadre_b).get(url).status_code == 404
    assert (
        client_for(cadre_b)
        .get(reverse("supervision:notice_pdf", kwargs={"notice_uuid": notice.uuid}))
        .status_code
        == 404
    )
    pdf = client_for(cadre_a).get(reverse("supervision:notice_pdf", kwargs={"notice_uuid": notice.uuid}))
    assert pdf["Content-Type"] == "application/pdf"


def test_the_public_page_shows_units_and_findings_but_no_person(district, client, cadre_a):
    inspector = make_inspector(district.county, "duchazu-zhang")
    item = open_item(inspector, district.village_a, now=timezone.now(), description="宣传横幅未悬挂")
    notice = do_publish_notice(
        inspector,
        number="1号",
        title="公开通报",
        body="经查……",
        items=[item],
        is_public=True,
        now=timezone.now(),
    )
    body = client.get(
        reverse("supervision:public_notice", kwargs={"notice_uuid": notice.uuid})
    ).content.decode()
    assert "宣传横幅未悬挂" in body and "王助村" in body
    assert "duchazu-zhang" not in body
    assert "duchazu-zhang" not in client.get(reverse("supervision:public_notices")).content.decode()


def test_a_notice_not_made_public_is_404_to_visitors(district, client):
    inspector = make_inspector(district.county)
    item = open_item(inspector, district.village_a, now=timezone.now())
    notice = do_publish_notice(
        inspector, number="2号", title="内部通报", body="x", items=[item], now=timezone.now()
    )
    assert (
        client.get(reverse("supervision:public_notice", kwargs={"notice_uuid": notice.uuid})).status_code
        == 404
    )
    assert "内部通报" not in client.get(reverse("supervision:public_notices")).content.decode()


def test_a_notice_needs_findings_of_the_jurisdiction(district, cadre_a):
    inspector = make_inspector(district.county)
    township_inspector = make_inspector(district.township_b, "ducha-b")
    item = open_item(inspector, district.village_a, now=timezone.now())
    with pytest.raises(ValidationError):
        do_publish_notice(inspector, number="3号", title="t", body="b", items=[], now=timezone.now())
    with pytest.raises(ValidationError):
        do_publish_notice(
            township_inspector, number="3号", title="t", body="b", items=[item], now=timezone.now()
        )
    with pytest.raises(ValidationError):
        do_publish_notice(cadre_a, number="3号", title="t", body="b", items=[item], now=timezone.now())
