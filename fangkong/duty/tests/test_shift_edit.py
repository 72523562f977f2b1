"""Creating, editing and cancelling shifts (DUTY_MANAGE), and the rules a shift must follow."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import translation

from conftest import District
from fangkong.accounts.models import User
from fangkong.audit.models import AuditAction, AuditEvent
from fangkong.duty.actions import do_check_in, do_update_shift
from fangkong.duty.models import DutyShift

from .conftest import approved_leave, bj, make_shift

SH = ZoneInfo("Asia/Shanghai")


def test_the_form_adds_a_shift_in_beijing_time(
    district: District, cadre_a: User, grid_worker_a: User, client_for: Callable[[User], Client]
) -> None:
    client = client_for(cadre_a)
    assert client.get("/duty/shifts/new", {"unit": district.township_a.code}).status_code == 200
    response = client.post(
        "/duty/shifts/new",
        {
            "region": district.township_a.pk,
            "starts_at": "2024-03-05T20:00",
            "ends_at": "2024-03-06T08:00",
            "person_on_duty": grid_worker_a.pk,
            "leader_on_call": cadre_a.pk,
            "phone": "0393-4412345",
        },
    )
    assert response.status_code == 302
    shift = DutyShift.objects.get()
    assert (shift.starts_at, shift.ends_at) == (bj(2024, 3, 5, 20), bj(2024, 3, 6, 8))
    assert shift.phone == "+863934412345"
    assert AuditEvent.objects.filter(object_uuid=shift.uuid, action=AuditAction.CREATE).exists()


def test_the_form_refuses_a_shift_that_ends_before_it_starts(
    district: District, cadre_a: User, grid_worker_a: User, client_for: Callable[[User], Client]
) -> None:
    response = client_for(cadre_a).post(
        "/duty/shifts/new",
        {
            "region": district.township_a.pk,
            "starts_at": "2024-03-05T20:00",
            "ends_at": "2024-03-05T08:00",
            "person_on_duty": grid_worker_a.pk,
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["ends_at"]
    assert not DutyShift.objects.exists()


def test_assigning_someone_on_approved_leave_is_refused(
    district: District, cadre_a: User, grid_worker_a: User
) -> None:
    approved_leave(grid_worker_a, cadre_a, datetime.date(2024, 3, 6), datetime.date(2024, 3, 7))
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        # The night shift reaches into 6 March, a day of leave.
        make_shift(cadre_a, district.township_a, bj(2024, 3, 5, 20), bj(2024, 3, 6, 8), grid_worker_a)
    assert "leave" in " ".join(exc.value.message_dict["person_on_duty"])
    assert make_shift(cadre_a, district.township_a, bj(2024, 3, 5, 8), bj(2024, 3, 6), grid_worker_a).pk


def test_a_person_cannot_hold_two_shifts_at_once(
    district: District, cadre_a: User, grid_worker_a: User
) -> None:
    make_shift(cadre_a, district.township_a, bj(2024, 3, 5, 8), bj(2024, 3, 5, 20), grid_worker_a)
    with pytest.raises(ValidationError):
        make_shift(cadre_a, district.village_a, bj(2024, 3, 5, 19), bj(2024, 3, 5, 23), grid_worker_a)


def test_a_manager_cannot_roster_outside_the_jurisdiction(
    district: District, cadre_a: User, cadre_b: User, grid_worker_a: User
) -> None:
    with pytest.raises(ValidationError):
        make_shift(cadre_a, district.township_b, bj(2024, 3, 5, 8), bj(2024, 3, 5, 20), grid_worker_a)
    with pytest.raises(ValidationError):
        make_shift(cadre_a, district.township_a, bj(2024, 3, 5, 8), bj(2024, 3, 5, 20), cadre_b)


def test_the_edit_page_changes_the_times(
    district: District, cadre_a: User, grid_worker_a: User, client_for: Callable[[User], Client]
) -> None:
    shift = make_shift(cadre_a, district.township_a, bj(2024, 3, 5, 8), bj(2024, 3, 5, 20), grid_worker_a)
    client = client_for(cadre_a)
    assert client.get(f"/duty/shifts/{shift.uuid}/edit").status_code == 200
    response = client.post(
        f"/duty/shifts/{shift.uuid}/edit",
        {"starts_at": "2024-03-05T09:00", "ends_at": "2024-03-05T21:00", "person_on_duty": grid_worker_a.pk},
    )
    assert response.status_code == 302
    shift.refresh_from_db()
    assert (shift.starts_at, shift.ends_at) == (bj(2024, 3, 5, 9), bj(2024, 3, 5, 21))


def test_a_checked_in_person_on_duty_is_not_replaced(
    district: District, cadre_a: User, grid_worker_a: User, village_cadre_a: User
) -> None:
    shift = make_shift(cadre_a, district.township_a, bj(2024, 3, 5, 8), bj(2024, 3, 5, 20), grid_worker_a)
    do_check_in(grid_worker_a, shift, now=bj(2024, 3, 5, 8))
    with pytest.raises(ValidationError):
        do_update_shift(
            cadre_a, shift, starts_at=shift.starts_at, ends_at=shift.ends_at, person_on_duty=village_cadre_a
        )


def test_cancelling_takes_the_shift_off_the_roster(
    district: District, cadre_a: User, grid_worker_a: User, client_for: Callable[[User], Client]
) -> None:
    shift = make_shift(cadre_a, district.township_a, bj(2024, 3, 5, 8), bj(2024, 3, 5, 20), grid_worker_a)
    client = client_for(cadre_a)
    assert client.get(f"/duty/shifts/{shift.uuid}/cancel").status_code == 405
    assert client.post(f"/duty/shifts/{shift.uuid}/cancel", {"reason": "排错"}).status_code == 302
    shift.refresh_from_db()
    assert shift.is_active is False
    assert client.get(f"/duty/shifts/{shift.uuid}/").status_code == 404


def test_outsiders_and_non_managers_get_404(
    district: District,
    cadre_a: User,
    cadre_b: User,
    grid_worker_a: User,
    client_for: Callable[[User], Client],
) -> None:
    shift = make_shift(cadre_a, district.township_a, bj(2024, 3, 5, 8), bj(2024, 3, 5, 20), grid_worker_a)
    for user, expected in ((cadre_b, 404), (grid_worker_a, 404)):
        client = client_for(user)
        assert client.get(f"/duty/shifts/{shift.uuid}/edit").status_code == expected
        assert client.post(f"/duty/shifts/{shift.uuid}/cancel").status_code == expected
    assert client_for(grid_worker_a).get("/duty/shifts/new").status_code == 404
    assert client_for(cadre_b).get("/duty/shifts/new", {"unit": district.township_a.code}).status_code == 404
    shift.refresh_from_db()
    assert shift.is_active is True


def test_my_shifts_lists_the_users_coming_shifts(
    district: District, cadre_a: User, grid_worker_a: User, client_for: Callable[[User], Client]
) -> None:
    now = datetime.datetime.now(tz=SH)
    start = now.replace(minute=0, second=0, microsecond=0) + datetime.timedelta(hours=2)
    make_shift(cadre_a, district.township_a, start, start + datetime.timedelta(hours=8), grid_worker_a)
    # The grid worker is rostered at the township, above their own grid, and still sees their shift.
    response = client_for(grid_worker_a).get("/duty/mine")
    assert response.status_code == 200
    assert len(response.context["current"]) == 1
    assert client_for(grid_worker_a).post("/duty/mine").status_code == 405


def test_filling_a_gap_prefills_the_times(
    district: District, cadre_a: User, client_for: Callable[[User], Client]
) -> None:
    response = client_for(cadre_a).get(
        "/duty/shifts/new",
        {"unit": district.township_a.code, "starts_at": "2024-03-05T20:00", "ends_at": "2024-03-06T00:00"},
    )
    form = response.context["form"]
    assert form.initial["region"] == district.township_a
    assert form.initial["ends_at"] == datetime.datetime(2024, 3, 6, 0, 0)
