"""/api/v1/control/: control orders of the caller's jurisdiction (read only)."""

from __future__ import annotations

import uuid
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from fangkong.accounts.access import in_unit, require
from fangkong.accounts.permissions import Perm
from fangkong.control import days
from fangkong.control.access import access_order, orders_for
from fangkong.control.models import OrderStatus
from fangkong.control.schemas import ErrorOut, OrderOut
from fangkong.lib.reporting_day import local_date
from fangkong.lib.schemas import InputSchema

router = Router(tags=["control"])
MAX_LIMIT = 200


class OrderFilters(InputSchema):
    status: str = OrderStatus.ACTIVE.value
    unit: str | None = None
    limit: int = 50
    offset: int = 0


@router.get("/orders", response={200: list[OrderOut], 400: ErrorOut})
def list_orders(request: HttpRequest, filters: Query[OrderFilters]) -> Status[Any]:
    """Orders of the caller's jurisdiction (or of one unit in it, `unit=<code>`), newest start first, each with
    its stage today; `status` active (default), released, hospital, cancelled or all."""
    require(request.user, Perm.CONTROL_VIEW)
    if filters.status not in [*OrderStatus.values, "all"]:
        return Status(400, {"detail": {"status": [_("Choose a status.")]}})
    if not 1 <= filters.limit <= MAX_LIMIT or filters.offset < 0:
        return Status(400, {"detail": {"limit": [_("Ask for 1 to 200 orders, from offset 0 on.")]}})
    qs = orders_for(request.user).select_related("person", "region", "protocol")
    if filters.unit:
        qs = in_unit(qs, request.user, filters.unit, perm=Perm.CONTROL_VIEW)
    if filters.status != "all":
        qs = qs.filter(status=filters.status)
    page = list(qs.order_by("-start_day", "-id")[filters.offset : filters.offset + filters.limit])
    all_plans = days.plans()
    today = local_date(timezone.now())
    return Status(200, [OrderOut.build(o, all_plans.get(o.protocol_id), today) for o in page])


@router.get("/orders/{order_uuid}", response=OrderOut)
def get_order(request: HttpRequest, order_uuid: uuid.UUID) -> OrderOut:
    order = access_order(request.user, order_uuid)
    return OrderOut.build(order, order.plan, local_date(timezone.now()))
