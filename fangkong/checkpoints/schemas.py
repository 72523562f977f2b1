"""JSON shapes of the checkpoint API. Document numbers and phones are masked on the way out."""

from __future__ import annotations

import datetime
import uuid as uuid_
from decimal import Decimal

from ninja import Field, Schema

from fangkong.checkpoints.models import Checkpoint, Crossing, Traveller
from fangkong.lib.schemas import InputSchema, column_length


class TravellerIn(InputSchema):
    name: str = Field("", max_length=column_length(Traveller, "name"))
    document_number: str = Field("", max_length=column_length(Traveller, "document_number"))
    phone: str = Field("", max_length=column_length(Traveller, "phone"))
    is_driver: bool = False
    health_code: str = Field(max_length=20)
    trip_star: bool = False
    trip_cities: str = Field("", max_length=column_length(Traveller, "trip_cities"))
    vaccination: str = Field("unknown", max_length=10)
    temperature: Decimal
    temperature_again: Decimal | None = None
    wears_mask: bool = True
    disposition: str = Field(max_length=10)
    clinic: str = Field("", max_length=100)


class CrossingIn(InputSchema):
    kind: str = Field(max_length=10)
    plate: str = Field("", max_length=column_length(Crossing, "plate"))
    origin: str = Field(max_length=column_length(Crossing, "origin"))
    destination: str = Field("", max_length=column_length(Crossing, "destination"))
    # Code of the village or grid the travellers go to (needed for "register with the grid").
    destination_region: str = Field("", max_length=20)
    travellers: list[TravellerIn] = Field(min_length=1, max_length=60)


class TravellerOut(Schema):
    name: str
    document_number: str  # masked
    health_code: str
    temperature: Decimal
    temperature_again: Decimal | None
    fever: bool
    disposition: str
    returnee_receipt: str


class CrossingOut(Schema):
    uuid: uuid_.UUID
    checkpoint: uuid_.UUID
    kind: str
    plate: str
    origin: str
    origin_risk_level: str
    registered_at: datetime.datetime
    travellers: list[TravellerOut]

    @staticmethod
    def build(crossing: Crossing, checkpoint: Checkpoint) -> CrossingOut:
        return CrossingOut(
            uuid=crossing.uuid,
            checkpoint=checkpoint.uuid,
            kind=crossing.kind,
            plate=crossing.plate,
            origin=crossing.origin,
            origin_risk_level=crossing.origin_risk_level,
            registered_at=crossing.registered_at,
            travellers=[
                TravellerOut(
                    name=t.name,
                    document_number=t.masked_document,
                    health_code=t.health_code.code,
                    temperature=t.temperature,
                    temperature_again=t.temperature_again,
                    fever=t.fever,
                    disposition=t.disposition,
                    returnee_receipt=t.returnee_receipt,
                )
                for t in _travellers(crossing)
            ],
        )


def _travellers(crossing: Crossing) -> list[Traveller]:
    """The crossing's travellers in order: those the registration left loaded, else one query."""
    if "travellers" in getattr(crossing, "_prefetched_objects_cache", {}):
        return sorted(crossing.travellers.all(), key=lambda t: t.pk)
    return list(crossing.travellers.select_related("health_code").order_by("id"))


class CheckpointOut(Schema):
    uuid: uuid_.UUID
    name: str
    kind: str
    status: str
    unit_code: str
    findings_count: int


class ErrorOut(Schema):
    detail: dict[str, list[str]] | str
