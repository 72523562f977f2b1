"""Check-in by the person on duty: on time, late after the grace period, only during the shift."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client

from conftest import District
from fangkong.accounts.models import User
from fangkong.audit.models import AuditEvent
from fangkong.duty.actions import do_check_in
from fangkong.duty.models import DutyShift

from .conftest import bj, make_shift

SH = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def shift(district: District, cadre_a: User, grid_worker_a: User) -> DutyShift:
    return make_shift(cadre_a, district.township_a, bj(2024, 3, 5, 8), bj(2024, 3, 5, 20), grid_worker_a)


def test_a_check_in_within_the_grace_period_is_on_time(shift: DutyShift, grid_worker_a: User) -> None:
    checked = do_check_in(grid_worker_a, shift, now=bj(2024, 3, 5, 8, 30), note="到岗")
    assert checked.checked_in_at == bj(2024, 3, 5, 8, 30)
    assert checked.checkin_late is False
    assert checked.checkin_note == "到岗"
    assert AuditEvent.objects.filter(object_uuid=shift.uuid, note="check-in").exists()


def test_a_check_in_after_the_grace_period_is_late(shift: DutyShift, grid_worker_a: User) -> None:
    assert do_check_in(grid_worker_a, shift, now=bj(2024, 3, 5, 8, 31)).checkin_late is True


def test_the_grace_period_follows_the_setting(
    shift: DutyShift, grid_worker_a: User, settings: object
) -> None:
    settings.DUTY_LATE_CHECKIN_MINUTES = 10  # type: ignore[attr-defined]
    assert do_check_in(grid_worker_a, shift, now=bj(2024, 3, 5, 8, 15)).checkin_late is True


def test_only_the_person_on_duty_checks_in(shift: DutyShift, cadre_a: User) -> None:
    with pytest.raises(ValidationError):
        do_check_in(cadre_a, shift, now=bj(2024, 3, 5, 9))


@pytest.mark.parametrize("now", [bj(2024, 3, 5, 7, 29), bj(2024, 3, 5, 20)])
def test_a_check_in_outside_the_shift_is_refused(
    shift: DutyShift, grid_worker_a: User, now: datetime.datetime
) -> None:
    with pytest.raises(ValidationError):
        do_check_in(grid_worker_a, shift, now=now)


def test_checking_in_twice_is_refused(shift: DutyShift, grid_worker_a: User) -> None:
    do_check_in(grid_worker_a, shift, now=bj(2024, 3, 5, 8))
    with pytest.raises(ValidationError):
        do_check_in(grid_worker_a, shift, now=bj(2024, 3, 5, 9))


@time_machine.travel(datetime.datetime(2024, 3, 5, 9, 0, tzinfo=SH), tick=False)
def test_the_page_checks_in_from_a_phone(
    shift: DutyShift, grid_worker_a: User, client_for: Callable[[User], Client]
) -> None:
    client = client_for(grid_worker_a)
    page = client.get(f"/duty/shifts/{shift.uuid}/")
    assert page.status_code == 200
    assert 'data-testid="check-in"' in page.content.decode()
    response = client.post(f"/duty/shifts/{shift.uuid}/check-in", {"note": "到岗"})
    assert response.status_code == 302
    shift.refresh_from_db()
    assert shift.checked_in_at == datetime.datetime(2024, 3, 5, 9, 0, tzinfo=SH)
    assert shift.checkin_late is True


@time_machine.travel(datetime.datetime(2024, 3, 5, 9, 0, tzinfo=SH), tick=False)
def test_a_refused_page_check_in_changes_nothing(
    shift: DutyShift, cadre_a: User, client_for: Callable[[User], Client]
) -> None:
    response = client_for(cadre_a).post(f"/duty/shifts/{shift.uuid}/check-in")
    assert response.status_code == 302
    shift.refresh_from_db()
    assert shift.checked_in_at is None


def test_the_check_in_page_needs_post(
    shift: DutyShift, grid_worker_a: User, client_for: Callable[[User], Client]
) -> None:
    assert client_for(grid_worker_a).get(f"/duty/shifts/{shift.uuid}/check-in").status_code == 405


def test_an_outsider_gets_404(shift: DutyShift, cadre_b: User, client_for: Callable[[User], Client]) -> None:
    client = client_for(cadre_b)
    assert client.get(f"/duty/shifts/{shift.uuid}/").status_code == 404
    assert client.post(f"/duty/shifts/{shift.uuid}/check-in").status_code == 404
    assert (
        client.post(
            f"/api/v1/duty/shifts/{shift.uuid}/check-in", {}, content_type="application/json"
        ).status_code
        == 404
    )


@time_machine.travel(datetime.datetime(2024, 3, 5, 8, 10, tzinfo=SH), tick=False)
def test_the_api_checks_in(
    shift: DutyShift, grid_worker_a: User, client_for: Callable[[User], Client]
) -> None:
    response = client_for(grid_worker_a).post(
        f"/api/v1/duty/shifts/{shift.uuid}/check-in", {"note": "ok"}, content_type="application/json"
    )
    assert response.status_code == 200
    assert response.json()["checkin_late"] is False
    assert response.json()["checked_in_at"] is not None


@time_machine.travel(datetime.datetime(2024, 3, 5, 21, 0, tzinfo=SH), tick=False)
def test_the_api_refuses_a_check_in_after_the_shift(
    shift: DutyShift, grid_worker_a: User, client_for: Callable[[User], Client]
) -> None:
    response = client_for(grid_worker_a).post(
        f"/api/v1/duty/shifts/{shift.uuid}/check-in", {}, content_type="application/json"
    )
    assert response.status_code == 400
    assert "__all__" in response.json()["detail"]
