"""Coverage of a unit's Beijing day by its shifts: the uncovered intervals are the gaps shown in red."""

from __future__ import annotations

import datetime

from conftest import District
from fangkong.accounts.models import User
from fangkong.duty.actions import do_cancel_shift
from fangkong.duty.models import coverage_gaps, day_bounds, uncovered

from .conftest import bj, make_shift

DAY = datetime.date(2024, 3, 5)


def test_a_day_without_shifts_is_one_gap() -> None:
    assert uncovered(day_bounds(DAY), []) == [(bj(2024, 3, 5), bj(2024, 3, 6))]


def test_adjacent_shifts_cover_the_full_day() -> None:
    covers = [
        (bj(2024, 3, 5, 8), bj(2024, 3, 5, 20)),
        (bj(2024, 3, 5), bj(2024, 3, 5, 8)),
        (bj(2024, 3, 5, 20), bj(2024, 3, 6)),
    ]
    assert uncovered(day_bounds(DAY), covers) == []


def test_a_gap_between_shifts_is_reported() -> None:
    covers = [(bj(2024, 3, 5), bj(2024, 3, 5, 8)), (bj(2024, 3, 5, 9, 30), bj(2024, 3, 6))]
    assert uncovered(day_bounds(DAY), covers) == [(bj(2024, 3, 5, 8), bj(2024, 3, 5, 9, 30))]


def test_overlapping_shifts_merge() -> None:
    covers = [
        (bj(2024, 3, 5, 0), bj(2024, 3, 5, 12)),
        (bj(2024, 3, 5, 6), bj(2024, 3, 5, 10)),
        (bj(2024, 3, 5, 11), bj(2024, 3, 5, 18)),
    ]
    assert uncovered(day_bounds(DAY), covers) == [(bj(2024, 3, 5, 18), bj(2024, 3, 6))]


def test_shifts_crossing_midnight_cover_both_days() -> None:
    night_before = (bj(2024, 3, 4, 20), bj(2024, 3, 5, 8))
    night_after = (bj(2024, 3, 5, 20), bj(2024, 3, 6, 8))
    assert uncovered(day_bounds(DAY), [night_before, night_after]) == [
        (bj(2024, 3, 5, 8), bj(2024, 3, 5, 20))
    ]


def test_coverage_gaps_reads_the_units_active_shifts(
    district: District, cadre_a: User, grid_worker_a: User, command_user: User
) -> None:
    make_shift(cadre_a, district.township_a, bj(2024, 3, 4, 20), bj(2024, 3, 5, 8), grid_worker_a)
    day_shift = make_shift(cadre_a, district.township_a, bj(2024, 3, 5, 8), bj(2024, 3, 5, 20), cadre_a)
    # Another unit's shift does not cover this one.
    make_shift(command_user, district.county, bj(2024, 3, 5, 20), bj(2024, 3, 6), command_user)
    assert coverage_gaps(district.township_a, DAY) == [(bj(2024, 3, 5, 20), bj(2024, 3, 6))]

    do_cancel_shift(cadre_a, day_shift)
    assert coverage_gaps(district.township_a, DAY) == [(bj(2024, 3, 5, 8), bj(2024, 3, 6))]
