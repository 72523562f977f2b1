"""`duty.public.on_duty`: who to notify for a unit at an instant."""

from __future__ import annotations

from conftest import District
from fangkong.accounts.models import User
from fangkong.duty.public import on_duty

from .conftest import bj, make_shift


def test_it_returns_the_person_on_duty_and_the_leader_on_call(
    district: District, command_user: User, cadre_a: User, grid_worker_a: User
) -> None:
    make_shift(
        command_user, district.county, bj(2024, 3, 5, 8), bj(2024, 3, 5, 20), cadre_a, leader=command_user
    )
    make_shift(command_user, district.township_a, bj(2024, 3, 5, 8), bj(2024, 3, 5, 20), grid_worker_a)
    assert on_duty(district.county, bj(2024, 3, 5, 12)) == [cadre_a, command_user]


def test_the_end_of_a_shift_is_not_part_of_it(district: District, command_user: User, cadre_a: User) -> None:
    make_shift(command_user, district.county, bj(2024, 3, 5, 8), bj(2024, 3, 5, 20), cadre_a)
    assert on_duty(district.county, bj(2024, 3, 5, 8)) == [cadre_a]
    assert on_duty(district.county, bj(2024, 3, 5, 20)) == []


def test_it_returns_nobody_when_nobody_is_rostered(district: District) -> None:
    assert on_duty(district.county, bj(2024, 3, 5, 12)) == []


def test_a_deactivated_user_is_left_out(district: District, command_user: User, cadre_a: User) -> None:
    make_shift(
        command_user, district.county, bj(2024, 3, 5, 8), bj(2024, 3, 5, 20), cadre_a, leader=command_user
    )
    cadre_a.is_active = False
    cadre_a.save()
    assert on_duty(district.county, bj(2024, 3, 5, 12)) == [command_user]
