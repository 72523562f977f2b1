"""零报告: an explicit choice that fills every figure with 0 and still has to be filed on time."""

from __future__ import annotations

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from fangkong.reporting.actions import do_file_report
from fangkong.reporting.models import DailyReport, ReportStatus

from .conftest import DAY, bj, figures, file


@time_machine.travel(bj(11, 0), tick=False)
def test_a_zero_report_fills_every_figure_with_zero(district, cadre_b, client_for):
    response = client_for(cadre_b).post(reverse("reporting:file"), {"zero": "1", "day": DAY.isoformat()})
    report = DailyReport.objects.get(region=district.township_b, day=DAY)
    assert response.status_code == 302
    assert report.is_zero
    assert report.status == ReportStatus.ZERO
    assert set(report.values.values_list("value", flat=True)) == {0}
    assert report.values.count() == len(figures())


def test_a_zero_report_ignores_figures_typed_before_choosing_it(district, cadre_b):
    report = file(cadre_b, district.township_b, bj(11, 0), is_zero=True)
    assert sum(report.values.values_list("value", flat=True)) == 0


def test_all_zero_figures_must_be_filed_as_a_zero_report(district, cadre_b):
    zeros = {code: 0 for code in figures()}
    with pytest.raises(ValidationError) as exc:
        do_file_report(cadre_b, district.township_b, DAY, zeros, now=bj(11, 0))
    assert "is_zero" in exc.value.message_dict


def test_a_late_zero_report_counts_as_late(district, cadre_b):
    report = file(cadre_b, district.township_b, bj(12, 0, 1), is_zero=True)
    assert report.status == ReportStatus.LATE
    assert report.is_zero
