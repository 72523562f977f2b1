"""Stock levels and warnings, read from the movements: below the reorder threshold, lots expiring within 30 days.

These are what the unit's page warns about and what the daily report counts (防疫物资短缺项数). A lot past its
expiry date is not usable stock: it counts neither towards the threshold nor as something to draw.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import F, IntegerField, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce

from fangkong.accounts.access import within
from fangkong.regions.models import Region
from fangkong.supplies.models import EXPIRY_WARNING_DAYS, Lot, Stock


def _usable(day: datetime.date, at: datetime.datetime | None) -> Coalesce:
    q = Q(movements__lot__expires_on__isnull=True) | Q(movements__lot__expires_on__gte=day)
    if at is not None:
        q &= Q(movements__at__lte=at)
    return Coalesce(Sum("movements__quantity", filter=q), Value(0), output_field=IntegerField())


def stocks_with_levels(
    stocks: QuerySet[Stock], day: datetime.date, at: datetime.datetime | None = None
) -> QuerySet[Stock]:
    """`stocks` annotated with `usable` (not expired on `day`) and `on_hand` (every lot) quantities."""
    on_hand_filter = Q(movements__at__lte=at) if at is not None else Q()
    return stocks.annotate(
        usable=_usable(day, at),
        on_hand=Coalesce(
            Sum("movements__quantity", filter=on_hand_filter), Value(0), output_field=IntegerField()
        ),
    )


def in_region(region: Region) -> QuerySet[Stock]:
    return Stock.objects.filter(within(region, via="warehouse__region"), warehouse__is_active=True)


def below_threshold(
    stocks: QuerySet[Stock], day: datetime.date, at: datetime.datetime | None = None
) -> QuerySet[Stock]:
    return stocks_with_levels(stocks, day, at).filter(  # type: ignore[misc] # `usable` is the annotation above
        reorder_threshold__gt=0, usable__lt=F("reorder_threshold")
    )


def expiring_lots(
    lots: QuerySet[Lot], day: datetime.date, at: datetime.datetime | None = None
) -> QuerySet[Lot]:
    """Lots still holding stock that expire within the warning window (or have expired)."""
    q = Q(movements__at__lte=at) if at is not None else Q()
    return (
        lots.filter(expires_on__lte=day + datetime.timedelta(days=EXPIRY_WARNING_DAYS))
        .annotate(
            balance=Coalesce(Sum("movements__quantity", filter=q), Value(0), output_field=IntegerField())
        )
        .filter(balance__gt=0)
    )


def lots_in_region(region: Region) -> QuerySet[Lot]:
    return Lot.objects.filter(
        within(region, via="stock__warehouse__region"), stock__warehouse__is_active=True
    )


def shortages(region: Region, day: datetime.date, at: datetime.datetime) -> int:
    """防疫物资短缺项数: items of warehouses in `region` whose usable stock is below their reorder threshold."""
    return below_threshold(in_region(region), day, at).count()


def lots_expiring(region: Region, day: datetime.date, at: datetime.datetime) -> int:
    return expiring_lots(lots_in_region(region), day, at).count()


@dataclass
class Warnings:
    short: list[Stock]
    expiring: list[Lot]

    def __bool__(self) -> bool:
        return bool(self.short or self.expiring)


def warnings_for(region: Region, day: datetime.date) -> Warnings:
    short = list(
        below_threshold(in_region(region), day)
        .select_related("item", "warehouse")
        .order_by("warehouse__name", "item__name")
    )
    expiring = list(
        expiring_lots(lots_in_region(region), day)
        .select_related("stock__item", "stock__warehouse")
        .order_by("expires_on", "id")
    )
    return Warnings(short, expiring)
