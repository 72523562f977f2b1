"""/api/v1/push-lists/: batches with per-township figures, the items of the user's unit, verify, dispatch.

Personal numbers are masked as in the pages.
"""

from __future__ import annotations

import datetime
from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

from fangkong.accounts.access import access_region, acting_user
from fangkong.accounts.models import User
from fangkong.accounts.permissions import Perm
from fangkong.lib.masking import mask_document
from fangkong.lib.schemas import InputSchema, column_length
from fangkong.pushlists import progress
from fangkong.pushlists.access import access_batch, access_item, batches_for, items_for, owns_batch
from fangkong.pushlists.actions import do_assign, do_dispatch, do_verify
from fangkong.pushlists.models import PushBatch, PushItem
from fangkong.pushlists.views import ITEM_FILTERS, _filtered, _minute, batch_table, counted_page

router = Router(tags=["pushlists"])


class ErrorOut(Schema):
    detail: Any


class TownshipOut(Schema):
    township_code: str | None
    township_name: str | None
    received: int
    dispatched: int
    verified: int
    overdue: int


class BatchOut(Schema):
    """The `rows_*` counts cover the whole file: null unless the user's office imported the batch."""

    uuid: UUID
    name: str
    status: str
    created_at: datetime.datetime
    deadline_hours: int
    rows_total: int | None
    rows_imported: int | None
    rows_error: int | None
    rows_unroutable: int | None
    progress_done: int
    progress_total: int

    @staticmethod
    def build(batch: PushBatch, *, own: bool) -> BatchOut:
        done, total = progress.read(batch.uuid)
        return BatchOut(
            uuid=batch.uuid,
            name=batch.name,
            status=batch.status,
            created_at=batch.created_at,
            deadline_hours=batch.deadline_hours,
            rows_total=batch.rows_total if own else None,
            rows_imported=batch.rows_imported if own else None,
            rows_error=batch.rows_error if own else None,
            rows_unroutable=batch.rows_unroutable if own else None,
            progress_done=done,
            progress_total=total,
        )


class BatchDetailOut(BatchOut):
    townships: list[TownshipOut]


class ItemOut(Schema):
    uuid: UUID
    batch_uuid: UUID
    row_number: int
    name: str
    id_number: str
    origin: str
    arrival: str
    region_code: str
    region_name: str
    assigned_to: str | None
    deadline_at: datetime.datetime
    outcome: str
    outcome_note: str
    measure_code: str
    verified_at: datetime.datetime | None

    @staticmethod
    def build(item: PushItem) -> ItemOut:
        return ItemOut(
            uuid=item.uuid,
            batch_uuid=item.batch.uuid,
            row_number=item.row_number,
            name=item.name,
            id_number=mask_document(item.id_number),
            origin=item.origin,
            arrival=item.arrival,
            region_code=item.region.code,
            region_name=item.region.name,
            assigned_to=str(item.assigned_to) if item.assigned_to else None,
            deadline_at=item.deadline_at,
            outcome=item.outcome,
            outcome_note=item.outcome_note,
            measure_code=item.measure_code,
            verified_at=item.verified_at,
        )


class ItemPage(Schema):
    count: int
    page: int
    pages: int
    results: list[ItemOut]


class ItemFilters(InputSchema):
    status: str = "pending"
    page: int = 1
    page_size: int = 50


class VerifyIn(InputSchema):
    outcome: str
    note: str = ""
    measure_code: str = Field("", max_length=column_length(PushItem, "measure_code"))
    # Where the person is registered when the outcome says they are here and the item is not at a village
    # or grid (issue 11): a village or grid code inside the caller's jurisdiction.
    person_region_code: str = Field("", max_length=40)


class DispatchIn(InputSchema):
    items: list[UUID]
    region_code: str = ""
    worker_uuid: UUID | None = None


class DispatchOut(Schema):
    moved: int


@router.get("/batches", response=list[BatchOut])
def list_batches(request: HttpRequest) -> list[BatchOut]:
    batches = batches_for(request.user).order_by("-created_at", "-id")[:100]
    return [BatchOut.build(b, own=owns_batch(request.user, b)) for b in batches]


@router.get("/batches/{batch_uuid}", response=BatchDetailOut)
def read_batch(request: HttpRequest, batch_uuid: UUID) -> BatchDetailOut:
    batch = access_batch(request.user, batch_uuid)
    rows = [
        TownshipOut(
            township_code=row.region.code if row.region else None,
            township_name=row.region.name if row.region else None,
            received=row.received,
            dispatched=row.dispatched,
            verified=row.verified,
            overdue=row.overdue,
        )
        for row in batch_table(acting_user(request), batch)
    ]
    return BatchDetailOut(**BatchOut.build(batch, own=owns_batch(request.user, batch)).dict(), townships=rows)


@router.get("/items", response={200: ItemPage, 400: ErrorOut})
def list_items(request: HttpRequest, filters: Query[ItemFilters]) -> Status[Any]:
    if filters.status not in ITEM_FILTERS:
        return Status(400, {"detail": {"status": list(ITEM_FILTERS)}})
    qs = _filtered(items_for(request.user), filters.status, _minute()).order_by("deadline_at", "id")
    page = counted_page(qs, max(1, min(filters.page_size, 200)), filters.page)
    return Status(
        200,
        {
            "count": page.paginator.count,
            "page": page.number,
            "pages": page.paginator.num_pages,
            "results": [ItemOut.build(i) for i in page],
        },
    )


@router.post("/items/{item_uuid}/verify", response={200: ItemOut, 400: ErrorOut})
def verify_item(request: HttpRequest, item_uuid: UUID, payload: VerifyIn) -> Status[Any]:
    item = access_item(request.user, item_uuid, Perm.PUSHLIST_VERIFY)
    try:
        item = do_verify(
            acting_user(request),
            item,
            outcome=payload.outcome,
            note=payload.note,
            measure_code=payload.measure_code,
            person_region=access_region(request.user, payload.person_region_code)
            if payload.person_region_code
            else None,
            now=timezone.now(),
        )
    except ValidationError as exc:
        return Status(400, {"detail": exc.message_dict})
    return Status(200, ItemOut.build(access_item(request.user, item.uuid)))


@router.post("/items/dispatch", response={200: DispatchOut, 400: ErrorOut})
def dispatch_items(request: HttpRequest, payload: DispatchIn) -> Status[Any]:
    user = acting_user(request)
    chosen = list(items_for(user, Perm.PUSHLIST_DISPATCH).filter(uuid__in=payload.items))
    if not payload.items or len(chosen) != len(set(payload.items)):
        raise Http404
    try:
        if payload.worker_uuid is not None:
            worker = User.objects.select_related("region").filter(uuid=payload.worker_uuid).first()
            if worker is None:
                raise Http404
            moved = do_assign(user, chosen, worker, timezone.now())
        elif payload.region_code:
            moved = do_dispatch(user, chosen, access_region(user, payload.region_code), timezone.now())
        else:
            return Status(400, {"detail": {"target": ["region_code or worker_uuid"]}})
    except ValidationError as exc:
        return Status(400, {"detail": exc.message_dict})
    return Status(200, {"moved": moved})
