"""Offline submissions (离线提交): a phone records work without a connection and replays it later.

Each record carries a uuid made on the device. `do_submit` claims that uuid (a unique `Submission` row) and stores
the record in ONE transaction, so a replay — or two posts of the same uuid racing — stores one record: the loser
of the race hits the unique key, and both get the one record back. A kind names the owning app's action; its
handler checks `base_version` (what the device loaded) against what the server holds now and raises `Conflict`
with the server's version instead of overwriting a newer change.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import hashlib
import io
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from fangkong.accounts.models import User
from fangkong.fieldwork.actions import CLOCK_SKEW, MAX_RECORD_AGE
from fangkong.fieldwork.models import Submission
from fangkong.lib.photos import CleanPhoto, clean_photo


class Conflict(Exception):
    """The record changed on the server since the device loaded it: `server` is its state now."""

    def __init__(self, server: dict[str, Any], version: str) -> None:
        super().__init__("conflict")
        self.server = server
        self.version = version


Handler = Callable[[User, dict[str, Any], str | None, datetime.datetime], str]
_HANDLERS: dict[str, Handler] = {}


def register_kind(kind: str, handler: Handler) -> None:
    """`handler(actor, payload, base_version, now) -> record uuid` stores one record through its app's action;
    raises ValidationError (bad input, Chinese messages), Http404 (outside the actor's reach) or Conflict."""
    _HANDLERS[kind] = handler


def kinds() -> list[str]:
    return sorted(_HANDLERS)


def version_of(state: dict[str, Any] | None) -> str:
    """A record's version token for records without a counter of their own: a digest of what the device sees
    ("" for no record yet)."""
    if state is None:
        return ""
    return hashlib.sha256(json.dumps(state, sort_keys=True, default=str).encode()).hexdigest()[:16]


@dataclass
class Outcome:
    record_uuid: str
    replayed: bool
    kind: str
    server: dict[str, Any] = field(default_factory=dict)


def do_submit(
    actor: User,
    *,
    submission_uuid: uuid.UUID,
    kind: str,
    payload: dict[str, Any],
    base_version: str | None,
    now: datetime.datetime,
) -> Outcome:
    """Store the device's record once. Raises ValidationError, Http404 or Conflict; nothing is stored then (the
    device keeps the record and shows why)."""
    existing = Submission.objects.filter(uuid=submission_uuid).first()
    if existing is not None:
        return _replay(actor, existing)
    handler = _HANDLERS.get(kind)
    if handler is None:
        raise ValidationError({"kind": _("Unknown kind of record.")})
    if actor.region is None:
        raise Http404
    # A photo is decoded and re-encoded in a child process before the transaction, never inside it.
    payload = {**payload, "photo": photo_of(payload)}
    try:
        with transaction.atomic():
            # The claim first: a concurrent post of the same uuid waits here and then fails on the unique key.
            submission = Submission.objects.create(
                uuid=submission_uuid, kind=kind, user=actor, region=actor.region, received_at=now
            )
            record_uuid = handler(actor, payload, base_version, now)
            submission.record_uuid = record_uuid
            submission.save(update_fields=["record_uuid"])
    except IntegrityError:
        existing = Submission.objects.filter(uuid=submission_uuid).first()
        if existing is None:
            raise
        return _replay(actor, existing)
    return Outcome(record_uuid=record_uuid, replayed=False, kind=kind)


def _replay(actor: User, existing: Submission) -> Outcome:
    if existing.user_id != actor.pk:  # another device's uuid: as if unknown, never its record
        raise Http404
    return Outcome(record_uuid=existing.record_uuid, replayed=True, kind=existing.kind)


# ---------------------------------------------------------------------------------------------------
# Helpers for handlers


def text(payload: dict[str, Any], key: str, limit: int = 300) -> str:
    value = payload.get(key, "")
    return str(value).strip()[:limit] if value is not None else ""


def integer(payload: dict[str, Any], key: str, *, required: bool = True) -> int | None:
    value = payload.get(key)
    if value in (None, "") and not required:
        return None
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        raise ValidationError({key: _("Enter a whole number.")}) from None


def instant(payload: dict[str, Any], key: str, default: datetime.datetime) -> datetime.datetime:
    value = payload.get(key)
    if value in (None, ""):
        return default
    parsed = parse_datetime(str(value))
    if parsed is None or parsed.tzinfo is None:
        raise ValidationError({key: _("Give the time with its time zone.")})
    return parsed


def photo_of(payload: dict[str, Any]) -> CleanPhoto | None:
    """The record's optional photo: the phone sends it as a data URL (`data:image/jpeg;base64,…`), scaled down on
    the device; it is checked and re-encoded like every uploaded photo (lib/photos.py)."""
    value = payload.get("photo")
    if isinstance(value, CleanPhoto):
        return value
    if not value:
        return None
    head, _sep, body = str(value).partition(",")
    if not (head.startswith("data:image/") and head.endswith(";base64")):
        raise ValidationError({"photo": _("Upload a photo as JPEG, PNG or WebP.")})
    try:
        data = base64.b64decode(body, validate=True)
    except (binascii.Error, ValueError):
        raise ValidationError({"photo": _("This file is not a photo that can be read.")}) from None
    try:
        return clean_photo(io.BytesIO(data), len(data))
    except ValidationError as exc:
        raise ValidationError({"photo": exc.messages}) from None


def device_time(payload: dict[str, Any], key: str, now: datetime.datetime) -> datetime.datetime:
    """When the phone recorded the work (its own clock, with its time zone): at most ten minutes ahead of the
    server, and within the last seven days (a phone offline over a weekend); `now` when not given."""
    at = instant(payload, key, now)
    if at > now + CLOCK_SKEW:
        raise ValidationError({key: _("The phone's clock is ahead: check its date and time.")})
    if at < now - MAX_RECORD_AGE:
        raise ValidationError({key: _("Records older than seven days are not accepted from a phone.")})
    return at


def record_id(payload: dict[str, Any], key: str) -> uuid.UUID:
    try:
        return uuid.UUID(str(payload.get(key, "")))
    except ValueError:
        raise Http404 from None
