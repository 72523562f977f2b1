"""/api/v1/checkpoints/: the checkpoints in view, and crossing registrations from scanners."""

from __future__ import annotations

import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Status

from fangkong.accounts.access import acting_user, require
from fangkong.accounts.permissions import Perm
from fangkong.checkpoints.access import access_for_registration, checkpoints_for
from fangkong.checkpoints.actions import CrossingInput, TravellerInput, do_register_crossing
from fangkong.checkpoints.public import destination
from fangkong.checkpoints.schemas import CheckpointOut, CrossingIn, CrossingOut, ErrorOut

router = Router(tags=["checkpoints"])


@router.get("/", response=list[CheckpointOut])
def list_checkpoints(request: HttpRequest) -> list[CheckpointOut]:
    require(request.user, Perm.CHECKPOINT_VIEW)
    return [
        CheckpointOut(
            uuid=c.uuid,
            name=c.name,
            kind=c.kind,
            status=c.status,
            unit_code=c.region.code,
            findings_count=c.findings_count,
        )
        for c in checkpoints_for(request.user).order_by("name", "id")[:500]
    ]


@router.get("/ping")
def ping(request: HttpRequest) -> dict[str, bool]:
    """A bare authenticated answer (the benchmark's baseline for the crossing endpoint)."""
    return {"ok": True}


@router.post("/{checkpoint_uuid}/crossings", response={201: CrossingOut, 400: ErrorOut})
def register_crossing(request: HttpRequest, checkpoint_uuid: uuid.UUID, payload: CrossingIn) -> Status[Any]:
    """Register a crossing (a person, or a vehicle with its occupants) at a checkpoint the user staffs."""
    checkpoint = access_for_registration(request.user, checkpoint_uuid)
    try:
        data = CrossingInput(
            kind=payload.kind,
            plate=payload.plate,
            origin=payload.origin,
            destination=payload.destination,
            destination_region=destination(payload.destination_region),
            travellers=[TravellerInput(**t.dict()) for t in payload.travellers],
        )
        crossing = do_register_crossing(acting_user(request), checkpoint, data, now=timezone.now())
    except ValidationError as exc:
        return Status(400, {"detail": exc.message_dict})
    return Status(201, CrossingOut.build(crossing, checkpoint))
