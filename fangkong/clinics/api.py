"""/api/v1/clinics/: registrations (fever patients, medicine buyers) and follow-up tasks, read-only and scoped to
the jurisdiction (a facility's staff: their facility). Document numbers and phones are masked; newest first,
at most `limit` (≤ 500) rows."""

from __future__ import annotations

import datetime
import uuid as uuid_
from decimal import Decimal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from fangkong.accounts.access import require
from fangkong.accounts.permissions import Perm
from fangkong.clinics.access import access_facility, follow_ups_for, records_for

router = Router(tags=["clinics"])
MAX_ROWS = 500


class RecordFilters(Schema):
    facility: uuid_.UUID | None = None
    kind: str = Field("", pattern="^(|fever_patient|drug_purchase)$")
    limit: int = Field(100, ge=1, le=MAX_ROWS)


class RecordOut(Schema):
    uuid: uuid_.UUID
    facility: uuid_.UUID
    facility_name: str
    kind: str
    person: uuid_.UUID
    name: str
    document_number: str  # masked
    temperature: Decimal | None
    symptoms: str
    sampled: bool
    medicine: str
    from_ledger: bool
    registered_at: datetime.datetime
    follow_up_due_at: datetime.datetime | None
    follow_up_done_at: datetime.datetime | None


@router.get("/registrations", response=list[RecordOut])
def list_registrations(request: HttpRequest, filters: Query[RecordFilters]) -> list[RecordOut]:
    """Fever patients and medicine buyers registered at the facilities in view."""
    require(request.user, Perm.CLINICS_VIEW)
    qs = records_for(request.user).select_related("facility", "person", "follow_up")
    if filters.facility is not None:
        qs = qs.filter(facility=access_facility(request.user, filters.facility))
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    rows = []
    for r in qs.order_by("-registered_at", "-id")[: filters.limit]:
        task = getattr(r, "follow_up", None)
        rows.append(
            RecordOut(
                uuid=r.uuid,
                facility=r.facility.uuid,
                facility_name=r.facility.name,
                kind=r.kind,
                person=r.person.uuid,
                name=r.person.name,
                document_number=r.person.masked_document,
                temperature=r.temperature,
                symptoms=r.symptoms,
                sampled=r.sampled,
                medicine=r.medicine,
                from_ledger=r.from_ledger,
                registered_at=r.registered_at,
                follow_up_due_at=task.due_at if task else None,
                follow_up_done_at=task.done_at if task else None,
            )
        )
    return rows


class FollowUpFilters(Schema):
    # open: not done yet; overdue: not done and past due; done; all.
    state: str = Field("open", pattern="^(open|overdue|done|all)$")
    limit: int = Field(100, ge=1, le=MAX_ROWS)


class FollowUpOut(Schema):
    uuid: uuid_.UUID
    person: uuid_.UUID
    name: str
    document_number: str  # masked
    phone: str  # masked
    unit_code: str
    unit_name: str
    assigned_to: str
    facility_name: str
    record_kind: str
    due_at: datetime.datetime
    done_at: datetime.datetime | None
    overdue: bool
    outcome: str


@router.get("/follow-ups", response=list[FollowUpOut])
def list_follow_ups(request: HttpRequest, filters: Query[FollowUpFilters]) -> list[FollowUpOut]:
    """Follow-up tasks about people of the jurisdiction (a grid worker: their grid), by due time."""
    require(request.user, Perm.CLINICS_FOLLOW_UP)
    now = timezone.now()
    qs = follow_ups_for(request.user)
    if filters.state == "open":
        qs = qs.filter(done_at__isnull=True)
    elif filters.state == "overdue":
        qs = qs.filter(done_at__isnull=True, due_at__lt=now)
    elif filters.state == "done":
        qs = qs.filter(done_at__isnull=False)
    order = ("-done_at", "-id") if filters.state == "done" else ("due_at", "id")
    return [
        FollowUpOut(
            uuid=t.uuid,
            person=t.person.uuid,
            name=t.person.name,
            document_number=t.person.masked_document,
            phone=t.person.masked_phone,
            unit_code=t.region.code,
            unit_name=t.region.name,
            assigned_to=t.assigned_to.get_username() if t.assigned_to else "",
            facility_name=t.record.facility.name,
            record_kind=t.record.kind,
            due_at=t.due_at,
            done_at=t.done_at,
            overdue=t.is_overdue(now),
            outcome=t.outcome,
        )
        for t in qs.order_by(*order)[: filters.limit]
    ]
