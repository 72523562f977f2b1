"""Issue 19: days of events a person types (a return, a negative test, a risk area, a visit) are held to a plausible
window — not before 2019-01-01, not more than a year ahead — with a clear message; nothing is stored."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from fangkong.lib.dates import event_day_error
from fangkong.screening.models import ReturneeReport
from fangkong.screening.tests.helpers import form_data, register

TODAY = datetime.date(2021, 8, 3)


def test_the_window_runs_from_2019_to_a_year_ahead():
    assert event_day_error(datetime.date(2019, 1, 1), today=TODAY) is None
    assert event_day_error(TODAY + datetime.timedelta(days=366), today=TODAY) is None
    assert event_day_error(datetime.date(2018, 12, 31), today=TODAY)
    assert event_day_error(datetime.date(6, 2, 2), today=TODAY)
    assert event_day_error(TODAY + datetime.timedelta(days=367), today=TODAY)


def test_the_self_report_refuses_a_return_in_year_6_with_a_message(district, english):
    url = reverse("screening:self_report", args=[district.village_a.code])
    response = Client().post(url, form_data(return_date="0006-02-02"))

    assert response.status_code == 200
    [message] = response.context["form"].errors["return_date"]
    assert "2019" in message
    assert not ReturneeReport.objects.exists()


def test_the_message_is_in_chinese_on_the_public_page(district):
    url = reverse("screening:self_report", args=[district.village_a.code])
    response = Client().post(url, form_data(return_date="0006-02-02"))
    assert "请输入" in response.context["form"].errors["return_date"][0]


def test_an_expected_return_more_than_a_year_ahead_is_refused(district):
    far = (timezone.localdate() + datetime.timedelta(days=400)).isoformat()
    url = reverse("screening:self_report", args=[district.village_a.code])
    response = Client().post(url, form_data(status="will_return", return_date=far))
    assert response.context["form"].errors["return_date"]
    assert not ReturneeReport.objects.exists()


def test_the_action_refuses_it_too_for_the_api(district):
    with pytest.raises(ValidationError) as exc:
        register(district.grid_a, return_date=datetime.date(6, 2, 2))
    assert "return_date" in exc.value.message_dict
    assert not ReturneeReport.objects.exists()
