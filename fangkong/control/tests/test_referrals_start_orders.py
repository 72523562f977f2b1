"""Contracts C1 and C2: a checkpoint referral and a fever patient seen at a village clinic or pharmacy start an order
with reason REFERRAL and a closed-loop transfer to a fever clinic (the signals are sent here with real saved rows;
the checkpoints and clinics apps send them from their registering actions)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import transaction

from fangkong.checkpoints.models import Checkpoint, CodeColour, Crossing, Referral, Traveller
from fangkong.checkpoints.signals import referrals_made
from fangkong.checkpoints.tests.helpers import create_checkpoint
from fangkong.clinics.models import Facility, SurveillanceRecord
from fangkong.clinics.signals import fever_patient_registered
from fangkong.control.models import ControlOrder, OrderStatus, PlaceType, Reason, StageKind, Transfer
from fangkong.control.tests.helpers import at, kind_on, start
from fangkong.people.models import Person
from fangkong.people.tests.helpers import create_person
from fangkong.screening.tests.helpers import valid_id

D = datetime.date
TODAY = D(2021, 8, 3)


def refer(
    checkpoint: Checkpoint, *travellers: dict[str, str], now: datetime.datetime, send: bool = True
) -> list[Referral]:
    """A crossing with febrile travellers referred to a fever clinic, saved as the checkpoints app saves it."""
    crossing = Crossing.objects.create(
        checkpoint=checkpoint,
        region=checkpoint.region,
        kind="person",
        origin="河南省郑州市",
        registered_at=now,
    )
    referrals = []
    for values in travellers:
        traveller = Traveller.objects.create(
            crossing=crossing,
            name=values.get("name", "李四"),
            document_number=values.get("document_number", ""),
            phone=values.get("phone", "13900000001"),
            health_code=CodeColour.objects.get(code="green"),
            temperature=Decimal("38.1"),
            temperature_again=Decimal("38.0"),
            fever=True,
            disposition="refer",
        )
        referrals.append(
            Referral.objects.create(
                traveller=traveller,
                checkpoint=checkpoint,
                region=checkpoint.region,
                clinic="王助镇卫生院发热门诊",
                referred_at=now,
            )
        )
    if send:
        referrals_made.send(sender=Referral, referrals=referrals, actor=None, now=now)
    return referrals


@pytest.fixture
def checkpoint(district, command_user) -> Checkpoint:
    return create_checkpoint(command_user, district.township_a, now=at(TODAY))


def test_a_referred_traveller_is_registered_and_gets_a_referral_order_and_a_started_transfer(
    district, checkpoint
):
    now = at(TODAY, 9)
    with time_machine.travel(now, tick=False):
        (referral,) = refer(checkpoint, {"name": "李四", "document_number": valid_id(41)}, now=now)
    person = Person.objects.get(document_number=valid_id(41))
    # The checkpoint stands for the township: the traveller is placed in its first village, inside it.
    assert person.region == district.village_a and person.name == "李四"
    order = ControlOrder.objects.get(person=person)
    assert order.reason == Reason.REFERRAL and order.status == OrderStatus.ACTIVE
    assert order.start_day == TODAY and order.source_ref == f"referral:{referral.uuid}"
    assert kind_on(order, TODAY) == StageKind.HEALTH_MONITORING
    transfer = Transfer.objects.get(order=order)
    assert (transfer.from_place, transfer.to_place) == (PlaceType.CHECKPOINT, PlaceType.FEVER_CLINIC)
    assert transfer.to_name == "王助镇卫生院发热门诊"
    assert transfer.left_at == now and transfer.arrived_at is None and not transfer.proposed
    # The loop is flagged when the traveller has not arrived within the set hours.
    assert not transfer.is_overdue(now + datetime.timedelta(hours=4), 4)
    assert transfer.is_overdue(now + datetime.timedelta(hours=4, minutes=1), 4)


def test_a_known_person_is_found_by_document_number_not_registered_twice(district, checkpoint):
    known = create_person(district.grid_a, name="王五", document_number=valid_id(42))
    with time_machine.travel(at(TODAY), tick=False):
        refer(checkpoint, {"name": "王五", "document_number": valid_id(42)}, now=at(TODAY))
    assert Person.objects.filter(document_number=valid_id(42)).count() == 1
    order = ControlOrder.objects.get(person=known)
    assert order.region == district.grid_a  # the person's own unit, not the checkpoint's


def test_a_traveller_with_a_passport_or_no_document_is_registered_too(district, checkpoint):
    with time_machine.travel(at(TODAY), tick=False):
        refer(
            checkpoint,
            {"name": "", "document_number": "E12345678"},
            {"name": "赵六", "document_number": "", "phone": "13900000002"},
            now=at(TODAY),
        )
    passport = Person.objects.get(document_number="E12345678")
    assert passport.document_type == "other" and "5678" in passport.name
    assert Person.objects.filter(name="赵六", phone__endswith="13900000002").exists()
    assert ControlOrder.objects.filter(reason=Reason.REFERRAL).count() == 2
    assert Transfer.objects.filter(from_place=PlaceType.CHECKPOINT).count() == 2


def test_a_stricter_active_order_is_kept_and_gets_the_transfer(district, checkpoint):
    person = create_person(district.grid_a, document_number=valid_id(43))
    order = start(district.grid_a, D(2021, 8, 1), person=person, now=at(D(2021, 8, 1)))
    with time_machine.travel(at(TODAY), tick=False):
        refer(checkpoint, {"document_number": valid_id(43)}, now=at(TODAY))
        refer(checkpoint, {"document_number": valid_id(43)}, now=at(TODAY, 11))
    order.refresh_from_db()
    assert ControlOrder.objects.filter(person=person).count() == 1
    assert order.reason == Reason.CLOSE_CONTACT and kind_on(order, TODAY) == StageKind.CENTRAL_ISOLATION
    # Two referrals while the first transfer is still under way: one open transfer.
    assert Transfer.objects.filter(order=order, to_place=PlaceType.FEVER_CLINIC).count() == 1


def test_a_failing_receiver_rolls_the_crossing_back(district, command_user):
    # A checkpoint of a township without villages: the traveller has nowhere to belong.
    from conftest import make_region
    from fangkong.regions.models import Level

    empty = make_region("410972102", "空镇", Level.TOWNSHIP, district.county)
    checkpoint = create_checkpoint(command_user, empty, now=at(TODAY))
    with (
        time_machine.travel(at(TODAY), tick=False),
        pytest.raises(ValidationError) as exc,
        transaction.atomic(),
    ):
        refer(checkpoint, {"document_number": valid_id(44)}, now=at(TODAY))
    assert "空镇" in str(exc.value)
    assert not Crossing.objects.filter(checkpoint=checkpoint).exists()
    assert not ControlOrder.objects.exists()


def fever_patient(facility: Facility, person: Person, now: datetime.datetime) -> SurveillanceRecord:
    record = SurveillanceRecord.objects.create(
        facility=facility,
        region=facility.region,
        kind="fever_patient",
        person=person,
        temperature=Decimal("38.2"),
        symptoms="咳嗽",
        registered_at=now,
    )
    fever_patient_registered.send(sender=SurveillanceRecord, record=record, actor=None, now=now)
    return record


@pytest.mark.parametrize("kind", ["village_clinic", "pharmacy"])
def test_a_fever_patient_at_a_village_clinic_or_pharmacy_gets_an_order_and_a_proposed_transfer(
    district, kind
):
    facility = Facility.objects.create(name="王助村卫生室", kind=kind, region=district.village_a)
    person = create_person(district.grid_a, name="孙七")
    with time_machine.travel(at(TODAY), tick=False):
        record = fever_patient(facility, person, at(TODAY))
    order = ControlOrder.objects.get(person=person)
    assert order.reason == Reason.REFERRAL and order.source_ref == f"clinic:{record.uuid}"
    transfer = Transfer.objects.get(order=order)
    assert (transfer.from_place, transfer.to_place) == (PlaceType.CLINIC, PlaceType.FEVER_CLINIC)
    assert transfer.proposed and transfer.left_at is None


def test_a_fever_patient_at_a_fever_clinic_starts_nothing_more(district):
    facility = Facility.objects.create(name="发热门诊", kind="fever_clinic", region=district.village_a)
    person = create_person(district.grid_a, name="周八")
    with time_machine.travel(at(TODAY), tick=False):
        fever_patient(facility, person, at(TODAY))
    assert not ControlOrder.objects.exists() and not Transfer.objects.exists()


def test_the_order_page_shows_the_referral_transfer(district, checkpoint, client_for, command_user):
    with time_machine.travel(at(TODAY, 9), tick=False):
        refer(checkpoint, {"name": "李四", "document_number": valid_id(45)}, now=at(TODAY, 9))
        order = ControlOrder.objects.get()
        body = client_for(command_user).get(f"/control/orders/{order.uuid}/").content.decode()
    assert "卡口 → 发热门诊 王助镇卫生院发热门诊" in body
