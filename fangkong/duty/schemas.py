"""JSON shapes of the duty API. Phones are masked."""

from __future__ import annotations

import datetime
import uuid

from ninja import Field, Schema

from fangkong.duty.models import DutyShift, LeaveRequest
from fangkong.lib.schemas import InputSchema, column_length


class ShiftOut(Schema):
    uuid: uuid.UUID
    unit_code: str
    unit_name: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    person_on_duty: str
    leader_on_call: str | None
    phone: str
    checked_in_at: datetime.datetime | None
    checkin_late: bool
    missed: bool
    handover_note: str

    @staticmethod
    def build(shift: DutyShift) -> ShiftOut:
        return ShiftOut(
            uuid=shift.uuid,
            unit_code=shift.region.code,
            unit_name=shift.region.name,
            starts_at=shift.starts_at,
            ends_at=shift.ends_at,
            person_on_duty=str(shift.person_on_duty),
            leader_on_call=str(shift.leader_on_call) if shift.leader_on_call else None,
            phone=shift.phone,  # a work number, in full (E.164, `;ext=` for an extension)
            checked_in_at=shift.checked_in_at,
            checkin_late=shift.checkin_late,
            missed=shift.missed,
            handover_note=shift.handover_note,
        )


class CheckInIn(InputSchema):
    note: str = ""


class LeaveIn(InputSchema):
    starts_on: datetime.date
    ends_on: datetime.date
    reason: str
    destination: str = Field(max_length=column_length(LeaveRequest, "destination"))


class DecisionIn(InputSchema):
    note: str = ""


class LeaveOut(Schema):
    uuid: uuid.UUID
    requester: str
    region_code: str
    starts_on: datetime.date
    ends_on: datetime.date
    reason: str
    destination: str
    status: str
    decided_by: str | None
    decided_at: datetime.datetime | None
    decision_note: str

    @staticmethod
    def build(leave: LeaveRequest) -> LeaveOut:
        return LeaveOut(
            uuid=leave.uuid,
            requester=str(leave.requester),
            region_code=leave.region.code,
            starts_on=leave.starts_on,
            ends_on=leave.ends_on,
            reason=leave.reason,
            destination=leave.destination,
            status=leave.status,
            decided_by=str(leave.decided_by) if leave.decided_by else None,
            decided_at=leave.decided_at,
            decision_note=leave.decision_note,
        )


class ErrorOut(Schema):
    detail: dict[str, list[str]] | str
