"""Reading warehouses, stock and movements: scoped to the user's jurisdiction, 404 outside."""

from __future__ import annotations

import uuid

from django.db.models import QuerySet

from fangkong.accounts.access import AnyUser, access_region, get_scoped_or_404, require, scoped
from fangkong.accounts.permissions import Perm
from fangkong.regions.models import Region
from fangkong.supplies.models import Lot, Movement, Warehouse


def unit_for(user: AnyUser, code: str, perm: Perm = Perm.SUPPLIES_VIEW) -> Region:
    root = require(user, perm)
    return access_region(user, code, perm) if code else root


def warehouses_for(user: AnyUser, perm: Perm = Perm.SUPPLIES_VIEW) -> QuerySet[Warehouse]:
    return scoped(Warehouse.objects.filter(is_active=True).select_related("region"), user, perm)


def access_warehouse(
    user: AnyUser, warehouse_uuid: uuid.UUID | str, perm: Perm = Perm.SUPPLIES_VIEW
) -> Warehouse:
    return get_scoped_or_404(
        Warehouse.objects.filter(is_active=True).select_related("region"), user, perm, uuid=warehouse_uuid
    )


def access_lot(user: AnyUser, warehouse: Warehouse, lot_uuid: uuid.UUID | str, perm: Perm) -> Lot:
    """A lot of `warehouse` (already fetched through `access_warehouse`)."""
    return get_scoped_or_404(
        Lot.objects.filter(stock__warehouse=warehouse).select_related("stock__item"),
        user,
        perm,
        via="stock__warehouse__region",
        uuid=lot_uuid,
    )


def movements_for(user: AnyUser) -> QuerySet[Movement]:
    return scoped(Movement.objects.all(), user, Perm.SUPPLIES_VIEW, via="stock__warehouse__region")
