from __future__ import annotations

import datetime

from django.utils import timezone

from fangkong.regions.models import Region
from fangkong.supplies.actions import do_create_warehouse, do_receive
from fangkong.supplies.models import Movement, SupplyItem, Warehouse


def warehouse(region: Region, name: str = "王助镇物资库") -> Warehouse:
    return do_create_warehouse(None, region, name=name, address="", now=timezone.now())  # type: ignore[arg-type]


def item(code: str = "n95_mask") -> SupplyItem:
    return SupplyItem.objects.get(code=code)


def receive(
    w: Warehouse,
    quantity: int,
    *,
    code: str = "n95_mask",
    lot: str = "L1",
    expires_on: datetime.date | None = None,
    now: datetime.datetime | None = None,
) -> Movement:
    return do_receive(
        None,
        w,
        item(code),
        quantity=quantity,
        lot_number=lot,
        expires_on=expires_on,
        reason="调拨入库",
        now=now or timezone.now(),
    )
