"""Contract C2: a fever patient registration announces itself once, inside its transaction."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction

from fangkong.clinics.models import SurveillanceRecord
from fangkong.clinics.signals import fever_patient_registered
from fangkong.clinics.tests.helpers import buy, create_pharmacy
from fangkong.people.tests.helpers import new_id


@pytest.fixture
def received() -> Iterator[list[dict[str, Any]]]:
    calls: list[dict[str, Any]] = []

    def receiver(sender: Any, **kwargs: Any) -> None:
        calls.append({"sender": sender, "in_atomic": transaction.get_connection().in_atomic_block, **kwargs})

    fever_patient_registered.connect(receiver, dispatch_uid="test-fever-patient")
    yield calls
    fever_patient_registered.disconnect(dispatch_uid="test-fever-patient")


def test_a_fever_patient_is_announced_once(district, cadre_a, received):
    facility, staff = create_pharmacy(cadre_a, district.village_a, "cunyi")
    number = new_id()
    entry = buy(staff, facility, number, kind="fever_patient", temperature="38.2", medicine="")
    assert len(received) == 1
    call = received[0]
    assert call["sender"] is SurveillanceRecord
    assert call["record"] == entry and call["actor"] == staff and call["in_atomic"]
    assert call["record"].person.document_number == number
    assert call["record"].facility == facility
    assert call["now"] == entry.registered_at


def test_a_medicine_purchase_is_not_a_fever_patient(district, cadre_a, received):
    facility, staff = create_pharmacy(cadre_a, district.village_a, "yaodian")
    buy(staff, facility, new_id())
    assert received == []
