"""The daily report form carries the version it was opened at: two people of a unit correcting the same report
cannot silently revert each other; the second save is refused with what the first one filed (issue 8)."""

from __future__ import annotations

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from conftest import make_user
from fangkong.accounts.permissions import Role
from fangkong.reporting.actions import do_file_report
from fangkong.reporting.models import DailyReport

from .conftest import DAY, bj, figures, file, page_figures


def test_a_stale_version_is_refused_with_what_changed(district, cadre_a, english):
    file(cadre_a, district.township_a, bj(9, 0), central_isolation=4)  # version 1
    with pytest.raises(ValidationError) as exc:
        do_file_report(
            cadre_a, district.township_a, DAY, figures(central_isolation=3), now=bj(9, 30), version=0
        )
    message = exc.value.message_dict["version"][0]
    assert message.startswith("Not saved: wangzhu filed version 1 of this report at 09:00:00 while you")
    assert "People in centralized isolation: 4 (yours: 3)" in message
    report = DailyReport.objects.get()
    assert report.revision == 0 and report.values.get(indicator__code="central_isolation").value == 4


def test_the_current_version_saves(district, cadre_a):
    file(cadre_a, district.township_a, bj(9, 0))
    report = do_file_report(
        cadre_a, district.township_a, DAY, figures(central_isolation=3), now=bj(9, 30), version=1
    )
    assert report.version == 2


def test_two_cadres_on_the_page_the_second_is_told_and_can_save_again(district, cadre_a, client_for):
    second = make_user("wangzhu2", Role.TOWNSHIP_CADRE, district.township_a)
    with time_machine.travel(bj(9, 0), tick=False):
        page_a = client_for(cadre_a).get(reverse("reporting:file"))
        page_b = client_for(second).get(reverse("reporting:file"))
    assert page_a.context["form"].initial["version"] == page_b.context["form"].initial["version"] == 0
    with time_machine.travel(bj(9, 5), tick=False):
        assert (
            client_for(cadre_a).post(
                reverse("reporting:file"), {**page_figures(home_isolation=7), "version": 0}
            )
        ).status_code == 302
    with time_machine.travel(bj(9, 6), tick=False):
        stale = client_for(second).post(
            reverse("reporting:file"), {**page_figures(home_isolation=5), "version": 0}
        )
        assert stale.status_code == 400
        error = stale.context["form"].errors["version"][0]
        assert error.startswith("未保存：") and "居家隔离人数：7（您填的是：5）" in error
        assert stale.context["form"]["version"].value() == "1"  # now based on the first cadre's version
        assert stale.context["form"]["home_isolation"].value() == "5"  # their own figures kept
        again = client_for(second).post(
            reverse("reporting:file"),
            {**page_figures(home_isolation=5), "version": 1, "reason": "核对后更正"},
        )
    assert again.status_code == 302
    report = DailyReport.objects.get()
    assert report.version == 2 and report.values.get(indicator__code="home_isolation").value == 5


def test_the_api_refuses_a_stale_version(district, cadre_a, client_for):
    file(cadre_a, district.township_a, bj(9, 0))
    with time_machine.travel(bj(9, 30), tick=False):
        response = client_for(cadre_a).post(
            "/api/v1/reports/reports",
            {
                "unit_code": district.township_a.code,
                "day": DAY.isoformat(),
                "values": figures(),
                "version": 0,
            },
            content_type="application/json",
        )
    assert response.status_code == 400 and "version" in response.json()["detail"]
