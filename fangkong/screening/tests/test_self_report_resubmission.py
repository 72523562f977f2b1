"""Issue 9: refreshing the public self-report's receipt does not submit again — post/redirect/get, and an
idempotency key drawn with the form, so a resent form (back and resend, a double tap) registers once."""

from __future__ import annotations

import re
import uuid

from django.test import Client
from django.urls import reverse

from conftest import District
from fangkong.screening.models import ReturneeReport
from fangkong.screening.tests.helpers import form_data


def _url(district: District) -> str:
    return reverse("screening:self_report", args=[district.village_a.code])


def _done(district: District) -> str:
    return reverse("screening:self_report_done", args=[district.village_a.code])


def _key(client: Client, district: District) -> str:
    page = client.get(_url(district)).content.decode()
    match = re.search(r'name="submission" value="([0-9a-f-]{36})"', page)
    assert match, "the form carries its idempotency key"
    return match.group(1)


def test_a_sent_report_redirects_to_its_receipt_and_a_refresh_sends_nothing(district):
    client = Client()
    response = client.post(_url(district), form_data(submission=_key(client, district)))

    assert response.status_code == 302 and response["Location"] == _done(district)
    receipt = ReturneeReport.objects.get().receipt_number
    assert receipt not in response["Location"]
    for _refresh in range(3):
        page = client.get(_done(district))
        assert page.status_code == 200 and receipt in page.content.decode()
    assert ReturneeReport.objects.count() == 1


def test_the_same_form_sent_twice_registers_once_and_answers_with_the_same_receipt(district):
    client = Client()
    data = form_data(submission=_key(client, district))
    first = client.post(_url(district), data, follow=True).content.decode()
    again = Client().post(_url(district), data, follow=True).content.decode()  # resent from another tab

    receipt = ReturneeReport.objects.get().receipt_number
    assert receipt in first and receipt in again


def test_each_new_form_is_a_new_submission(district):
    client = Client()
    client.post(_url(district), form_data(submission=_key(client, district)))
    client.post(_url(district), form_data(submission=_key(client, district)))
    assert ReturneeReport.objects.count() == 2


def test_a_refused_form_can_be_corrected_and_sent_with_the_same_key(district):
    client = Client()
    key = _key(client, district)
    refused = client.post(_url(district), form_data(submission=key, phone="12345"))
    assert refused.status_code == 200 and not ReturneeReport.objects.exists()
    assert client.post(_url(district), form_data(submission=key)).status_code == 302
    assert ReturneeReport.objects.count() == 1


def test_the_receipt_page_without_a_report_goes_back_to_the_form(district):
    assert Client().get(_done(district))["Location"] == _url(district)
    other_village = reverse("screening:self_report_done", args=[district.village_b.code])
    client = Client()
    client.post(_url(district), form_data(submission=str(uuid.uuid4())))
    assert client.get(other_village).status_code == 302


def test_the_receipt_page_refuses_post_and_unknown_villages(district):
    assert Client().post(_done(district)).status_code == 405
    assert Client().get(reverse("screening:self_report_done", args=["999999999999"])).status_code == 404
