"""/api/v1/testing/: sample registration for scanners and lab results for lab systems."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Status
from pydantic import Field

from fangkong.accounts.access import acting_user, require
from fangkong.accounts.permissions import Perm
from fangkong.lib.masking import mask_document
from fangkong.lib.reporting_day import SHANGHAI
from fangkong.lib.schemas import InputSchema
from fangkong.testing.actions import (
    RESULT_WORDS,
    ResultErrors,
    ResultRow,
    do_record_results,
)
from fangkong.testing.models import Purpose
from fangkong.testing.public import Scan, register_scanned_sample

router = Router(tags=["testing"])


class SampleIn(InputSchema):
    point: uuid.UUID
    barcode: str = Field(max_length=40)
    id_number: str = Field(max_length=18)
    capacity: int = 1
    purpose: str = Purpose.ROUND
    round: uuid.UUID | None = None
    key_group: str = Field("", max_length=40)
    reference: str = Field("", max_length=100)
    desk: int = Field(1, ge=1, le=50)
    resample_reason: str = Field("", max_length=200)


class SampleOut(InputSchema):
    tube: uuid.UUID
    barcode: str
    position: int
    capacity: int
    tube_status: str
    person: uuid.UUID
    person_name: str
    document: str  # masked


class ErrorOut(InputSchema):
    detail: Any


@router.post("/samples", response={201: SampleOut, 400: ErrorOut, 404: ErrorOut})
def register_sample(request: HttpRequest, body: SampleIn) -> Status[Any]:
    """One person into one tube (opened with `capacity` when the barcode is new); a full pool closes."""
    require(request.user, Perm.TESTING_SAMPLE)
    scan = Scan(**{**body.dict(), "point": str(body.point), "round": str(body.round or "")})
    try:
        member = register_scanned_sample(acting_user(request), scan, now=timezone.now())
    except ValidationError as exc:
        return Status(400, {"detail": exc.message_dict})
    person = member.subject
    tube = member.tube
    return Status(
        201,
        {
            "tube": tube.uuid,
            "barcode": tube.barcode,
            "position": member.position,
            "capacity": tube.capacity,
            "tube_status": tube.status,
            "person": person.uuid,
            "person_name": person.name,
            "document": mask_document(person.document_number),
        },
    )


class ResultIn(InputSchema):
    barcode: str = Field(max_length=40)
    result: str = Field(max_length=20)
    resulted_at: datetime.datetime | None = None
    lab: str = Field("", max_length=100)
    ct_orf1ab: float | None = Field(None, gt=0, lt=50)
    ct_n: float | None = Field(None, gt=0, lt=50)


class ResultsIn(InputSchema):
    results: list[ResultIn] = Field(max_length=10_000)


class BatchOut(InputSchema):
    batch: uuid.UUID
    rows: int


@router.post("/results", response={201: BatchOut, 400: ErrorOut})
def post_results(request: HttpRequest, body: ResultsIn) -> Status[Any]:
    """Lab results, all or nothing; the same list posted twice is recorded once."""
    require(request.user, Perm.TESTING_MANAGE)
    now = timezone.now()
    rows, errors = [], []
    for n, r in enumerate(body.results, start=1):
        result = RESULT_WORDS.get(r.result.strip().lower())
        moment = r.resulted_at or now
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=SHANGHAI)
        if result is None:
            errors.append([n, r.barcode, "result"])
            continue
        rows.append(ResultRow(n, r.barcode.strip(), result, moment, r.lab, r.ct_orf1ab, r.ct_n))
    if errors:
        return Status(400, {"detail": {"rows": errors}})
    try:
        batch = do_record_results(acting_user(request), rows, now=now)
    except ResultErrors as exc:
        return Status(400, {"detail": {"rows": [list(e) for e in exc.rows]}})
    except ValidationError as exc:
        return Status(400, {"detail": exc.message_dict if hasattr(exc, "error_dict") else exc.messages})
    return Status(201, {"batch": batch.uuid, "rows": batch.rows_total})


@router.get("/ping")
def ping(request: HttpRequest) -> dict[str, bool]:
    """A bare authenticated answer: the sampling benchmark's baseline (same token read, same middleware)."""
    return {"ok": True}
