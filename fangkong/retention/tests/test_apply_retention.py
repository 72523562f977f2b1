"""The retention run: a dry run changes nothing; a real run blanks or deletes exactly what is past its period, keeps
every record and count, records the run and audits it; a second run finds nothing; a closed outbreak brings its
records forward."""

from __future__ import annotations

import datetime
from io import StringIO
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from conftest import District
from fangkong.accounts.models import User
from fangkong.audit.models import AuditEvent
from fangkong.checkpoints.models import Crossing, CrossingDay, Traveller
from fangkong.control.models import ControlDay, ControlOrder, FollowUp
from fangkong.pushlists.models import PushErrorRow, PushItem
from fangkong.retention.actions import do_apply_retention, do_close_outbreak, do_declare_outbreak, preview
from fangkong.retention.models import RetentionRun
from fangkong.retention.tests.helpers import Records, make_records
from fangkong.screening.models import ReturneeReport
from fangkong.testing import figures as testing_figures
from fangkong.testing.models import RoundTested, TubeMember

BEIJING = ZoneInfo("Asia/Shanghai")
OLD = datetime.datetime(2021, 8, 3, 10, 0, tzinfo=BEIJING)
NOW = OLD + datetime.timedelta(days=200)
RECENT = NOW - datetime.timedelta(days=1)

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(district: District, command_user: User, tmp_path: Path) -> tuple[Records, Records]:
    return (
        make_records(district, command_user, OLD, tmp_path, 1, "张老"),
        make_records(district, command_user, RECENT, tmp_path, 2, "李新"),
    )


def state() -> dict[str, object]:
    """Everything a run may touch, row by row, plus the figures that must not move."""
    return {
        "travellers": sorted(
            Traveller.objects.values_list("id", "name", "document_number", "phone", "trip_cities")
        ),
        "plates": sorted(Crossing.objects.values_list("id", "plate")),
        "reports": sorted(
            ReturneeReport.objects.values_list(
                "id", "reported_name", "reported_phone", "address", "travel_history"
            )
        ),
        "items": sorted(PushItem.objects.values_list("id", "name", "id_number", "phone", "document_number")),
        "error_rows": sorted(PushErrorRow.objects.values_list("id", "values")),
        "follow_ups": sorted(FollowUp.objects.values_list("id", "note", "symptoms", "alert")),
        "days": sorted(CrossingDay.objects.values_list("id", "people", "vehicles", "fevers")),
        "orders": sorted(
            ControlOrder.objects.values_list("id", "person_id", "source_ref", "close_reason", "status")
        ),
        "samples": sorted(TubeMember.objects.values_list("id", "person_id", "result", "sampled_on")),
    }


def figures_that_must_stay(district: District) -> dict[str, object]:
    """The counts other pages and the daily report read from orders and samples."""
    days = sorted({OLD.date(), RECENT.date()})
    return {
        "control_days": sorted(ControlDay.objects.values_list(*[f.attname for f in ControlDay._meta.fields])),
        "round_tested": sorted(RoundTested.objects.values_list("round_id", "region_id", "day", "count")),
        "samples_taken": [testing_figures.samples_taken(district.county, day) for day in days],
        "negatives": [testing_figures.results(district.county, day, "negative") for day in days],
        "orders_by_status": sorted(ControlOrder.objects.values_list("region_id", "status", "reason")),
    }


def test_a_dry_run_changes_nothing(records: tuple[Records, Records]) -> None:
    before, audits = state(), AuditEvent.objects.count()
    out = StringIO()
    call_command("apply_retention", "--dry-run", "--now", NOW.isoformat(), stdout=out)
    assert state() == before
    assert AuditEvent.objects.count() == audits
    assert not RetentionRun.objects.exists()
    assert "checkpoints.crossings: would remove 2" in out.getvalue()
    assert {line.key: line.count for line in preview(NOW)} == {
        "checkpoints.crossings": 2,
        "screening.returnee_reports": 1,
        "pushlists.items": 1,
        "pushlists.error_rows": 1,
        "control.follow_ups": 1,
        "control.orders": 1,
        "testing.samples": 1,
    }


