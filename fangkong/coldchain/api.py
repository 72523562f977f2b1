"""/api/v1/coldchain/: imported lots, read-only and scoped to the jurisdiction (COLDCHAIN_VIEW); newest arrivals
first, at most `limit` (≤ 500)."""

from __future__ import annotations

import datetime
import uuid as uuid_

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from fangkong.accounts.access import require
from fangkong.accounts.permissions import Perm
from fangkong.coldchain.access import access_enterprise, access_lot, lots_for
from fangkong.coldchain.models import ImportedLot

router = Router(tags=["coldchain"])
MAX_ROWS = 500


class LotFilters(Schema):
    status: str = Field("", pattern="^(|arrived|held|released|destroyed)$")
    enterprise: uuid_.UUID | None = None
    limit: int = Field(100, ge=1, le=MAX_ROWS)


class LotOut(Schema):
    uuid: uuid_.UUID
    enterprise: uuid_.UUID
    enterprise_name: str
    unit_code: str
    product: str
    origin_country: str
    port: str
    quantity: str
    arrived_on: datetime.date
    trace_code: str
    test_result: str
    test_reference: str
    disinfection_certificate: str
    disinfected_at: datetime.datetime | None
    status: str
    status_changed_at: datetime.datetime | None
    # Why the lot may not be released yet (`test`, `disinfection`); empty when it may.
    release_problems: list[str]

    @staticmethod
    def build(lot: ImportedLot) -> LotOut:
        return LotOut(
            uuid=lot.uuid,
            enterprise=lot.enterprise.uuid,
            enterprise_name=lot.enterprise.name,
            unit_code=lot.region.code,
            product=lot.product,
            origin_country=lot.origin_country,
            port=lot.port,
            quantity=lot.quantity,
            arrived_on=lot.arrived_on,
            trace_code=lot.trace_code,
            test_result=lot.test_result,
            test_reference=lot.test_reference,
            disinfection_certificate=lot.disinfection_certificate,
            disinfected_at=lot.disinfected_at,
            status=lot.status,
            status_changed_at=lot.status_changed_at,
            release_problems=lot.release_problems(),
        )


@router.get("/lots", response=list[LotOut])
def list_lots(request: HttpRequest, filters: Query[LotFilters]) -> list[LotOut]:
    require(request.user, Perm.COLDCHAIN_VIEW)
    qs = lots_for(request.user).select_related("region")
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.enterprise is not None:
        qs = qs.filter(enterprise=access_enterprise(request.user, filters.enterprise))
    return [LotOut.build(lot) for lot in qs.order_by("-arrived_on", "-id")[: filters.limit]]


@router.get("/lots/{lot_uuid}", response=LotOut)
def read_lot(request: HttpRequest, lot_uuid: uuid_.UUID) -> LotOut:
    lot = access_lot(request.user, lot_uuid)
    return LotOut.build(ImportedLot.objects.select_related("enterprise", "region").get(pk=lot.pk))
