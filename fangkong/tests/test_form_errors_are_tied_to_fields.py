"""Issue 19: after a failed submit, errors and help texts are tied to their fields by the ids Django's widgets
reference (aria-describedby="id_x_helptext id_x_error"), and an error summary (role="alert") lists them."""

from __future__ import annotations

import re

from django.urls import reverse

from fangkong.tests.aria import error_summary, unresolved_references


def test_an_empty_self_report_ties_every_error_to_its_field(district, client):
    url = reverse("screening:self_report", args=[district.village_a.code])
    page = client.post(url, {"name": ""}).content.decode()

    assert 'aria-invalid="true"' in page
    assert re.search(r'<input[^>]*aria-describedby="id_name_error"[^>]*id="id_name"', page)
    assert 'id="id_name_error"' in page
    # The symptoms field has a help text: the widget names both.
    assert 'id="id_symptoms_helptext"' in page
    assert unresolved_references(page) == []


def test_a_failed_submit_starts_with_an_error_summary_linking_to_the_fields(district, client):
    url = reverse("screening:self_report", args=[district.village_a.code])
    summary = error_summary(client.post(url, {"name": ""}).content.decode())

    assert 'role="alert"' in summary and 'tabindex="-1"' in summary
    assert '<a href="#id_name"' in summary and '<a href="#id_phone"' in summary


def test_a_page_without_errors_has_no_summary(district, client):
    page = client.get(reverse("screening:self_report", args=[district.village_a.code])).content.decode()
    assert error_summary(page) == ""
    assert unresolved_references(page) == []


def test_the_returnee_filters_are_labelled(district, command_user, client_for):
    page = client_for(command_user).get(reverse("screening:returnees")).content.decode()
    for name in ("status", "risk", "double", "measure"):
        assert f'for="id_{name}"' in page, name


def test_phones_get_the_telephone_keypad_and_the_reporter_their_own_autofill(district, client):
    page = client.get(reverse("screening:self_report", args=[district.village_a.code])).content.decode()
    assert re.search(r'<input type="tel"[^>]*autocomplete="tel"[^>]*id="id_phone"', page)
    assert re.search(r'<input type="text"[^>]*autocomplete="name"[^>]*id="id_name"', page)
    assert re.search(r'<input type="tel"[^>]*id="id_contact_phone"', page)
