"""The daily report form: impossible combinations are refused with a clear message, a positive result alerts
the command office, only figures the system computes carry the 系统数据 badge, and the first submission is
第1版 (issue 9)."""

from __future__ import annotations

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from fangkong.reporting.models import DailyReport, Notification

from .conftest import DAY, bj, file, page_figures


def test_more_positives_than_samples_is_refused(district, cadre_a, english):
    with pytest.raises(ValidationError) as exc:
        file(cadre_a, district.township_a, bj(9, 0), nat_samples=72, nat_negative=0, nat_positive=73)
    assert exc.value.message_dict["nat_positive"] == [
        "Positives (73) cannot be more than the samples taken (72)."
    ]
    assert not DailyReport.objects.filter(first_submitted_at__isnull=False).exists()


def test_more_results_than_samples_is_refused(district, cadre_a, english):
    with pytest.raises(ValidationError) as exc:
        file(cadre_a, district.township_a, bj(9, 0), nat_samples=1200, nat_negative=1200, nat_positive=5)
    assert "(1205)" in exc.value.message_dict["nat_negative"][0]


@time_machine.travel(bj(9, 0), tick=False)
def test_the_page_shows_the_message_beside_the_figure(district, cadre_a, client_for):
    data = page_figures(nat_samples=72, nat_negative=0, nat_positive=73)
    response = client_for(cadre_a).post(reverse("reporting:file"), data)
    assert response.status_code == 400
    assert response.context["form"].errors["nat_positive"] == ["阳性数（73）不能多于采样数（72）。"]


def test_as_many_results_as_samples_is_fine(district, cadre_a):
    report = file(cadre_a, district.township_a, bj(9, 0), nat_samples=1205, nat_negative=1200, nat_positive=5)
    assert report.is_submitted


def test_a_positive_result_alerts_the_command_office_once(district, cadre_a, command_user, english):
    report = file(cadre_a, district.village_a, bj(9, 0), nat_samples=10, nat_negative=8, nat_positive=2)
    alert = Notification.objects.get(user=command_user)
    assert "2 positive" in alert.text and district.village_a.name in alert.text
    assert alert.link == reverse("reporting:detail", args=[report.uuid])
    file(cadre_a, district.village_a, bj(9, 30), nat_samples=10, nat_negative=8, nat_positive=2)
    assert Notification.objects.filter(user=command_user).count() == 1  # a correction repeats nothing
    assert not Notification.objects.filter(user=cadre_a).exists()


@time_machine.travel(bj(9, 0), tick=False)
def test_only_computed_figures_carry_the_badge(district, cadre_a, client_for, verified_source):
    verified_source[district.township_a.code] = 3
    file(cadre_a, district.village_a, bj(8, 0), nat_samples=40, nat_negative=40)  # a village below
    page = client_for(cadre_a).get(reverse("reporting:file"))
    assert page.context["form"].initial["nat_samples"] == 40  # prefilled from the village
    assert page.context["prefilled"] == {"pushlist_verified"}


def test_the_first_submission_is_version_1(district, cadre_a, client_for):
    report = file(cadre_a, district.township_a, bj(9, 0))
    body = client_for(cadre_a).get(reverse("reporting:detail", args=[report.uuid])).content.decode()
    assert "第1版" in body and "第0版" not in body
    assert DailyReport.objects.get(day=DAY).version == 1
