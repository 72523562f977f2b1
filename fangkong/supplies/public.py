"""What other apps may call in supplies (architecture.md: domain apps call each other's small public modules).

`draw_items` is the draw the testing app makes when a pool closes (its sampling tubes leave the testing point's
warehouse). It is idempotent by `ref` (the pool's uuid): a retried job draws once.
"""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _

from fangkong.accounts.models import User
from fangkong.regions.models import Region
from fangkong.supplies.actions import InsufficientStock, do_issue
from fangkong.supplies.models import Movement, SupplyItem, Warehouse

__all__ = ["InsufficientStock", "NoWarehouse", "draw_items", "warehouse_for"]


class NoWarehouse(LookupError):
    pass


def warehouse_for(region: Region) -> Warehouse | None:
    """The unit's own warehouse, or the nearest one above it (a testing point draws from its township's store)."""
    codes = list(reversed(region.ancestor_codes()))
    found = {
        w.region.code: w
        for w in Warehouse.objects.filter(region__code__in=codes, is_active=True)
        .select_related("region")
        .order_by("-id")
    }
    return next((found[c] for c in codes if c in found), None)


def draw_items(
    *,
    region: Region,
    item_code: str,
    quantity: int,
    reason: str,
    ref: str,
    now: datetime.datetime,
    actor: User | None = None,
) -> list[Movement]:
    """Issue `quantity` of the item `item_code` (e.g. "sampling_tube") from the warehouse of `region`.

    Raises `NoWarehouse` when no warehouse serves the unit, `InsufficientStock` (a ValidationError) when stock
    would go negative — nothing is written then. Repeating a draw with the same `ref` returns the first one.
    """
    warehouse = warehouse_for(region)
    if warehouse is None:
        raise NoWarehouse(_("No warehouse serves %(unit)s.") % {"unit": region.name})
    item = SupplyItem.objects.get(code=item_code)
    return do_issue(actor, warehouse, item, quantity=quantity, reason=reason, now=now, ref=ref)
