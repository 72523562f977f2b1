"""Filing takes the unit-day row with get_or_create and locks it, so it never breaks one_report_per_unit_day."""

from __future__ import annotations

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from fangkong.reporting.actions import do_deadline_sweep, do_file_report
from fangkong.reporting.models import DailyReport, ReportState, ReportStatus

from .conftest import DAY, bj, figures, file


def test_filing_onto_the_sweeps_placeholder_row_fills_that_row(district, cadre_a):
    do_deadline_sweep(bj(12, 0, 1))
    placeholder = DailyReport.objects.get(region=district.township_a, day=DAY)
    assert placeholder.first_submitted_at is None
    report = file(cadre_a, district.township_a, bj(12, 30))
    assert report.pk == placeholder.pk and report.uuid == placeholder.uuid
    assert DailyReport.objects.filter(region=district.township_a, day=DAY).count() == 1
    assert report.state == ReportState.SUBMITTED
    assert report.status == ReportStatus.LATE


def test_a_refused_first_filing_leaves_no_row_behind(district, cadre_a):
    with pytest.raises(ValidationError):
        do_file_report(cadre_a, district.township_a, DAY, {}, now=bj(9, 0))
    assert not DailyReport.objects.exists()


def test_a_refused_filing_leaves_the_placeholder_as_it_was(district, cadre_a):
    do_deadline_sweep(bj(12, 0, 1))
    with pytest.raises(ValidationError):
        do_file_report(cadre_a, district.township_a, DAY, figures(close_contacts=-1), now=bj(12, 30))
    placeholder = DailyReport.objects.get(region=district.township_a, day=DAY)
    assert placeholder.first_submitted_at is None and placeholder.status == ReportStatus.OVERDUE


def test_two_filings_of_a_unit_day_make_one_report_with_two_revisions(district, cadre_a):
    first = file(cadre_a, district.township_a, bj(9, 0))
    second = file(cadre_a, district.township_a, bj(10, 0), close_contacts=3)
    assert first.pk == second.pk
    assert second.revision == first.revision + 1
    assert DailyReport.objects.count() == 1


@time_machine.travel(bj(9, 0), tick=False)
def test_filing_locks_the_unit_day_row(district, cadre_a):
    if not connection.features.has_select_for_update:
        pytest.skip("SQLite takes the whole database's write lock instead of row locks")
    with CaptureQueriesContext(connection) as queries:
        file(cadre_a, district.township_a, bj(9, 0))
    assert any(
        "reporting_dailyreport" in q["sql"] and "FOR UPDATE" in q["sql"] for q in queries.captured_queries
    )
