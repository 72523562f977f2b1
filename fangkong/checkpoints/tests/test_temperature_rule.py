"""≥ 37.3 °C → measure again; still ≥ 37.3 °C → fever (and the fever disposition)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from fangkong.checkpoints.actions import is_fever
from fangkong.checkpoints.tests.helpers import register, traveller


@pytest.mark.parametrize(
    ("first", "again", "expected"),
    [
        ("37.2", None, False),
        ("37.3", None, None),
        ("37.3", "37.2", False),
        ("37.9", "37.3", True),
        ("38.5", "36.8", False),
    ],
)
def test_the_rule(first, again, expected):
    assert is_fever(Decimal(first), Decimal(again) if again else None) is expected


def test_a_first_high_reading_without_a_second_asks_to_measure_again(kakou, checkpoint):
    with pytest.raises(ValidationError) as exc:
        register(kakou, checkpoint, traveller(temperature="37.3"))
    assert "travellers.0.temperature_again" in exc.value.message_dict


def test_a_normal_second_reading_lets_the_traveller_pass(kakou, checkpoint):
    crossing = register(kakou, checkpoint, traveller(temperature="37.5", temperature_again="36.9"))
    assert crossing.travellers.get().fever is False


def test_a_fever_must_be_referred(kakou, checkpoint):
    with pytest.raises(ValidationError) as exc:
        register(
            kakou, checkpoint, traveller(temperature="37.9", temperature_again="37.6", disposition="pass")
        )
    assert "travellers.0.disposition" in exc.value.message_dict


@pytest.mark.parametrize("bad", ["abc", "33.9", "43.1", ""])
def test_an_implausible_temperature_is_refused(kakou, checkpoint, bad):
    with pytest.raises(ValidationError) as exc:
        register(kakou, checkpoint, traveller(temperature=bad))
    assert "travellers.0.temperature" in exc.value.message_dict
