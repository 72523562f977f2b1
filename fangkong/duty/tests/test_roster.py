"""The roster page: today and the week of a unit, gaps in red, who is away, jurisdiction."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from zoneinfo import ZoneInfo

import time_machine
from django.test import Client

from conftest import District
from fangkong.accounts.models import User
from fangkong.duty.actions import do_check_in

from .conftest import approved_leave, bj, make_shift

SH = ZoneInfo("Asia/Shanghai")
FROZEN = datetime.datetime(2024, 3, 5, 9, 0, tzinfo=SH)


@time_machine.travel(FROZEN, tick=False)
def test_the_roster_shows_shifts_and_red_gaps(
    district: District, cadre_a: User, grid_worker_a: User, client_for: Callable[[User], Client]
) -> None:
    make_shift(
        cadre_a,
        district.township_a,
        bj(2024, 3, 5, 8),
        bj(2024, 3, 5, 20),
        grid_worker_a,
        leader=cadre_a,
        phone="13912345678",
    )
    response = client_for(cadre_a).get("/duty/", {"unit": district.township_a.code})
    assert response.status_code == 200
    today = response.context["today"]
    assert today.gaps == [(bj(2024, 3, 5), bj(2024, 3, 5, 8)), (bj(2024, 3, 5, 20), bj(2024, 3, 6))]
    html = response.content.decode()
    assert "00:00–08:00" in html
    assert "20:00–24:00" in html
    assert "139 1234 5678" in html  # a duty phone is a work number, shown in full
    assert "13912345678" not in html
    assert len(response.context["week"]) == 7


@time_machine.travel(FROZEN, tick=False)
def test_a_fully_covered_day_has_no_gap(
    district: District, cadre_a: User, grid_worker_a: User, client_for: Callable[[User], Client]
) -> None:
    make_shift(cadre_a, district.township_a, bj(2024, 3, 4, 20), bj(2024, 3, 5, 8), cadre_a)
    make_shift(cadre_a, district.township_a, bj(2024, 3, 5, 8), bj(2024, 3, 6, 8), grid_worker_a)
    response = client_for(cadre_a).get("/duty/", {"unit": district.township_a.code})
    assert response.context["today"].is_covered


@time_machine.travel(FROZEN, tick=False)
def test_the_roster_shows_who_is_away(
    district: District, cadre_a: User, grid_worker_a: User, client_for: Callable[[User], Client]
) -> None:
    approved_leave(grid_worker_a, cadre_a, datetime.date(2024, 3, 5), datetime.date(2024, 3, 6))
    response = client_for(cadre_a).get("/duty/", {"unit": district.township_a.code})
    assert [lv.requester for lv in response.context["today"].away] == [grid_worker_a]
    week = response.context["week"]
    assert [bool(d.away) for d in week] == [False, True, True, False, False, False, False]
    assert 'data-testid="away"' in response.content.decode()


@time_machine.travel(FROZEN, tick=False)
def test_the_roster_defaults_to_the_users_unit_and_navigates_weeks(
    district: District, cadre_a: User, client_for: Callable[[User], Client]
) -> None:
    client = client_for(cadre_a)
    assert client.get("/duty/").context["unit"] == district.township_a
    next_week = client.get("/duty/", {"week": "2024-03-13"})
    assert next_week.context["monday"] == datetime.date(2024, 3, 11)
    assert client.get("/duty/", {"week": "not-a-date"}).context["monday"] == datetime.date(2024, 3, 4)


def test_another_townships_unit_is_404(
    district: District, cadre_a: User, client_for: Callable[[User], Client]
) -> None:
    client = client_for(cadre_a)
    assert client.get("/duty/", {"unit": district.township_b.code}).status_code == 404
    assert client.get("/duty/", {"unit": "nonsense"}).status_code == 404
    assert client.post("/duty/").status_code == 405


def test_the_unit_picker_lists_only_the_jurisdiction(
    district: District, cadre_a: User, client_for: Callable[[User], Client]
) -> None:
    units = list(client_for(cadre_a).get("/duty/").context["units"])
    assert district.township_a in units
    assert district.village_a in units
    assert district.township_b not in units
    assert district.county not in units


@time_machine.travel(FROZEN, tick=False)
def test_the_roster_query_count_does_not_grow_with_shifts(
    district: District,
    cadre_a: User,
    grid_worker_a: User,
    village_cadre_a: User,
    cadre_a2: User,
    client_for: Callable[[User], Client],
    django_assert_max_num_queries: object,
) -> None:
    people = [grid_worker_a, village_cadre_a, cadre_a2]
    for day in range(4, 11):
        for i, person in enumerate(people):
            make_shift(
                cadre_a,
                district.township_a,
                bj(2024, 3, day, 8 * i),
                bj(2024, 3, day, 8 * i + 7),
                person,
                leader=cadre_a,
            )
    do_check_in(
        grid_worker_a,
        make_shift(cadre_a, district.township_a, bj(2024, 3, 5, 7), bj(2024, 3, 5, 8), grid_worker_a),
        now=bj(2024, 3, 5, 7, 45),
    )
    approved_leave(village_cadre_a, cadre_a, datetime.date(2024, 3, 20), datetime.date(2024, 3, 21))
    client = client_for(cadre_a)
    with django_assert_max_num_queries(10):  # type: ignore[operator]
        response = client.get("/duty/", {"unit": district.township_a.code})
    assert len(response.context["today"].shifts) == 4


@time_machine.travel(FROZEN, tick=False)
def test_a_grid_worker_sees_the_roster_of_their_grid(
    district: District, grid_worker_a: User, client_for: Callable[[User], Client]
) -> None:
    response = client_for(grid_worker_a).get("/duty/")
    assert response.context["unit"] == district.grid_a
    assert list(response.context["units"]) == [district.grid_a]
    assert response.context["can_manage"] is False


@time_machine.travel(FROZEN, tick=False)
def test_shifts_and_gaps_are_listed_in_time_order(
    district: District, cadre_a: User, grid_worker_a: User, client_for: Callable[[User], Client]
) -> None:
    make_shift(cadre_a, district.township_a, bj(2024, 3, 5, 8), bj(2024, 3, 5, 20), grid_worker_a)
    today = client_for(cadre_a).get("/duty/").context["today"]
    assert [shift is None for shift, _span in today.entries] == [True, False, True]


@time_machine.travel(FROZEN, tick=False)
def test_a_week_at_the_ends_of_the_calendar_shows_the_current_week(
    district: District, cadre_a: User, client_for: Callable[[User], Client]
) -> None:
    client = client_for(cadre_a)
    for week in ("9999-12-31", "0001-01-01", "not-a-day"):
        response = client.get("/duty/", {"unit": district.township_a.code, "week": week})
        assert response.status_code == 200, week
        assert response.context["monday"] == datetime.date(2024, 3, 4)
