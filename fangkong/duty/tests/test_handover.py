"""Hand-over notes: the outgoing person on duty writes, the incoming one reads it on their shift."""

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
from fangkong.duty.actions import do_write_handover

from .conftest import bj, make_shift

SH = ZoneInfo("Asia/Shanghai")


@time_machine.travel(datetime.datetime(2024, 3, 5, 19, 50, tzinfo=SH), tick=False)
def test_the_next_shift_sees_the_hand_over_note(
    district: District, cadre_a: User, grid_worker_a: User, client_for: Callable[[User], Client]
) -> None:
    day = make_shift(cadre_a, district.township_a, bj(2024, 3, 5, 8), bj(2024, 3, 5, 20), grid_worker_a)
    night = make_shift(cadre_a, district.township_a, bj(2024, 3, 5, 20), bj(2024, 3, 6, 8), cadre_a)
    response = client_for(grid_worker_a).post(
        f"/duty/shifts/{day.uuid}/handover", {"handover_note": "王助村3户返乡人员待核实"}
    )
    assert response.status_code == 302
    page = client_for(cadre_a).get(f"/duty/shifts/{night.uuid}/")
    assert "王助村3户返乡人员待核实" in page.content.decode()


def test_only_the_person_on_duty_writes_the_note(
    district: District, cadre_a: User, grid_worker_a: User
) -> None:
    day = make_shift(cadre_a, district.township_a, bj(2024, 3, 5, 8), bj(2024, 3, 5, 20), grid_worker_a)
    with pytest.raises(ValidationError):
        do_write_handover(cadre_a, day, note="x", now=bj(2024, 3, 5, 19))


@time_machine.travel(datetime.datetime(2024, 3, 5, 19, 50, tzinfo=SH), tick=False)
def test_an_empty_note_is_refused(
    district: District, cadre_a: User, grid_worker_a: User, client_for: Callable[[User], Client]
) -> None:
    day = make_shift(cadre_a, district.township_a, bj(2024, 3, 5, 8), bj(2024, 3, 5, 20), grid_worker_a)
    response = client_for(grid_worker_a).post(f"/duty/shifts/{day.uuid}/handover", {"handover_note": "  "})
    assert response.status_code == 400
    day.refresh_from_db()
    assert day.handover_note == ""


def test_the_hand_over_needs_post_and_is_hidden_from_outsiders(
    district: District,
    cadre_a: User,
    grid_worker_a: User,
    cadre_b: User,
    client_for: Callable[[User], Client],
) -> None:
    day = make_shift(cadre_a, district.township_a, bj(2024, 3, 5, 8), bj(2024, 3, 5, 20), grid_worker_a)
    assert client_for(grid_worker_a).get(f"/duty/shifts/{day.uuid}/handover").status_code == 405
    assert (
        client_for(cadre_b).post(f"/duty/shifts/{day.uuid}/handover", {"handover_note": "x"}).status_code
        == 404
    )
