"""/api/v1/supervision/: rectification items of the jurisdiction, overdue first, as the list page shows them.

Units, places and findings only: no inspector or reporter is named. Scoped: `?region=` outside is 404."""

from __future__ import annotations

import datetime
import math
from typing import Literal
from uuid import UUID

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from fangkong.accounts.access import access_region, require, within
from fangkong.accounts.permissions import Perm
from fangkong.lib.reporting_day import local_date
from fangkong.lib.schemas import InputSchema
from fangkong.supervision.access import items_for
from fangkong.supervision.models import RectificationItem

router = Router(tags=["supervision"])


class ItemOut(Schema):
    uuid: UUID
    region_code: str
    region_name: str
    place_kind: str
    place_name: str
    description: str
    kind: str
    status: str
    due_on: datetime.date | None
    overdue: bool
    found_at: datetime.datetime
    reported_at: datetime.datetime | None
    closed_at: datetime.datetime | None

    @staticmethod
    def build(item: RectificationItem, today: datetime.date) -> ItemOut:
        return ItemOut(
            uuid=item.uuid,
            region_code=item.region.code,
            region_name=item.region.name,
            place_kind=item.place_kind,
            place_name=item.place_name,
            description=item.description,
            kind=item.kind,
            status=item.status,
            due_on=item.due_on,
            overdue=item.is_overdue(today),
            found_at=item.found_at,
            reported_at=item.reported_at,
            closed_at=item.closed_at,
        )


class ItemPage(Schema):
    count: int
    page: int
    pages: int
    results: list[ItemOut]


class ItemFilters(InputSchema):
    region: str = Field("", max_length=40)
    status: Literal["", "open", "reported", "closed", "overdue"] = ""
    page: int = Field(1, ge=1)
    page_size: int = Field(50, ge=1, le=200)


@router.get("/items", response=ItemPage)
def items(request: HttpRequest, filters: Query[ItemFilters]) -> ItemPage:
    """整改事项: overdue first (oldest due day first), then open, reported, closed."""
    root = require(request.user, Perm.SUPERVISION_VIEW)
    code = filters.region.strip()
    unit = access_region(request.user, code, Perm.SUPERVISION_VIEW) if code else root
    today = local_date(timezone.now())
    qs = items_for(request.user).filter(within(unit))
    if filters.status == "overdue":
        qs = qs.overdue(today)
    elif filters.status:
        qs = qs.filter(status=filters.status)
    count = qs.count()
    start = (filters.page - 1) * filters.page_size
    page = list(qs.overdue_first(today)[start : start + filters.page_size])
    return ItemPage(
        count=count,
        page=filters.page,
        pages=max(1, math.ceil(count / filters.page_size)),
        results=[ItemOut.build(item, today) for item in page],
    )
