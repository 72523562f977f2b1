"""The rectification item's states: open → reported (unit, note + photo) → closed (inspector) or back to open."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from fangkong.audit.models import AuditEvent
from fangkong.supervision.actions import do_accept_fix, do_report_fix, do_return_fix
from fangkong.supervision.models import EvidenceStage, RectificationStatus
from fangkong.supervision.tests.helpers import bj, make_inspector, open_item, photo

NOW = bj(2021, 8, 10)


@pytest.fixture
def inspector(district):
    return make_inspector(district.county)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_a_reported_fix_accepted_closes_the_item(district, inspector, cadre_a):
    item = open_item(inspector, district.village_a, now=NOW)
    assert item.status == RectificationStatus.OPEN
    item = do_report_fix(cadre_a, item, note="已安排专人查验", photos=[photo()], now=NOW)
    assert item.status == RectificationStatus.REPORTED
    assert item.reported_by == cadre_a
    assert list(item.evidence.values_list("stage", flat=True)) == [EvidenceStage.FIX]
    item = do_accept_fix(inspector, item, note="现场核实", now=NOW + datetime.timedelta(hours=1))
    assert item.status == RectificationStatus.CLOSED
    assert item.closed_by == inspector
    assert AuditEvent.objects.filter(object_uuid=item.uuid).count() == 3


def test_a_returned_fix_goes_back_to_the_unit_and_can_be_reported_again(district, inspector, cadre_a):
    item = open_item(inspector, district.village_a, now=NOW)
    item = do_report_fix(cadre_a, item, note="已整改", photos=[photo()], now=NOW)
    item = do_return_fix(inspector, item, note="照片看不出整改效果", now=NOW)
    assert item.status == RectificationStatus.OPEN
    assert item.returned_count == 1
    assert item.review_note == "照片看不出整改效果"
    item = do_report_fix(cadre_a, item, note="补充现场照片", photos=[photo()], now=NOW)
    assert item.status == RectificationStatus.REPORTED


def test_returning_needs_a_reason(district, inspector, cadre_a):
    item = do_report_fix(
        cadre_a, open_item(inspector, district.village_a, now=NOW), note="x", photos=[photo()], now=NOW
    )
    with pytest.raises(ValidationError) as exc:
        do_return_fix(inspector, item, note="  ", now=NOW)
    assert "note" in exc.value.message_dict


def test_a_fix_needs_a_note_and_a_photo(district, inspector, cadre_a):
    item = open_item(inspector, district.village_a, now=NOW)
    with pytest.raises(ValidationError) as exc:
        do_report_fix(cadre_a, item, note="已整改", photos=[], now=NOW)
    assert "photos" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        do_report_fix(cadre_a, item, note="", photos=[photo()], now=NOW)
    assert "note" in exc.value.message_dict
    item.refresh_from_db()
    assert item.status == RectificationStatus.OPEN
    assert not item.evidence.exists()


def test_an_open_item_cannot_be_accepted_nor_a_closed_one_reported(district, inspector, cadre_a):
    item = open_item(inspector, district.village_a, now=NOW)
    with pytest.raises(ValidationError):
        do_accept_fix(inspector, item, now=NOW)
    item = do_report_fix(cadre_a, item, note="已整改", photos=[photo()], now=NOW)
    with pytest.raises(ValidationError):
        do_report_fix(cadre_a, item, note="again", photos=[photo()], now=NOW)
    item = do_accept_fix(inspector, item, now=NOW)
    with pytest.raises(ValidationError):
        do_return_fix(inspector, item, note="晚了", now=NOW)


def test_only_the_units_jurisdiction_reports_and_only_an_inspector_accepts(
    district, inspector, cadre_a, cadre_b
):
    item = open_item(inspector, district.village_a, now=NOW)
    with pytest.raises(ValidationError):
        do_report_fix(cadre_b, item, note="已整改", photos=[photo()], now=NOW)
    item = do_report_fix(cadre_a, item, note="已整改", photos=[photo()], now=NOW)
    with pytest.raises(ValidationError):
        do_accept_fix(cadre_a, item, now=NOW)


def test_a_township_cadre_cannot_open_items(district, cadre_a):
    with pytest.raises(ValidationError):
        open_item(cadre_a, district.village_a, now=NOW)


def test_an_immediate_fix_is_due_the_day_it_is_found(district, inspector):
    item = open_item(inspector, district.village_a, kind="immediate", now=bj(2021, 8, 10, 23, 30))
    assert item.due_on == datetime.date(2021, 8, 10)


def test_a_deadline_needs_a_due_date_not_in_the_past(district, inspector):
    from fangkong.supervision.actions import do_open_item

    base = {"region": district.village_a, "description": "x", "place_kind": "village", "place_name": "王助村"}
    with pytest.raises(ValidationError) as exc:
        do_open_item(inspector, kind="deadline", due_on=None, now=NOW, **base)
    assert "due_on" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        do_open_item(inspector, kind="deadline", due_on=datetime.date(2021, 8, 9), now=NOW, **base)
    assert "due_on" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        do_open_item(inspector, kind="sometime", due_on=None, now=NOW, **base)
    assert "kind" in exc.value.message_dict
