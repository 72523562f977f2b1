"""Contract C1: a crossing that refers febrile travellers announces the referrals once, inside its transaction."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction

from fangkong.checkpoints.models import Crossing, CrossingDay, Referral
from fangkong.checkpoints.signals import referrals_made
from fangkong.checkpoints.tests.helpers import register, traveller


@pytest.fixture
def received() -> Iterator[list[dict[str, Any]]]:
    calls: list[dict[str, Any]] = []

    def receiver(sender: Any, **kwargs: Any) -> None:
        calls.append({"sender": sender, "in_atomic": transaction.get_connection().in_atomic_block, **kwargs})

    referrals_made.connect(receiver, dispatch_uid="test-referrals-made")
    yield calls
    referrals_made.disconnect(dispatch_uid="test-referrals-made")


def test_a_crossing_with_two_fevers_sends_once_with_both_referrals(kakou, checkpoint, received):
    fever = {"temperature": "38.0", "temperature_again": "37.9", "disposition": "refer", "clinic": "县医院"}
    crossing = register(
        kakou,
        checkpoint,
        traveller(name="司机", is_driver=True),
        traveller(name="甲", **fever),
        traveller(name="乙", **fever),
    )
    assert len(received) == 1
    call = received[0]
    assert call["sender"] is Referral
    assert call["actor"] == kakou
    assert call["in_atomic"]
    referrals = call["referrals"]
    assert [r.traveller.name for r in referrals] == ["甲", "乙"]
    assert all(r.pk is not None and r.checkpoint == checkpoint for r in referrals)
    assert {r.pk for r in referrals} == set(Referral.objects.values_list("pk", flat=True))
    assert all(r.traveller.crossing_id == crossing.pk for r in referrals)
    assert call["now"] == crossing.registered_at


def test_no_referral_sends_nothing(kakou, checkpoint, received):
    register(kakou, checkpoint, traveller())
    assert received == []


def test_a_failing_receiver_rolls_the_crossing_back(kakou, checkpoint):
    def broken(sender: Any, **kwargs: Any) -> None:
        raise RuntimeError("control is down")

    referrals_made.connect(broken, dispatch_uid="test-broken")
    try:
        with pytest.raises(RuntimeError):
            register(
                kakou,
                checkpoint,
                traveller(temperature="38.0", temperature_again="38.1", disposition="refer"),
            )
    finally:
        referrals_made.disconnect(dispatch_uid="test-broken")
    assert not Crossing.objects.exists()
    assert not Referral.objects.exists()
    assert not CrossingDay.objects.filter(people__gt=0).exists()
