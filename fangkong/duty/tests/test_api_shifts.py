"""GET /api/v1/duty/shifts: a unit's shifts over a range of Beijing days."""

from __future__ import annotations

from collections.abc import Callable

from django.test import Client

from conftest import District
from fangkong.accounts.models import User

from .conftest import bj, make_shift


def test_it_lists_the_shifts_overlapping_the_days(
    district: District, cadre_a: User, grid_worker_a: User, client_for: Callable[[User], Client]
) -> None:
    make_shift(
        cadre_a,
        district.township_a,
        bj(2024, 3, 4, 20),
        bj(2024, 3, 5, 8),
        grid_worker_a,
        phone="13912345678",
    )
    make_shift(cadre_a, district.township_a, bj(2024, 3, 6, 8), bj(2024, 3, 6, 20), grid_worker_a)
    response = client_for(cadre_a).get(
        "/api/v1/duty/shifts", {"unit": district.township_a.code, "start": "2024-03-05", "end": "2024-03-05"}
    )
    assert response.status_code == 200
    [shift] = response.json()
    assert shift["phone"] == "+8613912345678"  # a duty phone is a work number, shown in full
    assert shift["person_on_duty"] == str(grid_worker_a)


def test_it_rejects_bad_ranges(
    district: District, cadre_a: User, client_for: Callable[[User], Client]
) -> None:
    client = client_for(cadre_a)
    unit = district.township_a.code
    assert (
        client.get(
            "/api/v1/duty/shifts", {"unit": unit, "start": "2024-03-05", "end": "2024-03-01"}
        ).status_code
        == 400
    )
    assert (
        client.get(
            "/api/v1/duty/shifts", {"unit": unit, "start": "2024-03-01", "end": "2024-05-01"}
        ).status_code
        == 400
    )
    assert client.get("/api/v1/duty/shifts", {"unit": unit, "start": "yesterday"}).status_code == 422
    assert client.post("/api/v1/duty/shifts", {}).status_code == 405


def test_an_outsiders_unit_is_404(
    district: District, cadre_b: User, client_for: Callable[[User], Client]
) -> None:
    response = client_for(cadre_b).get("/api/v1/duty/shifts", {"unit": district.township_a.code})
    assert response.status_code == 404


def test_it_rejects_days_at_the_ends_of_the_calendar(
    district: District, cadre_a: User, client_for: Callable[[User], Client]
) -> None:
    client = client_for(cadre_a)
    unit = district.township_a.code
    for params in (
        {"start": "9999-12-31"},
        {"start": "9999-12-31", "end": "9999-12-31"},
        {"start": "2024-03-01", "end": "9999-12-31"},
        {"start": "0001-01-01"},
    ):
        response = client.get("/api/v1/duty/shifts", {"unit": unit, **params})
        assert response.status_code == 400, params
        assert set(response.json()["detail"]) <= {"start", "end"}
