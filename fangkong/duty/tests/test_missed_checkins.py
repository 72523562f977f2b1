"""The periodic task records shifts that ended without a check-in, once."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import time_machine

from conftest import District
from fangkong.accounts.models import User
from fangkong.duty.actions import do_check_in, do_record_missed_checkins
from fangkong.duty.tasks import record_missed_checkins

from .conftest import bj, make_shift


def test_a_shift_over_without_check_in_is_recorded_once(
    district: District, cadre_a: User, grid_worker_a: User
) -> None:
    shift = make_shift(cadre_a, district.township_a, bj(2024, 3, 5, 8), bj(2024, 3, 5, 20), grid_worker_a)
    assert do_record_missed_checkins(bj(2024, 3, 5, 19, 59)) == 0
    assert do_record_missed_checkins(bj(2024, 3, 5, 20)) == 1
    shift.refresh_from_db()
    assert shift.missed is True
    assert shift.missed_recorded_at == bj(2024, 3, 5, 20)
    assert do_record_missed_checkins(bj(2024, 3, 5, 20, 10)) == 0


def test_a_checked_in_shift_is_not_missed(district: District, cadre_a: User, grid_worker_a: User) -> None:
    shift = make_shift(cadre_a, district.township_a, bj(2024, 3, 5, 8), bj(2024, 3, 5, 20), grid_worker_a)
    do_check_in(grid_worker_a, shift, now=bj(2024, 3, 5, 11))
    assert do_record_missed_checkins(bj(2024, 3, 6)) == 0


@time_machine.travel(datetime.datetime(2024, 3, 5, 16, 5, tzinfo=datetime.UTC), tick=False)
def test_the_task_uses_the_current_instant_around_midnight_utc(
    district: District, cadre_a: User, grid_worker_a: User
) -> None:
    # 16:05 UTC is 00:05 Beijing time on 6 March: the night shift ending at 24:00 is over.
    ended = make_shift(cadre_a, district.township_a, bj(2024, 3, 5, 20), bj(2024, 3, 6), grid_worker_a)
    running = make_shift(cadre_a, district.township_a, bj(2024, 3, 6), bj(2024, 3, 6, 8), cadre_a)
    assert record_missed_checkins.call_local() == 1
    ended.refresh_from_db()
    running.refresh_from_db()
    assert (ended.missed, running.missed) == (True, False)
    assert ended.missed_recorded_at == datetime.datetime(2024, 3, 6, 0, 5, tzinfo=ZoneInfo("Asia/Shanghai"))
