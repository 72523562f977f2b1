"""Corrections after submission become revisions; nothing is silently overwritten."""

from __future__ import annotations

import pytest
from django.urls import reverse

from fangkong.reporting.actions import do_file_report
from fangkong.reporting.models import ReportRevision, ReportStatus

from .conftest import DAY, bj, figures, file


def test_a_correction_keeps_the_previous_figures(district, cadre_a):
    first = file(cadre_a, district.township_a, bj(9, 0), home_isolation=3)
    corrected = do_file_report(
        cadre_a, district.township_a, DAY, figures(home_isolation=5), now=bj(10, 0), reason="typo"
    )
    assert corrected.pk == first.pk
    assert corrected.revision == 1
    assert corrected.values.get(indicator__code="home_isolation").value == 5
    revision = ReportRevision.objects.get(report=first)
    assert revision.values["home_isolation"] == 3
    assert revision.reason == "typo"


def test_a_correction_after_noon_does_not_make_an_on_time_report_late(district, cadre_a):
    file(cadre_a, district.township_a, bj(9, 0))
    corrected = do_file_report(cadre_a, district.township_a, DAY, figures(nat_samples=9), now=bj(15, 0))
    assert corrected.status == ReportStatus.ON_TIME


def test_a_correction_is_possible_after_the_day_is_over(district, cadre_a):
    import datetime

    from .conftest import BJ

    file(cadre_a, district.township_a, bj(9, 0))
    later = do_file_report(
        cadre_a,
        district.township_a,
        DAY,
        figures(nat_samples=2),
        now=datetime.datetime(2021, 8, 4, 9, 0, tzinfo=BJ),
    )
    assert later.revision == 1


def test_revisions_cannot_be_deleted(district, cadre_a):
    file(cadre_a, district.township_a, bj(9, 0))
    do_file_report(cadre_a, district.township_a, DAY, figures(nat_samples=9), now=bj(10, 0))
    with pytest.raises(PermissionError):
        ReportRevision.objects.get().delete()
    with pytest.raises(PermissionError):
        ReportRevision.objects.all().delete()


def test_the_detail_page_lists_earlier_versions(district, cadre_a, client_for):
    report = file(cadre_a, district.township_a, bj(9, 0))
    do_file_report(cadre_a, district.township_a, DAY, figures(nat_samples=9), now=bj(10, 0), reason="recount")
    response = client_for(cadre_a).get(reverse("reporting:detail", args=[report.uuid]))
    assert response.status_code == 200
    assert "recount" in response.content.decode()
