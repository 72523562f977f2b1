"""Filings racing the sweeps, and the 12:00:00 boundary.

The sweep judges from what is committed when it runs; a filing counts from when its request was received.
A filing received at 11:59:59 whose transaction commits after the 12:00 sweep settles the record the sweep
opened and the notice is corrected; the same at midnight. Lateness is judged at 12:00 whenever the sweep runs.
"""

from __future__ import annotations

import datetime
import threading

import pytest
from django.db import connection, transaction

from fangkong.lib import reporting_day
from fangkong.reporting.actions import do_deadline_sweep
from fangkong.reporting.models import (
    AccountabilityReason,
    AccountabilityRecord,
    AccountabilityState,
    DailyReport,
    Notification,
    ReportStatus,
    status_at,
)

from .conftest import BJ, DAY, bj, file

MIDNIGHT = datetime.datetime(2021, 8, 4, 0, 0, 1, tzinfo=BJ)


def test_at_12_00_00_a_silent_unit_is_still_pending_and_a_filing_is_on_time(district, cadre_a):
    assert status_at(DAY, bj(12, 0, 0)) == ReportStatus.PENDING
    assert status_at(DAY, bj(12, 0, 0) + datetime.timedelta(microseconds=1)) == ReportStatus.OVERDUE
    assert not reporting_day.is_past_deadline(DAY, bj(12, 0, 0))
    assert file(cadre_a, district.township_a, bj(12, 0, 0)).status == ReportStatus.ON_TIME


def test_the_sweep_at_12_00_00_marks_nothing_and_at_12_00_01_marks_late(district):
    assert do_deadline_sweep(bj(12, 0, 0)).late == {}
    assert not AccountabilityRecord.objects.exists()
    assert do_deadline_sweep(bj(12, 0, 1)).late == {DAY.isoformat(): 4}


def test_a_filing_received_at_11_59_59_that_commits_after_the_sweep_withdraws_its_record(
    district, cadre_a, command_user, english
):
    do_deadline_sweep(bj(12, 0, 1))
    assert AccountabilityRecord.objects.get(region=district.township_a).state == AccountabilityState.OPEN

    report = file(cadre_a, district.township_a, bj(11, 59, 59))

    assert report.status == ReportStatus.ON_TIME and not report.is_late
    record = AccountabilityRecord.objects.get(region=district.township_a)
    assert record.state == AccountabilityState.WITHDRAWN
    correction = Notification.objects.get(user=command_user, text__startswith="Correction")
    assert district.township_a.name in correction.text and "on time" in correction.text
    assert Notification.objects.filter(user=cadre_a, text__startswith="Correction").count() == 1


def test_a_filing_received_at_23_59_59_that_commits_after_the_day_end_sweep_is_late_not_missing(
    district, cadre_a, command_user, english
):
    do_deadline_sweep(bj(12, 0, 1))
    do_deadline_sweep(MIDNIGHT)
    assert AccountabilityRecord.objects.get(region=district.township_a).reason == AccountabilityReason.MISSING

    report = file(cadre_a, district.township_a, bj(23, 59, 59))

    assert report.status == ReportStatus.LATE
    record = AccountabilityRecord.objects.get(region=district.township_a)
    assert record.reason == AccountabilityReason.LATE and record.state == AccountabilityState.OPEN
    assert Notification.objects.filter(user=command_user, text__contains="late, not missing").count() == 1


def test_a_decided_record_is_not_rewritten_by_a_late_commit(district, cadre_a, command_user):
    from fangkong.reporting.actions import do_decide

    do_deadline_sweep(bj(12, 0, 1))
    record = AccountabilityRecord.objects.get(region=district.township_a)
    do_decide(command_user, record, "warning", "", now=bj(12, 5))
    file(cadre_a, district.township_a, bj(11, 59, 59))
    record.refresh_from_db()
    assert record.state == AccountabilityState.DECIDED


def test_a_sweep_that_runs_late_judges_lateness_at_12(district, cadre_a, command_user, english):
    file(cadre_a, district.township_a, bj(13, 0))  # late, but before the first sweep of the day
    do_deadline_sweep(bj(14, 0))
    notice = Notification.objects.get(user=command_user, link__startswith="/reports/completeness/")
    assert notice.text.startswith("2 units below you")
    assert district.township_a.name in notice.text and district.township_b.name in notice.text
    assert AccountabilityRecord.objects.filter(reason=AccountabilityReason.LATE).count() == 4


@pytest.fixture
def seeds(transactional_db: None) -> None:
    from fangkong.tests.conftest import ensure_migration_seeds

    ensure_migration_seeds()


@pytest.mark.django_db(transaction=True)
def test_a_sweep_that_starts_while_a_filing_is_in_flight_waits_and_sees_it(seeds, district, cadre_a):
    """Separate transactions: the filing holds its row; the sweep waits for it and then sees it filed."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises the two writers on its database lock")
    holding, release = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def filing() -> None:
        try:
            with transaction.atomic():
                file(cadre_a, district.township_a, bj(11, 59, 59))
                holding.set()
                release.wait(10)
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)
            holding.set()
        finally:
            connection.close()

    def sweep() -> None:
        try:
            do_deadline_sweep(bj(12, 0, 1))
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    filer = threading.Thread(target=filing)
    filer.start()
    assert holding.wait(10)
    sweeper = threading.Thread(target=sweep)
    sweeper.start()
    sweeper.join(1.0)
    assert sweeper.is_alive(), "the sweep should wait for the filing's row"
    release.set()
    filer.join(10)
    sweeper.join(10)
    assert not errors
    assert DailyReport.objects.get(region=district.township_a, day=DAY).status == ReportStatus.ON_TIME
    assert not AccountabilityRecord.objects.filter(region=district.township_a).exists()
    assert AccountabilityRecord.objects.filter(day=DAY).count() == 3


@pytest.mark.django_db(transaction=True)
def test_a_filing_that_commits_after_the_sweep_in_its_own_transaction_settles_it(seeds, district, cadre_a):
    """Separate transactions in the other order: the sweep committed first, the filing (received at 11:59:59)
    commits after it and withdraws the record the sweep opened."""
    do_deadline_sweep(bj(12, 0, 1))
    with transaction.atomic():
        file(cadre_a, district.township_a, bj(11, 59, 59))
    record = AccountabilityRecord.objects.get(region=district.township_a)
    assert record.state == AccountabilityState.WITHDRAWN


def test_a_withdrawn_record_asks_nothing_more(district, cadre_a, command_user, english):
    from django.core.exceptions import ValidationError

    from fangkong.reporting.actions import do_decide, do_explain
    from fangkong.reporting.summary import day_summary

    do_deadline_sweep(bj(12, 0, 1))
    file(cadre_a, district.township_a, bj(11, 59, 59))
    record = AccountabilityRecord.objects.get(region=district.township_a)
    assert day_summary(DAY, now=bj(13, 0)).accountability_open == 3
    with pytest.raises(ValidationError):
        do_explain(cadre_a, record, "已按时报送", now=bj(13, 0))
    with pytest.raises(ValidationError):
        do_decide(command_user, record, "warning", "", now=bj(13, 0))
