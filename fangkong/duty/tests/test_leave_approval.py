"""Who decides a leave request: the superior only (strictly above the requester's region), never oneself."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import translation

from fangkong.accounts.models import User
from fangkong.duty.actions import do_decide_leave, do_request_leave
from fangkong.duty.models import LeaveRequest, LeaveStatus

from .conftest import bj

SH = ZoneInfo("Asia/Shanghai")
NOW = bj(2024, 3, 5, 9)


def request_leave(user: User) -> LeaveRequest:
    return do_request_leave(
        user,
        starts_on=datetime.date(2024, 3, 7),
        ends_on=datetime.date(2024, 3, 8),
        reason="就医",
        destination="濮阳市区",
        now=NOW,
    )


def test_a_township_cadre_approves_a_grid_worker_of_the_township(cadre_a: User, grid_worker_a: User) -> None:
    leave = do_decide_leave(cadre_a, request_leave(grid_worker_a), approve=True, note="同意", now=NOW)
    assert (leave.status, leave.decided_by, leave.decided_at) == (LeaveStatus.APPROVED, cadre_a, NOW)


def test_the_command_office_approves_a_township_cadre(command_user: User, cadre_a: User) -> None:
    leave = do_decide_leave(command_user, request_leave(cadre_a), approve=True, now=NOW)
    assert leave.status == LeaveStatus.APPROVED


def test_a_colleague_at_the_same_level_cannot_decide(cadre_a: User, cadre_a2: User) -> None:
    with pytest.raises(ValidationError):
        do_decide_leave(cadre_a2, request_leave(cadre_a), approve=True, now=NOW)


def test_a_village_cadre_without_the_permission_cannot_decide(
    village_cadre_a: User, grid_worker_a: User
) -> None:
    with pytest.raises(ValidationError):
        do_decide_leave(village_cadre_a, request_leave(grid_worker_a), approve=True, now=NOW)


def test_nobody_decides_their_own_request(command_user: User) -> None:
    with translation.override("en"), pytest.raises(ValidationError, match="own"):
        do_decide_leave(command_user, request_leave(command_user), approve=True, now=NOW)


def test_refusing_needs_a_reason_and_a_decided_request_stays_decided(
    cadre_a: User, grid_worker_a: User
) -> None:
    leave = request_leave(grid_worker_a)
    with pytest.raises(ValidationError):
        do_decide_leave(cadre_a, leave, approve=False, note="", now=NOW)
    do_decide_leave(cadre_a, leave, approve=False, note="疫情期间不外出", now=NOW)
    with pytest.raises(ValidationError):
        do_decide_leave(cadre_a, leave, approve=True, now=NOW)


@time_machine.travel(datetime.datetime(2024, 3, 5, 9, 0, tzinfo=SH), tick=False)
def test_the_inbox_lists_pending_requests_and_the_page_approves(
    cadre_a: User,
    grid_worker_a: User,
    client_for: Callable[[User], Client],
    django_assert_max_num_queries: object,
) -> None:
    leave = request_leave(grid_worker_a)
    client = client_for(cadre_a)
    with django_assert_max_num_queries(8):  # type: ignore[operator]
        inbox = client.get("/duty/leave/inbox")
    assert str(leave.uuid) in inbox.content.decode()
    response = client.post(
        f"/duty/leave/{leave.uuid}/decide", {"decision": "approve", "decision_note": "同意"}
    )
    assert response.status_code == 302
    leave.refresh_from_db()
    assert leave.status == LeaveStatus.APPROVED


@time_machine.travel(datetime.datetime(2024, 3, 5, 9, 0, tzinfo=SH), tick=False)
def test_the_page_refuses_a_bad_decision(
    cadre_a: User, grid_worker_a: User, client_for: Callable[[User], Client]
) -> None:
    leave = request_leave(grid_worker_a)
    client = client_for(cadre_a)
    assert client.post(f"/duty/leave/{leave.uuid}/decide", {"decision": "maybe"}).status_code == 400
    assert client.post(f"/duty/leave/{leave.uuid}/decide", {"decision": "refuse"}).status_code == 400
    assert client.get(f"/duty/leave/{leave.uuid}/decide").status_code == 405
    leave.refresh_from_db()
    assert leave.status == LeaveStatus.PENDING


def test_an_outsider_gets_404(
    cadre_b: User, grid_worker_a: User, client_for: Callable[[User], Client]
) -> None:
    leave = request_leave(grid_worker_a)
    client = client_for(cadre_b)
    assert client.get(f"/duty/leave/{leave.uuid}/").status_code == 404
    assert client.post(f"/duty/leave/{leave.uuid}/decide", {"decision": "approve"}).status_code == 404
    assert (
        client.post(
            f"/api/v1/duty/leave/{leave.uuid}/approve", {}, content_type="application/json"
        ).status_code
        == 404
    )
    assert str(leave.uuid) not in client.get("/duty/leave/inbox").content.decode()


@time_machine.travel(datetime.datetime(2024, 3, 5, 9, 0, tzinfo=SH), tick=False)
def test_the_api_approves_and_refuses(
    cadre_a: User, grid_worker_a: User, village_cadre_a: User, client_for: Callable[[User], Client]
) -> None:
    client = client_for(cadre_a)
    first, second = request_leave(grid_worker_a), request_leave(village_cadre_a)
    approved = client.post(
        f"/api/v1/duty/leave/{first.uuid}/approve", {"note": "同意"}, content_type="application/json"
    )
    assert approved.status_code == 200
    assert approved.json()["status"] == "approved"
    refused = client.post(
        f"/api/v1/duty/leave/{second.uuid}/refuse", {"note": "人手不足"}, content_type="application/json"
    )
    assert refused.json()["status"] == "refused"
    again = client.post(f"/api/v1/duty/leave/{second.uuid}/approve", {}, content_type="application/json")
    assert again.status_code == 400


@time_machine.travel(datetime.datetime(2024, 3, 5, 9, 0, tzinfo=SH), tick=False)
def test_the_api_refuses_self_approval(command_user: User, client_for: Callable[[User], Client]) -> None:
    leave = request_leave(command_user)
    response = client_for(command_user).post(
        f"/api/v1/duty/leave/{leave.uuid}/approve", {}, content_type="application/json"
    )
    assert response.status_code == 400
    leave.refresh_from_db()
    assert leave.status == LeaveStatus.PENDING
