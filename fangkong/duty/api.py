"""/api/v1/duty/: shifts of a unit over a range of Beijing days, check-in; leave create, approve, refuse."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from fangkong.accounts.access import acting_user, require
from fangkong.accounts.permissions import Perm
from fangkong.duty.access import access_leave, access_shift, access_unit, leave_requests_for, shifts_for
from fangkong.duty.actions import do_check_in, do_decide_leave, do_request_leave
from fangkong.duty.models import day_bounds
from fangkong.duty.schemas import CheckInIn, DecisionIn, ErrorOut, LeaveIn, LeaveOut, ShiftOut
from fangkong.lib.dates import day_error, parse_day
from fangkong.lib.reporting_day import local_date
from fangkong.lib.schemas import InputSchema

router = Router(tags=["duty"])
# The longest range one call may ask for: a month of a unit's roster.
MAX_DAYS = 31


class ShiftFilters(InputSchema):
    unit: str
    start: datetime.date | None = None
    end: datetime.date | None = None


@router.get("/shifts", response={200: list[ShiftOut], 400: ErrorOut})
def list_shifts(request: HttpRequest, filters: Query[ShiftFilters]) -> Status[Any]:
    """Shifts of a unit overlapping the Beijing days start..end (inclusive; default today)."""
    unit = access_unit(request.user, filters.unit)
    errors = {
        name: [day_error()]
        for name in ("start", "end")
        if getattr(filters, name) is not None and parse_day(getattr(filters, name)) is None
    }
    if errors:
        return Status(400, {"detail": errors})
    start = filters.start or local_date(timezone.now())
    end = filters.end or start
    if end < start:
        return Status(400, {"detail": {"end": [_("The last day cannot be before the first day.")]}})
    if (end - start).days >= MAX_DAYS:
        return Status(400, {"detail": {"end": [_("Ask for at most 31 days at a time.")]}})
    qs = (
        shifts_for(request.user)
        .filter(region=unit, starts_at__lt=day_bounds(end)[1], ends_at__gt=day_bounds(start)[0])
        .order_by("starts_at", "id")
    )
    return Status(200, [ShiftOut.build(s) for s in qs])


@router.post("/shifts/{shift_uuid}/check-in", response={200: ShiftOut, 400: ErrorOut})
def check_in(request: HttpRequest, shift_uuid: uuid.UUID, payload: CheckInIn) -> Status[Any]:
    shift = access_shift(request.user, shift_uuid)
    try:
        shift = do_check_in(acting_user(request), shift, now=timezone.now(), note=payload.note)
    except ValidationError as exc:
        return Status(400, {"detail": exc.message_dict})
    return Status(200, ShiftOut.build(access_shift(request.user, shift.uuid)))


@router.get("/leave", response=list[LeaveOut])
def list_leave(request: HttpRequest) -> list[LeaveOut]:
    """The user's own requests and those they decide as the superior (latest 200)."""
    return [LeaveOut.build(lv) for lv in leave_requests_for(request.user)[:200]]


@router.post("/leave", response={201: LeaveOut, 400: ErrorOut})
def create_leave(request: HttpRequest, payload: LeaveIn) -> Status[Any]:
    require(request.user, Perm.LEAVE_REQUEST)
    try:
        leave = do_request_leave(acting_user(request), now=timezone.now(), **payload.dict())
    except ValidationError as exc:
        return Status(400, {"detail": exc.message_dict})
    return Status(201, LeaveOut.build(leave))


def _decide(
    request: HttpRequest, leave_uuid: uuid.UUID, payload: DecisionIn, *, approve: bool
) -> Status[Any]:
    leave = access_leave(request.user, leave_uuid)
    try:
        leave = do_decide_leave(
            acting_user(request), leave, approve=approve, note=payload.note, now=timezone.now()
        )
    except ValidationError as exc:
        return Status(400, {"detail": exc.message_dict})
    return Status(200, LeaveOut.build(leave))


@router.post("/leave/{leave_uuid}/approve", response={200: LeaveOut, 400: ErrorOut})
def approve_leave(request: HttpRequest, leave_uuid: uuid.UUID, payload: DecisionIn) -> Status[Any]:
    return _decide(request, leave_uuid, payload, approve=True)


@router.post("/leave/{leave_uuid}/refuse", response={200: LeaveOut, 400: ErrorOut})
def refuse_leave(request: HttpRequest, leave_uuid: uuid.UUID, payload: DecisionIn) -> Status[Any]:
    return _decide(request, leave_uuid, payload, approve=False)
