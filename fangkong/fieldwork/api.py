"""/api/v1/field/: the offline submissions of the field pages (session-authenticated, CSRF-checked).

POST /api/v1/field/submissions {uuid, kind, payload, base_version}
  201 stored · 200 the same uuid again (the record stored the first time) · 409 changed on the server since
  `base_version` (both versions in the answer) · 400 bad input (Chinese messages) · 404 outside the user's reach.
GET /api/v1/field/reference: what the phone caches for offline work (the user's own grid or tasks only).
"""

from __future__ import annotations

import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.security import django_auth

from fangkong.accounts.access import acting_user
from fangkong.fieldwork.reference import reference_for
from fangkong.fieldwork.submissions import Conflict, do_submit
from fangkong.lib.schemas import InputSchema

router = Router(tags=["field work"], auth=django_auth)


class SubmissionIn(InputSchema):
    uuid: uuid.UUID
    kind: str = Field(max_length=30)
    payload: dict[str, Any]
    base_version: str | None = Field(None, max_length=64)


class SubmissionOut(Schema):
    uuid: uuid.UUID
    kind: str
    record: str
    replayed: bool


class ConflictOut(Schema):
    detail: str
    server: dict[str, Any]
    server_version: str
    device: dict[str, Any]
    device_version: str | None


class ErrorOut(Schema):
    detail: Any


@router.post(
    "/submissions", response={200: SubmissionOut, 201: SubmissionOut, 400: ErrorOut, 409: ConflictOut}
)
def submit(request: HttpRequest, body: SubmissionIn) -> Status[Any]:
    actor = acting_user(request)
    try:
        outcome = do_submit(
            actor,
            submission_uuid=body.uuid,
            kind=body.kind,
            payload=body.payload,
            base_version=body.base_version,
            now=timezone.now(),
        )
    except ValidationError as exc:
        return Status(400, {"detail": exc.message_dict if hasattr(exc, "error_dict") else exc.messages})
    except Conflict as exc:
        return Status(
            409,
            {
                "detail": _("This record was changed on the server after you loaded it."),
                "server": exc.server,
                "server_version": exc.version,
                "device": {k: v for k, v in body.payload.items() if k != "photo"},
                "device_version": body.base_version,
            },
        )
    answer = {
        "uuid": body.uuid,
        "kind": outcome.kind,
        "record": outcome.record_uuid,
        "replayed": outcome.replayed,
    }
    return Status(200 if outcome.replayed else 201, answer)


@router.get("/reference")
def reference(request: HttpRequest) -> dict[str, Any]:
    return reference_for(acting_user(request), timezone.now())
