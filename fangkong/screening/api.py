"""/api/v1/screening/: returnee reports — list (filterable, paginated), create a grid report, read."""

from __future__ import annotations

import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Status

from fangkong.accounts.access import access_region, acting_user, require
from fangkong.accounts.permissions import Perm
from fangkong.lib.schemas import InputSchema
from fangkong.screening.access import access_report, reports_for
from fangkong.screening.actions import ReturneeInput, do_register_returnee
from fangkong.screening.models import Channel
from fangkong.screening.schemas import ErrorOut, ReturneeIn, ReturneeOut, ReturneePage
from fangkong.screening.views import page_of

router = Router(tags=["screening"])


class ReturneeFilters(InputSchema):
    status: str = ""
    risk: str = ""
    double: str = ""
    measure: str = ""
    page: int = 1
    page_size: int = 50


@router.get("/returnees", response=ReturneePage)
def list_returnees(request: HttpRequest, filters: Query[ReturneeFilters]) -> dict[str, Any]:
    require(request.user, Perm.SCREENING_VIEW)
    qs = reports_for(request.user)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.risk == "starred":
        qs = qs.filter(origin_starred=True)
    elif filters.risk == "none":
        qs = qs.filter(origin_risk_level="", origin_starred=False)
    elif filters.risk:
        qs = qs.filter(origin_risk_level=filters.risk)
    if filters.double == "complete":
        qs = qs.with_double_report().filter(Q(has_self=True) & Q(has_grid=True))
    elif filters.double == "incomplete":
        qs = qs.with_double_report().exclude(Q(has_self=True) & Q(has_grid=True))
    if filters.measure:
        qs = qs.filter(proposed_measure__code=filters.measure)
    page = page_of(qs, max(1, min(filters.page_size, 200)), filters.page)
    return {
        "count": page.paginator.count,
        "page": page.number,
        "pages": page.paginator.num_pages,
        "results": [ReturneeOut.build(r) for r in page.object_list],
    }


@router.post("/returnees", response={201: ReturneeOut, 400: ErrorOut})
def create_returnee(request: HttpRequest, payload: ReturneeIn) -> Status[Any]:
    region = access_region(request.user, payload.region_code, Perm.SCREENING_REGISTER)
    data = ReturneeInput(**payload.dict(exclude={"region_code"}))
    try:
        report = do_register_returnee(
            acting_user(request), channel=Channel.GRID, region=region, data=data, now=timezone.now()
        )
    except ValidationError as exc:
        return Status(400, {"detail": exc.message_dict})
    report = reports_for(request.user).with_double_report().get(pk=report.pk)
    return Status(201, ReturneeOut.build(report))


@router.get("/returnees/{report_uuid}", response=ReturneeOut)
def read_returnee(request: HttpRequest, report_uuid: uuid.UUID) -> ReturneeOut:
    report = access_report(request.user, report_uuid)
    return ReturneeOut.build(reports_for(request.user).with_double_report().get(pk=report.pk))