def test_a_run_removes_exactly_what_is_past_its_period(
    records: tuple[Records, Records], district: District
) -> None:
    old, new = records
    models = (Traveller, Crossing, ReturneeReport, PushItem, FollowUp, ControlOrder, TubeMember)
    counts = {m: m.objects.count() for m in models}
    figures = figures_that_must_stay(district)
    days = sorted(CrossingDay.objects.values_list("id", "people", "vehicles", "fevers"))
    new_before = state()

    call_command("apply_retention", "--now", NOW.isoformat(), stdout=StringIO())

    # Every record and every count stays.
    assert {m: m.objects.count() for m in counts} == counts
    assert sorted(CrossingDay.objects.values_list("id", "people", "vehicles", "fevers")) == days
    assert figures_that_must_stay(district) == figures
    # No personal field of an old record is left behind.
    assert set(
        Traveller.objects.filter(crossing=old.crossing).values_list("name", "document_number", "phone")
    ) == {("", "", "")}
    old.crossing.refresh_from_db()
    assert old.crossing.plate == ""
    old.report.refresh_from_db()
    assert (
        old.report.reported_name,
        old.report.reported_phone,
        old.report.address,
        old.report.travel_history,
    ) == (
        "",
        "",
        "",
        "",
    )
    assert old.report.receipt_number and old.report.origin_province == "江苏省"
    assert list(
        PushItem.objects.filter(batch=old.batch).values_list("name", "id_number", "phone", "address")
    ) == [("", "", "", "")]
    assert not PushErrorRow.objects.filter(batch=old.batch).exists()
    old.follow_up.refresh_from_db()
    assert (old.follow_up.note, old.follow_up.symptoms, old.follow_up.alert) == ("", [], True)
    old.closed_order.refresh_from_db()
    assert (old.closed_order.person_id, old.closed_order.source_ref, old.closed_order.close_reason) == (
        None,
        "",
        "",
    )
    assert old.closed_order.status == "cancelled" and old.closed_order.closed_on == OLD.date()
    assert old.follow_up.order.person_id is not None  # an active order is never due
    old.sample.refresh_from_db()
    assert old.sample.person_id is None and old.sample.result == "negative"
    assert old.sample.tube.result == "negative"
    # The recent records are untouched.
    new.closed_order.refresh_from_db()
    assert new.closed_order.person_id is not None and new.closed_order.source_ref == "推送2号"
    new.sample.refresh_from_db()
    assert new.sample.person_id is not None
    new.crossing.refresh_from_db()
    assert new.crossing.plate == "豫J12342"
    assert Traveller.objects.filter(crossing=new.crossing, name="李新").exists()
    new.report.refresh_from_db()
    assert new.report.reported_name == "李新"
    assert PushItem.objects.get(batch=new.batch).name == "李新"
    assert PushErrorRow.objects.filter(batch=new.batch).count() == 1
    new.follow_up.refresh_from_db()
    assert (new.follow_up.note, new.follow_up.symptoms) == ("李新说咳嗽", ["cough"])
    # The run is recorded and audited with what it removed, by nobody (the command line).
    run = RetentionRun.objects.get()
    assert run.actor is None and run.as_of == NOW and run.finished_at is not None
    assert {k: v["count"] for k, v in run.counts.items()} == {
        "checkpoints.crossings": 2,
        "screening.returnee_reports": 1,
        "pushlists.items": 1,
        "pushlists.error_rows": 1,
        "control.follow_ups": 1,
        "control.orders": 1,
        "testing.samples": 1,
    }
    event = AuditEvent.objects.get(object_uuid=run.uuid)
    assert event.changes["pushlists.error_rows"] == [None, 1]
    assert new_before["items"] != state()["items"]  # sanity: the old item was among them


def test_a_second_run_finds_nothing(records: tuple[Records, Records], command_user: User) -> None:
    do_apply_retention(command_user, NOW)
    after = state()
    run, lines = do_apply_retention(command_user, NOW)
    assert state() == after
    assert run.total == 0 and all(line.count == 0 for line in lines)


def test_each_kind_has_its_own_period(records: tuple[Records, Records]) -> None:
    """40 days after OLD: crossings (28 days) and push-list error rows (30) are due, the rest (90, 180) not."""
    lines = {line.key: line.count for line in preview(OLD + datetime.timedelta(days=40))}
    assert lines == {
        "checkpoints.crossings": 2,
        "screening.returnee_reports": 0,
        "pushlists.items": 0,
        "pushlists.error_rows": 1,
        "control.follow_ups": 0,
        "control.orders": 0,
        "testing.samples": 0,
    }


def test_a_closed_outbreak_makes_its_records_due_after_its_grace(
    records: tuple[Records, Records], command_user: User
) -> None:
    outbreak = do_declare_outbreak(command_user, "2021年8月本轮疫情", OLD.date(), OLD)
    end = OLD.date() + datetime.timedelta(days=10)
    do_close_outbreak(command_user, outbreak, end, OLD + datetime.timedelta(days=12))
    # 30 days (AFTER_OUTBREAK_DAYS) after the end: everything dated up to the end is due.
    at = datetime.datetime.combine(end + datetime.timedelta(days=30), datetime.time(9), tzinfo=BEIJING)
    assert {line.key: line.count for line in preview(at)}["screening.returnee_reports"] == 1
    assert {line.key: line.count for line in preview(at - datetime.timedelta(days=1))}[
        "screening.returnee_reports"
    ] == 0


def test_the_command_refuses_a_naive_time() -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="time zone"):
        call_command("apply_retention", "--dry-run", "--now", "2021-08-03T10:00:00", stdout=StringIO())


def test_the_scheduled_job_runs_once_a_beijing_day() -> None:
    from fangkong.retention.actions import do_apply_retention_once_a_day

    first = do_apply_retention_once_a_day(NOW)
    assert first is not None and first.actor is None
    assert do_apply_retention_once_a_day(NOW + datetime.timedelta(hours=1)) is None
    # 00:47 the next Beijing day: due again.
    next_day = datetime.datetime.combine(
        NOW.date() + datetime.timedelta(days=1), datetime.time(0, 47), tzinfo=BEIJING
    )
    assert do_apply_retention_once_a_day(next_day) is not None
    assert RetentionRun.objects.count() == 2
