"""JSON shapes of the control API. Document numbers are masked (a full reveal goes through the people app)."""

from __future__ import annotations

import datetime
import uuid

from ninja import Schema

from fangkong.control.models import ControlOrder, Plan


class OrderOut(Schema):
    uuid: uuid.UUID
    person_name: str
    document: str
    unit_code: str
    unit_name: str
    reason: str
    protocol: str
    protocol_version: int
    start_day: datetime.date
    end_day: datetime.date
    status: str
    stage_today: str | None
    held: bool
    held_note: str

    @staticmethod
    def build(order: ControlOrder, plan: Plan | None, today: datetime.date) -> OrderOut:
        index = (
            plan.stage_index(order.start_day, today, order.end_day)
            if plan is not None and order.is_active
            else None
        )
        return OrderOut(
            uuid=order.uuid,
            person_name=order.person_name,
            document=order.masked_document,
            unit_code=order.region.code,
            unit_name=order.region.name,
            reason=order.reason,
            protocol=order.protocol.code,
            protocol_version=order.protocol.version,
            start_day=order.start_day,
            end_day=order.end_day,
            status=order.status,
            stage_today=plan.stages[index].kind if plan is not None and index is not None else None,
            held=order.held,
            held_note=order.held_note,
        )


class ErrorOut(Schema):
    detail: dict[str, list[str]] | str
