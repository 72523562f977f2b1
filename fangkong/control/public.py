"""What other apps may ask of the control app (architecture.md). Keep these signatures stable."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.db.models import QuerySet

from fangkong.accounts.models import User
from fangkong.accounts.permissions import Perm
from fangkong.control import days
from fangkong.control.access import access_order, orders_for
from fangkong.control.actions import do_record_follow_up
from fangkong.control.models import SYMPTOMS, ControlOrder, Stay
from fangkong.regions.models import Region


def symptom_choices() -> list[tuple[str, str]]:
    """(code, label in the active language) of the symptoms a follow-up records."""
    return [(code, str(label)) for code, label in SYMPTOMS]


def isolated_person_ids() -> QuerySet[Stay, Any]:
    """The people in centralized isolation now (an open stay at an isolation site), as a subquery of
    `order__person_id` values: testing leaves them out of a round's target when the round says so."""
    return Stay.objects.filter(checked_out_at__isnull=True).values("order__person_id")


def follow_up_state(actor: User, order_uuid: uuid.UUID | str) -> dict[str, object]:
    """An order as a phone that records follow-ups offline saw it: a changed status or end day since is a
    conflict (the person was released or moved meanwhile). Outside the actor's reach: 404."""
    return _follow_up_state(access_order(actor, order_uuid, Perm.CONTROL_FOLLOW_UP))


def _follow_up_state(order: ControlOrder) -> dict[str, object]:
    return {"status": order.status, "end_day": order.end_day.isoformat(), "person": order.person_name}


def follow_ups_for_phone(
    actor: User, grid: Region, day: datetime.date, limit: int
) -> list[tuple[dict[str, object], dict[str, object]]]:
    """Today's follow-ups due in `grid` that the actor may record, for a phone's offline cache: (row, state)
    pairs, the state being what `follow_up_state` answers (the device's base version is its digest). The row
    holds what the grid worker's follow-up page shows: the name (not masked there), the stage, asked and done."""
    orders = (
        days.follow_ups_due(orders_for(actor, Perm.CONTROL_FOLLOW_UP).filter(region=grid), day)
        .select_related("person")
        .order_by("person__name", "id")[:limit]
    )
    return [
        (
            {
                "order": str(o.uuid),
                "name": o.person_name,
                "home_isolation": getattr(o, "stage_kind", "") == "home_isolation",
                "asked": getattr(o, "asked", 0),
                "done": getattr(o, "done", 0),
            },
            _follow_up_state(o),
        )
        for o in orders
    ]


def record_follow_up(
    actor: User,
    order_uuid: uuid.UUID | str,
    *,
    temperature: str,
    symptoms: list[str],
    at_home: bool,
    note: str,
    now: datetime.datetime,
) -> str:
    """A daily follow-up recorded through the same action as the grid worker's page (alerts included); its uuid."""
    order = access_order(actor, order_uuid, Perm.CONTROL_FOLLOW_UP)
    return str(
        do_record_follow_up(
            actor, order, temperature=temperature, symptoms=symptoms, at_home=at_home, note=note, now=now
        ).uuid
    )
