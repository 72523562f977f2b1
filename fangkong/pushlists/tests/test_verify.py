"""Verification closes an item with exactly one outcome, before or after its deadline."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError

from fangkong.audit.models import AuditAction, AuditEvent
from fangkong.pushlists.actions import do_assign, do_verify
from fangkong.pushlists.models import Outcome, PushItem
from fangkong.pushlists.tests.conftest import NOW, item, sample_rows, write_csv


@pytest.mark.parametrize("outcome", [o for o in Outcome.values if o not in ("new_found", "wrong_info")])
def test_each_simple_outcome_closes_the_item(district, batch, cadre_a, outcome):
    # An outcome that says the person is here registers them at a village or grid (issue 11): the township
    # cadre names it, as the item is still held by the township.
    closed = do_verify(
        cadre_a, item(batch, "张三"), outcome=outcome, person_region=district.village_a, now=NOW
    )

    assert closed.outcome == outcome and closed.verified_by == cadre_a and closed.verified_at == NOW
    assert AuditEvent.objects.filter(action=AuditAction.UPDATE, object_uuid=closed.uuid).exists()


def test_found_and_controlled_needs_the_measure_started(district, batch, cadre_a, measure):
    with pytest.raises(ValidationError) as exc:
        do_verify(
            cadre_a, item(batch, "张三"), outcome=Outcome.NEW_FOUND, person_region=district.village_a, now=NOW
        )
    assert "measure_code" in exc.value.message_dict

    closed = do_verify(
        cadre_a,
        item(batch, "张三"),
        outcome=Outcome.NEW_FOUND,
        measure_code=measure,
        person_region=district.village_a,
        now=NOW,
    )
    assert closed.measure_code == measure


def test_an_unknown_measure_is_refused(district, batch, cadre_a):
    with pytest.raises(ValidationError):
        do_verify(cadre_a, item(batch, "张三"), outcome=Outcome.NEW_FOUND, measure_code="no-such", now=NOW)


def test_wrong_information_needs_a_note(district, batch, cadre_a):
    with pytest.raises(ValidationError):
        do_verify(cadre_a, item(batch, "张三"), outcome=Outcome.WRONG_INFO, now=NOW)
    closed = do_verify(cadre_a, item(batch, "张三"), outcome=Outcome.WRONG_INFO, note="查无此人", now=NOW)
    assert closed.outcome_note == "查无此人"


def test_an_item_has_only_one_outcome(district, batch, cadre_a):
    do_verify(cadre_a, item(batch, "张三"), outcome=Outcome.NOT_LOCAL, now=NOW)
    with pytest.raises(ValidationError):
        do_verify(cadre_a, item(batch, "张三"), outcome=Outcome.PASSED_THROUGH, now=NOW)


def test_the_deadline_is_24_hours_by_default_and_counts_on_both_sides(district, batch, cadre_a):
    pending = item(batch, "张三")
    assert pending.deadline_at == NOW + datetime.timedelta(hours=24)
    assert not pending.is_overdue(NOW + datetime.timedelta(hours=23, minutes=59))
    assert pending.is_overdue(NOW + datetime.timedelta(hours=24, seconds=1))

    on_time = do_verify(cadre_a, pending, outcome=Outcome.NOT_LOCAL, now=pending.deadline_at)
    late = do_verify(
        cadre_a,
        item(batch, "王五"),
        outcome=Outcome.NOT_LOCAL,
        now=pending.deadline_at + datetime.timedelta(seconds=1),
    )
    assert not on_time.was_late and late.was_late


def test_a_batch_can_set_its_own_deadline(district, import_file, tmp_path):
    batch = import_file(write_csv(tmp_path / "list.csv", sample_rows()), deadline_hours=6)
    assert item(batch, "张三").deadline_at == NOW + datetime.timedelta(hours=6)


def test_the_grid_worker_verifies_on_the_mobile_page(district, batch, cadre_a, grid_worker_a, client_for):
    mine = item(batch, "张三")
    do_assign(cadre_a, [mine], grid_worker_a, NOW)
    client = client_for(grid_worker_a)

    page = client.get(f"/push-lists/items/{mine.uuid}/")
    assert page.status_code == 200 and "already_screened" in page.content.decode()
    with time_machine.travel(NOW + datetime.timedelta(hours=1)):
        response = client.post(
            f"/push-lists/items/{mine.uuid}/", {"outcome": "already_screened", "outcome_note": "已排查"}
        )

    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.outcome == Outcome.ALREADY_SCREENED and not mine.was_late


def test_the_verify_page_rejects_bad_input(district, batch, cadre_a, client_for):
    mine = item(batch, "张三")
    response = client_for(cadre_a).post(f"/push-lists/items/{mine.uuid}/", {"outcome": "maybe"})

    assert response.status_code == 400
    assert PushItem.objects.get(pk=mine.pk).outcome == ""


def test_an_outsider_cannot_see_or_verify_the_item(district, batch, cadre_b, client_for):
    theirs = item(batch, "张三")
    client = client_for(cadre_b)

    assert client.get(f"/push-lists/items/{theirs.uuid}/").status_code == 404
    assert client.post(f"/push-lists/items/{theirs.uuid}/", {"outcome": "not_local"}).status_code == 404
    assert PushItem.objects.get(pk=theirs.pk).outcome == ""


def test_the_verify_page_refuses_put(district, batch, cadre_a, client_for):
    assert client_for(cadre_a).put(f"/push-lists/items/{item(batch, '张三').uuid}/").status_code == 405
