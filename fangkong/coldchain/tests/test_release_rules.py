"""凡进必检: a lot is released only with a negative test and a disinfection record, enforced in the action."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from fangkong.coldchain.actions import (
    do_add_worker,
    do_create_enterprise,
    do_record_disinfection,
    do_record_lot_test,
    do_register_lot,
    do_register_mail_batch,
    do_release_lot,
)
from fangkong.coldchain.models import ImportedLot, LotStatus
from fangkong.coldchain.public import worker_person_ids
from fangkong.people.tests.helpers import new_id


@pytest.fixture
def lot(district, cadre_a):
    store = do_create_enterprise(
        cadre_a, name="王助冷库", kind="cold_store", region=district.village_a, now=timezone.now()
    )
    return do_register_lot(
        cadre_a,
        store,
        product="冻带鱼",
        origin_country="印度",
        quantity="5吨",
        arrived_on=timezone.localdate(),
        trace_code="HN2021080300001",
        now=timezone.now(),
    )


def test_release_without_test_or_disinfection_is_refused(cadre_a, lot):
    with pytest.raises(ValidationError) as exc:
        do_release_lot(cadre_a, lot, now=timezone.now())
    assert len(exc.value.messages) == 2
    lot.refresh_from_db()
    assert lot.status == LotStatus.ARRIVED


def test_a_negative_test_alone_is_not_enough(cadre_a, lot):
    do_record_lot_test(cadre_a, lot, result="negative", reference="HS-123", now=timezone.now())
    with pytest.raises(ValidationError):
        do_release_lot(cadre_a, lot, now=timezone.now())


def test_negative_and_disinfected_is_released(cadre_a, lot):
    do_record_lot_test(cadre_a, lot, result="negative", reference="HS-123", now=timezone.now())
    do_record_disinfection(cadre_a, lot, certificate="XD-9", now=timezone.now())
    do_release_lot(cadre_a, lot, now=timezone.now())
    assert ImportedLot.objects.get().status == LotStatus.RELEASED


def test_a_positive_lot_is_held_and_never_released(cadre_a, lot):
    do_record_lot_test(cadre_a, lot, result="positive", reference="HS-124", now=timezone.now())
    do_record_disinfection(cadre_a, lot, certificate="XD-9", now=timezone.now())
    lot.refresh_from_db()
    assert lot.status == LotStatus.HELD
    with pytest.raises(ValidationError):
        do_release_lot(cadre_a, lot, now=timezone.now())


def test_the_release_page_goes_through_the_same_rule(cadre_a, lot, client_for):
    client_for(cadre_a).post(f"/coldchain/lots/{lot.uuid}/release")
    lot.refresh_from_db()
    assert lot.status == LotStatus.ARRIVED


def test_an_outsider_cannot_see_or_release(cadre_b, lot, client_for):
    client = client_for(cadre_b)
    assert client.get(f"/coldchain/lots/{lot.uuid}/").status_code == 404
    assert client.post(f"/coldchain/lots/{lot.uuid}/release").status_code == 404


def test_workers_are_the_key_group(district, cadre_a, lot):
    person = do_add_worker(
        cadre_a,
        lot.enterprise,
        name="搬运工",
        document_number=new_id(),
        phone="",
        home=district.village_a,
        now=timezone.now(),
    )
    assert worker_person_ids() == {person.pk}


def test_mail_is_registered_with_its_disinfection_at_a_delivery_point(district, cadre_a, lot):
    with pytest.raises(ValidationError) as exc:
        do_register_mail_batch(
            cadre_a,
            lot.enterprise,
            received_on=timezone.localdate(),
            origin_country="日本",
            pieces=3,
            disinfection_certificate="",
            now=timezone.now(),
        )
    assert {"enterprise", "disinfection_certificate"} <= set(exc.value.message_dict)
