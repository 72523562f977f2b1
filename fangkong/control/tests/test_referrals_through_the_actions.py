"""After the merge, through the real registering actions (not signals sent by hand): a febrile traveller referred
at a checkpoint and a fever patient seen at a village clinic are put under control with a closed-loop transfer to a
fever clinic; a traveller who passes, and a patient at a fever clinic itself, are not."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from fangkong.checkpoints.tests.helpers import create_checkpoint, register, staff_user, traveller
from fangkong.clinics.actions import RecordInput, do_create_facility, do_register_record
from fangkong.control.models import ControlOrder, PlaceType, Reason, Transfer
from fangkong.screening.tests.helpers import valid_id


@pytest.fixture
def kakou(district):
    return staff_user("kakou-ref", district.township_a)


def test_a_referral_at_a_checkpoint_starts_an_order_and_a_transfer(district, cadre_a, kakou):
    checkpoint = create_checkpoint(cadre_a, district.township_a, staff=[kakou])
    fever = {
        "temperature": "38.2",
        "temperature_again": "38.0",
        "disposition": "refer",
        "clinic": "县医院发热门诊",
    }
    register(
        kakou,
        checkpoint,
        traveller(name="过路司机", is_driver=True, document_number=valid_id(31)),
        traveller(name="发热旅客", document_number=valid_id(32), **fever),
    )
    orders = list(ControlOrder.objects.select_related("person"))
    assert [o.person_name for o in orders] == ["发热旅客"]
    assert orders[0].reason == Reason.REFERRAL
    transfer = Transfer.objects.get(order=orders[0])
    assert transfer.to_place == PlaceType.FEVER_CLINIC


def test_a_fever_patient_at_a_village_clinic_is_referred_but_not_at_a_fever_clinic(district, cadre_a):
    now = timezone.now()
    village = do_create_facility(
        cadre_a, name="王助村卫生室", kind="village_clinic", region=district.village_a, now=now
    )
    fever_clinic = do_create_facility(
        cadre_a, name="王助镇卫生院发热门诊", kind="fever_clinic", region=district.village_a, now=now
    )
    patient = RecordInput(
        kind="fever_patient",
        name="发热村民",
        document_number=valid_id(33),
        home=district.grid_a,
        temperature=Decimal("38.4"),
    )
    do_register_record(cadre_a, village, patient, now=now)
    order = ControlOrder.objects.get()
    assert order.reason == Reason.REFERRAL
    assert Transfer.objects.get(order=order).to_place == PlaceType.FEVER_CLINIC
    do_register_record(
        cadre_a,
        fever_clinic,
        RecordInput(
            kind="fever_patient",
            name="门诊病人",
            document_number=valid_id(34),
            home=district.grid_a,
            temperature=Decimal("38.0"),
        ),
        now=now + datetime.timedelta(minutes=5),
    )
    assert ControlOrder.objects.count() == 1
