"""A duty phone is a work number meant to be called: shown in full to colleagues on the roster, the shift page,
the API and the audit log; landlines with area codes and extensions are valid."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client

from conftest import District
from fangkong.accounts.models import User
from fangkong.audit.models import AuditAction, AuditEvent
from fangkong.lib import phones

from .conftest import bj, make_shift


@pytest.mark.parametrize(
    ("typed", "stored", "shown"),
    [
        ("0393-8881234", "+863938881234", "0393 888 1234"),
        ("0393-8881234-123", "+863938881234;ext=123", "0393 888 1234 转 123"),
        ("0393-8881234 转 123", "+863938881234;ext=123", "0393 888 1234 转 123"),
        ("010-12345678", "+861012345678", "010 1234 5678"),
        ("13912345678", "+8613912345678", "139 1234 5678"),
    ],
)
def test_landlines_with_area_codes_and_extensions_are_valid(typed, stored, shown):
    assert phones.normalise_work(typed) == stored
    assert phones.display(stored) == shown


def test_a_bad_number_is_refused_in_the_users_language():
    with pytest.raises(phones.PhoneError) as caught:
        phones.normalise_work("0393-12")
    assert caught.value.message == "电话号码无效。"


@time_machine.travel(bj(2024, 3, 5, 9), tick=False)
def test_colleagues_see_the_duty_phone_in_full(
    district: District,
    cadre_a: User,
    cadre_a2: User,
    grid_worker_a: User,
    client_for: Callable[[User], Client],
) -> None:
    shift = make_shift(
        cadre_a,
        district.township_a,
        bj(2024, 3, 5, 8),
        bj(2024, 3, 5, 20),
        grid_worker_a,
        phone="0393-8881234-123",
    )
    assert shift.phone == "+863938881234;ext=123"
    worker = client_for(cadre_a2)  # a colleague of the same township
    roster = worker.get("/duty/", {"unit": district.township_a.code}).content.decode()
    assert "0393 888 1234 转 123" in roster
    detail = worker.get(f"/duty/shifts/{shift.uuid}/").content.decode()
    assert "0393 888 1234 转 123" in detail and 'href="tel:+863938881234,123"' in detail
    event = AuditEvent.objects.get(action=AuditAction.CREATE, object_uuid=shift.uuid)
    assert event.changes["phone"] == [None, "0393 888 1234 转 123"]


def test_a_duty_phone_that_is_not_a_number_is_refused(
    district: District, cadre_a: User, grid_worker_a: User
) -> None:
    with pytest.raises(ValidationError) as caught:
        make_shift(
            cadre_a, district.township_a, bj(2024, 3, 5, 8), bj(2024, 3, 5, 20), grid_worker_a, phone="12-34"
        )
    assert "phone" in caught.value.message_dict
