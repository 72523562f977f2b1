"""Home (with the unread count), reports of a day, notifications and the form's indicators."""

from __future__ import annotations

import time_machine
from django.urls import reverse

from fangkong.reporting.actions import do_deadline_sweep
from fangkong.reporting.models import Indicator, Notification

from .conftest import bj, file


@time_machine.travel(bj(10, 30), tick=False)
def test_home_shows_the_unread_count(district, cadre_b, client_for):
    do_deadline_sweep(bj(10, 0))
    response = client_for(cadre_b).get(reverse("reporting:home"))
    assert response.status_code == 200
    assert response.context["unread"] == 1


@time_machine.travel(bj(12, 30), tick=False)
def test_the_day_list_keeps_its_query_count(
    district, cadre_a, command_user, client_for, django_assert_max_num_queries
):
    file(cadre_a, district.township_a, bj(9, 0))
    do_deadline_sweep(bj(12, 0, 1))
    client = client_for(command_user)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("reporting:day"), {"day": "2021-08-03"})
    assert len(response.context["page_obj"]) == 4


def test_reading_a_notification(district, cadre_b, client_for):
    do_deadline_sweep(bj(10, 0))
    note = Notification.objects.get(user=cadre_b)
    response = client_for(cadre_b).post(reverse("reporting:notification_read", args=[note.uuid]))
    note.refresh_from_db()
    assert response.status_code == 302
    assert note.read_at is not None


def test_another_users_notification_is_404(district, cadre_a, cadre_b, client_for):
    do_deadline_sweep(bj(10, 0))
    note = Notification.objects.get(user=cadre_b)
    assert (
        client_for(cadre_a).post(reverse("reporting:notification_read", args=[note.uuid])).status_code == 404
    )
    assert (
        client_for(cadre_b).get(reverse("reporting:notification_read", args=[note.uuid])).status_code == 405
    )


def test_the_command_office_adds_and_retires_an_indicator(district, command_user, client_for):
    client = client_for(command_user)
    response = client.post(
        reverse("reporting:forms"),
        {
            "code": "fever_clinic",
            "name_zh": "发热门诊就诊人数",
            "name_en": "Fever clinic visits",
            "kind": "new_today",
            "unit": "persons",
            "source": "",
        },
    )
    assert response.status_code == 302
    indicator = Indicator.objects.get(code="fever_clinic")
    assert client.post(reverse("reporting:indicator_retire", args=[indicator.uuid])).status_code == 302
    indicator.refresh_from_db()
    assert not indicator.is_active


def test_a_bad_indicator_code_is_refused(district, command_user, client_for):
    response = client_for(command_user).post(
        reverse("reporting:forms"),
        {"code": "Bad Code", "name_zh": "x", "kind": "new_today", "unit": "persons"},
    )
    assert response.status_code == 400


def test_a_cadre_cannot_change_the_form(district, cadre_a, client_for):
    indicator = Indicator.objects.get(code="publicity_items")
    assert client_for(cadre_a).get(reverse("reporting:forms")).status_code == 404
    assert (
        client_for(cadre_a).post(reverse("reporting:indicator_retire", args=[indicator.uuid])).status_code
        == 404
    )


@time_machine.travel(bj(9, 0), tick=False)
def test_a_retired_indicator_is_no_longer_asked(district, cadre_a, command_user, client_for):
    indicator = Indicator.objects.get(code="publicity_items")
    client_for(command_user).post(reverse("reporting:indicator_retire", args=[indicator.uuid]))
    response = client_for(cadre_a).get(reverse("reporting:file"))
    assert "publicity_items" not in response.context["form"].fields
