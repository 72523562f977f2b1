"""Writing the audit trail. Domain actions call `record` inside their own transaction, so a change and
its audit row commit or roll back together."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import connections, models, router
from django.utils import timezone

from fangkong.audit.middleware import current_ip
from fangkong.audit.models import AuditAction, AuditEvent, AuditImmutableError
from fangkong.regions.models import Region

Changes = dict[str, list[Any]]


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def snapshot(
    instance: models.Model, fields: Iterable[str], masks: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """Field values fit for the audit log; fields in `masks` are passed through their masking function."""
    masks = masks or {}
    data = {}
    for name in fields:
        value = getattr(instance, name)
        data[name] = masks[name](value) if name in masks and value else _plain(value)
    return data


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> Changes:
    return {k: [before.get(k), after.get(k)] for k in after if before.get(k) != after.get(k)}


def record(
    actor: Any,
    action: AuditAction,
    *,
    obj: models.Model | None = None,
    region: Region | None = None,
    changes: Changes | None = None,
    note: str = "",
    label: str = "",
    ip: str | None = None,
    now: datetime.datetime | None = None,
) -> AuditEvent:
    """Append one audit event. `obj` supplies type, uuid, label and (if it has one) region."""
    object_type, object_uuid = "", None
    if obj is not None:
        object_type = obj._meta.label_lower
        object_uuid = getattr(obj, "uuid", None)
        label = label or str(obj)[:200]
        if region is None:
            region = (
                getattr(obj, "region", None) if isinstance(getattr(obj, "region", None), Region) else None
            )
    user = actor if getattr(actor, "is_authenticated", False) else None
    return event(
        AuditEvent(
            at=now or timezone.now(),
            actor=user,
            actor_name=(user.get_username() if user else ""),
            ip=ip or current_ip.get(),
            action=action,
            object_type=object_type,
            object_uuid=object_uuid,
            object_label=label[:200],
            region=region,
            changes=changes or {},
            note=note,
        )
    )


def record_many(
    actor: Any,
    action: AuditAction,
    objects: Iterable[tuple[models.Model, Changes]],
    *,
    now: datetime.datetime | None = None,
) -> int:
    """`record` for many objects of one bulk action (one event each, written in one statement): (obj, changes)
    pairs; each event has the object's type, uuid, label and region as `record` gives them. Returns the count."""
    user = actor if getattr(actor, "is_authenticated", False) else None
    at, ip = now or timezone.now(), current_ip.get()
    events = []
    for obj, changes in objects:
        region = getattr(obj, "region", None)
        events.append(
            AuditEvent(
                at=at,
                actor=user,
                actor_name=(user.get_username() if user else ""),
                ip=ip,
                action=action,
                object_type=obj._meta.label_lower,
                object_uuid=getattr(obj, "uuid", None),
                object_label=str(obj)[:200],
                region=region if isinstance(region, Region) else None,
                changes=changes or {},
            )
        )
    AuditEvent.objects.bulk_create(events, batch_size=1000)
    return len(events)


# Every column but the key, in the model's order; the INSERT is built once per database alias.
_EVENT_FIELDS = [f for f in AuditEvent._meta.concrete_fields if not f.primary_key]
_event_sql: dict[str, str] = {}


def event(new: AuditEvent) -> AuditEvent:
    """Insert one new (unsaved) audit event with one plain `INSERT … RETURNING id` and give it its key.

    The writer of single audit rows (`record` builds the event, then calls this; `record_many` bulk-inserts): no `save()` machinery and no
    model signals, so a scanner's registration pays for its audit row what the row costs. Values are adapted
    by the fields themselves (UUIDs, aware times, JSON) for SQLite (≥ 3.35) and PostgreSQL alike."""
    if new.pk is not None:
        raise AuditImmutableError("audit events cannot be changed")
    alias = router.db_for_write(AuditEvent)
    connection = connections[alias]
    sql = _event_sql.get(alias)
    if sql is None:
        qn = connection.ops.quote_name
        columns = ", ".join(qn(f.column) for f in _EVENT_FIELDS)
        marks = ", ".join(["%s"] * len(_EVENT_FIELDS))
        pk = qn(AuditEvent._meta.pk.column)
        sql = f"INSERT INTO {qn(AuditEvent._meta.db_table)} ({columns}) VALUES ({marks}) RETURNING {pk}"  # noqa: S608
        _event_sql[alias] = sql
    values = [f.get_db_prep_save(f.pre_save(new, True), connection) for f in _EVENT_FIELDS]
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        new.pk = cursor.fetchone()[0]
    new._state.adding = False
    new._state.db = alias
    return new
