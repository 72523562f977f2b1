"""/api/v1/supplies/: stock per warehouse of a unit (usable and on hand, against the reorder threshold) and the
lots expiring within 30 days — what the unit's page warns about. Scoped: `?region=` outside is 404."""

from __future__ import annotations

import datetime
from collections import defaultdict
from uuid import UUID

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from fangkong.accounts.access import within
from fangkong.lib.reporting_day import local_date
from fangkong.lib.schemas import InputSchema
from fangkong.supplies.access import unit_for, warehouses_for
from fangkong.supplies.levels import expiring_lots, stocks_with_levels
from fangkong.supplies.models import Lot, Stock

router = Router(tags=["supplies"])


class ExpiringLotOut(Schema):
    uuid: UUID
    number: str
    expires_on: datetime.date | None
    balance: int


class StockOut(Schema):
    item_code: str
    item_name: str
    unit_of_measure: str
    usable: int
    on_hand: int
    reorder_threshold: int
    below_threshold: bool
    expiring_lots: list[ExpiringLotOut]


class WarehouseOut(Schema):
    uuid: UUID
    name: str
    region_code: str
    region_name: str
    stocks: list[StockOut]


class StockFilters(InputSchema):
    region: str = Field("", max_length=40)


@router.get("/stock", response=list[WarehouseOut])
def stock(request: HttpRequest, filters: Query[StockFilters]) -> list[WarehouseOut]:
    """Every active warehouse inside the unit, with each item's stock (three queries, whatever the size)."""
    unit = unit_for(request.user, filters.region.strip())
    today = local_date(timezone.now())
    warehouses = list(warehouses_for(request.user).filter(within(unit)).order_by("region__path", "name"))
    stocks = stocks_with_levels(
        Stock.objects.filter(warehouse__in=warehouses).select_related("item"), today
    ).order_by("item__name", "id")
    lots: dict[int, list[ExpiringLotOut]] = defaultdict(list)
    for lot in expiring_lots(Lot.objects.filter(stock__warehouse__in=warehouses), today).order_by(
        "expires_on"
    ):
        lots[lot.stock_id].append(
            ExpiringLotOut(uuid=lot.uuid, number=lot.number, expires_on=lot.expires_on, balance=lot.balance)  # type: ignore[attr-defined]
        )
    by_warehouse: dict[int, list[StockOut]] = defaultdict(list)
    for s in stocks:
        usable: int = s.usable  # type: ignore[attr-defined] # annotated by stocks_with_levels
        by_warehouse[s.warehouse_id].append(
            StockOut(
                item_code=s.item.code,
                item_name=s.item.name,
                unit_of_measure=s.item.unit_of_measure,
                usable=usable,
                on_hand=s.on_hand,  # type: ignore[attr-defined]
                reorder_threshold=s.reorder_threshold,
                below_threshold=s.reorder_threshold > 0 and usable < s.reorder_threshold,
                expiring_lots=lots.get(s.pk, []),
            )
        )
    return [
        WarehouseOut(
            uuid=w.uuid,
            name=w.name,
            region_code=w.region.code,
            region_name=w.region.name,
            stocks=by_warehouse.get(w.pk, []),
        )
        for w in warehouses
    ]
