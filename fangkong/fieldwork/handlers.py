"""The kinds of offline record fieldwork stores itself (registered in apps.py) and those it passes to the apps
that own them through their public modules (household visits: screening; push-item verification: pushlists;
follow-ups: control; crossings: checkpoints; samples: testing)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from fangkong.accounts.models import User
from fangkong.accounts.permissions import Perm
from fangkong.fieldwork.access import access_my_task, access_place
from fangkong.fieldwork.actions import DisinfectionInput, StaleTask, do_complete_task, do_record_disinfection
from fangkong.fieldwork.models import FieldTask, TaskKind
from fangkong.fieldwork.submissions import (
    Conflict,
    device_time,
    instant,
    integer,
    photo_of,
    record_id,
    text,
    version_of,
)
from fangkong.lib.reporting_day import local_date


def _disinfection(payload: dict[str, Any], now: datetime.datetime) -> DisinfectionInput:
    return DisinfectionInput(
        area_m2=integer(payload, "area_m2") or 0,
        agent=text(payload, "agent", 60),
        concentration=text(payload, "concentration", 40),
        done_at=instant(payload, "done_at", now),
        note=text(payload, "note", 200),
        litres=integer(payload, "litres", required=False),
        photo=photo_of(payload),
    )


def disinfection(
    actor: User, payload: dict[str, Any], base_version: str | None, now: datetime.datetime
) -> str:
    """A new disinfection record: nothing to conflict with (records are only added)."""
    place = access_place(actor, record_id(payload, "place"), Perm.DISINFECTION_RECORD)
    return str(do_record_disinfection(actor, place, _disinfection(payload, now), now=now).uuid)


def task_state(task: FieldTask) -> dict[str, Any]:
    return {
        "uuid": str(task.uuid),
        "status": task.status,
        "status_label": str(task.get_status_display()),
        "note": task.note,
        "done_at": task.done_at.isoformat() if task.done_at else None,
        "done_by": (task.done_by.full_name or task.done_by.username) if task.done_by else "",
        "version": str(task.version),
    }


def task_done(actor: User, payload: dict[str, Any], base_version: str | None, now: datetime.datetime) -> str:
    task = access_my_task(actor, record_id(payload, "task"))
    try:
        expected = int(base_version) if base_version not in (None, "") else None
    except ValueError:
        raise ValidationError({"base_version": _("Unknown version.")}) from None
    is_disinfection = task.kind == TaskKind.DISINFECTION
    data = _disinfection(payload, now) if is_disinfection else None
    try:
        do_complete_task(
            actor,
            task,
            note=text(payload, "note"),
            now=now,
            base_version=expected,
            disinfection=data,
            photo=None if is_disinfection else photo_of(payload),  # a disinfection's photo is on its record
        )
    except StaleTask as exc:
        raise Conflict(task_state(exc.current), str(exc.current.version)) from None
    return str(task.uuid)


def household_visit(
    actor: User, payload: dict[str, Any], base_version: str | None, now: datetime.datetime
) -> str:
    """入户排查 recorded offline: the visit as the phone loaded it (`base_version`, "" for not visited) must still
    be the server's, or the device sees both (another worker visited meanwhile)."""
    from fangkong.screening.public import household_visit_state, mark_household_visited

    campaign, household = record_id(payload, "campaign"), record_id(payload, "household")
    current = household_visit_state(actor, campaign, household)
    if base_version is not None and version_of(current) != base_version:
        raise Conflict(current or {}, version_of(current))
    visited_on = local_date(instant(payload, "visited_at", now))
    return mark_household_visited(
        actor,
        campaign_uuid=campaign,
        household_uuid=household,
        visited_on=visited_on,
        people_present=integer(payload, "people_present", required=False) or 0,
        returnees_found=integer(payload, "returnees_found", required=False) or 0,
        note=text(payload, "note", 200),
        now=now,
    )


def push_verification(
    actor: User, payload: dict[str, Any], base_version: str | None, now: datetime.datetime
) -> str:
    """A push item verified offline: an item verified meanwhile (or changed since `base_version`) is a conflict."""
    from fangkong.pushlists.public import push_item_state, verify_push_item

    item = record_id(payload, "item")
    current = push_item_state(actor, item)
    if current["outcome"] or (base_version is not None and version_of(current) != base_version):
        raise Conflict(current, version_of(current))
    return verify_push_item(
        actor,
        item,
        outcome=text(payload, "outcome", 20),
        note=text(payload, "note", 500),
        measure_code=text(payload, "measure_code", 40),
        now=now,
    )


def follow_up(actor: User, payload: dict[str, Any], base_version: str | None, now: datetime.datetime) -> str:
    """每日随访 recorded offline (control): an order released, moved to hospital or re-dated since the phone loaded
    it is a conflict; otherwise the follow-up goes through control's own action, alerts included."""
    from fangkong.control.public import follow_up_state, record_follow_up

    order = record_id(payload, "order")
    current = follow_up_state(actor, order)
    if base_version is not None and version_of(current) != base_version:
        raise Conflict(current, version_of(current))
    symptoms = payload.get("symptoms") or []
    if not isinstance(symptoms, list) or not all(isinstance(s, str) for s in symptoms):
        raise ValidationError({"symptoms": _("Choose the symptoms from the list.")})
    return record_follow_up(
        actor,
        order,
        temperature=text(payload, "temperature", 5),
        symptoms=symptoms,
        at_home=bool(payload.get("at_home", True)),
        note=text(payload, "note", 200),
        now=instant(payload, "recorded_at", now),
    )


def checkpoint_crossing(
    actor: User, payload: dict[str, Any], base_version: str | None, now: datetime.datetime
) -> str:
    """查验登记 recorded offline at a checkpoint: registered as of when the phone recorded it. Crossings are only
    added: nothing to conflict with."""
    from fangkong.checkpoints.public import register_crossing_from_phone

    return register_crossing_from_phone(actor, payload, recorded_at=device_time(payload, "recorded_at", now))


def sample(actor: User, payload: dict[str, Any], base_version: str | None, now: datetime.datetime) -> str:
    """采样 recorded offline at a desk: the person found by the scanned ID number when the phone sends it (an ID
    number not registered in the collector's jurisdiction is refused then, and the phone shows why)."""
    from fangkong.testing.public import Scan, register_scanned_sample

    scan = Scan(
        point=str(record_id(payload, "point")),
        barcode=text(payload, "barcode", 40),
        id_number=text(payload, "id_number", 18),
        capacity=integer(payload, "capacity") or 0,
        purpose=text(payload, "purpose", 20),
        round=text(payload, "round", 36),
        key_group=text(payload, "key_group", 40),
        desk=integer(payload, "desk", required=False) or 1,
        resample_reason=text(payload, "resample_reason", 200),
    )
    member = register_scanned_sample(actor, scan, now=device_time(payload, "sampled_at", now))
    return str(member.tube.uuid)


def tube_close(actor: User, payload: dict[str, Any], base_version: str | None, now: datetime.datetime) -> str:
    """A pool closed by hand on the phone (after its last people were sent)."""
    from fangkong.testing.public import close_scanned_tube

    return close_scanned_tube(
        actor,
        point=str(record_id(payload, "point")),
        barcode=text(payload, "barcode", 40),
        now=device_time(payload, "closed_at", now),
    )
