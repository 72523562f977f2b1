"""Requesting leave: dates are validated, approved leave may not overlap, the requester may cancel."""

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
from fangkong.duty.actions import do_cancel_leave, do_decide_leave, do_request_leave
from fangkong.duty.models import LeaveRequest, LeaveStatus

from .conftest import approved_leave, bj

SH = ZoneInfo("Asia/Shanghai")
NOW = bj(2024, 3, 5, 9)
D = datetime.date


def ask(user: User, start: datetime.date, end: datetime.date) -> LeaveRequest:
    return do_request_leave(user, starts_on=start, ends_on=end, reason="探亲", destination="安阳", now=NOW)


def test_the_request_belongs_to_the_requesters_region(district: District, grid_worker_a: User) -> None:
    leave = ask(grid_worker_a, D(2024, 3, 5), D(2024, 3, 5))
    assert (leave.region, leave.status) == (district.grid_a, LeaveStatus.PENDING)


def test_the_last_day_cannot_be_before_the_first(grid_worker_a: User) -> None:
    with pytest.raises(ValidationError) as exc:
        ask(grid_worker_a, D(2024, 3, 8), D(2024, 3, 7))
    assert "ends_on" in exc.value.message_dict


def test_leave_cannot_start_in_the_past(grid_worker_a: User) -> None:
    with pytest.raises(ValidationError):
        ask(grid_worker_a, D(2024, 3, 4), D(2024, 3, 6))


def test_overlap_with_approved_leave_is_refused(grid_worker_a: User, cadre_a: User) -> None:
    approved_leave(grid_worker_a, cadre_a, D(2024, 3, 10), D(2024, 3, 12))
    with pytest.raises(ValidationError) as exc:
        ask(grid_worker_a, D(2024, 3, 12), D(2024, 3, 14))
    assert "starts_on" in exc.value.message_dict
    assert ask(grid_worker_a, D(2024, 3, 13), D(2024, 3, 14)).status == LeaveStatus.PENDING


def test_approving_a_request_that_overlaps_approved_leave_is_refused(
    grid_worker_a: User, cadre_a: User
) -> None:
    first, second = (
        ask(grid_worker_a, D(2024, 3, 10), D(2024, 3, 12)),
        ask(grid_worker_a, D(2024, 3, 11), D(2024, 3, 11)),
    )
    do_decide_leave(cadre_a, first, approve=True, now=NOW)
    with pytest.raises(ValidationError):
        do_decide_leave(cadre_a, second, approve=True, now=NOW)


def test_the_requester_cancels_and_frees_the_dates(grid_worker_a: User, cadre_a: User) -> None:
    leave = approved_leave(grid_worker_a, cadre_a, D(2024, 3, 10), D(2024, 3, 12))
    with pytest.raises(ValidationError):
        do_cancel_leave(cadre_a, leave, now=NOW)
    assert do_cancel_leave(grid_worker_a, leave, now=NOW).status == LeaveStatus.CANCELLED
    assert ask(grid_worker_a, D(2024, 3, 10), D(2024, 3, 12)).status == LeaveStatus.PENDING


@time_machine.travel(datetime.datetime(2024, 3, 5, 9, 0, tzinfo=SH), tick=False)
def test_the_form_sends_a_request(grid_worker_a: User, client_for: Callable[[User], Client]) -> None:
    client = client_for(grid_worker_a)
    assert client.get("/duty/leave/new").status_code == 200
    response = client.post(
        "/duty/leave/new",
        {"starts_on": "2024-03-06", "ends_on": "2024-03-07", "destination": "郑州", "reason": "就医"},
    )
    assert response.status_code == 302
    leave = LeaveRequest.objects.get(requester=grid_worker_a)
    assert client.get(f"/duty/leave/{leave.uuid}/").status_code == 200
    assert "郑州" in client.get("/duty/leave/").content.decode()


@time_machine.travel(datetime.datetime(2024, 3, 5, 9, 0, tzinfo=SH), tick=False)
def test_the_form_shows_bad_dates(grid_worker_a: User, client_for: Callable[[User], Client]) -> None:
    response = client_for(grid_worker_a).post(
        "/duty/leave/new",
        {"starts_on": "2024-03-08", "ends_on": "2024-03-07", "destination": "郑州", "reason": "就医"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["ends_on"]
    assert not LeaveRequest.objects.exists()


@time_machine.travel(datetime.datetime(2024, 3, 5, 9, 0, tzinfo=SH), tick=False)
def test_the_api_creates_a_request_and_rejects_bad_input(
    grid_worker_a: User, client_for: Callable[[User], Client]
) -> None:
    client = client_for(grid_worker_a)
    ok = client.post(
        "/api/v1/duty/leave",
        {"starts_on": "2024-03-06", "ends_on": "2024-03-06", "reason": "就医", "destination": "郑州"},
        content_type="application/json",
    )
    assert ok.status_code == 201
    assert ok.json()["status"] == "pending"
    bad = client.post(
        "/api/v1/duty/leave",
        {"starts_on": "2024-03-06", "ends_on": "2024-03-01", "reason": "x", "destination": "y"},
        content_type="application/json",
    )
    assert bad.status_code == 400
    missing = client.post("/api/v1/duty/leave", {"starts_on": "2024-03-06"}, content_type="application/json")
    assert missing.status_code == 422
    assert [lv["uuid"] for lv in client.get("/api/v1/duty/leave").json()] == [ok.json()["uuid"]]


def test_the_leave_pages_need_the_right_method(
    grid_worker_a: User, client_for: Callable[[User], Client]
) -> None:
    client = client_for(grid_worker_a)
    leave = ask(grid_worker_a, D(2024, 3, 6), D(2024, 3, 6))
    assert client.get(f"/duty/leave/{leave.uuid}/cancel").status_code == 405
    assert client.post("/duty/leave/").status_code == 405
    assert client.put("/duty/leave/new").status_code == 405


def test_a_grid_worker_has_no_approvals_inbox(
    grid_worker_a: User, client_for: Callable[[User], Client]
) -> None:
    assert client_for(grid_worker_a).get("/duty/leave/inbox").status_code == 404
