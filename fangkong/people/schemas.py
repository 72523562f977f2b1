from __future__ import annotations

import datetime
import uuid
from typing import Any

from ninja import Field, Schema

from fangkong.lib.schemas import InputSchema, column_length
from fangkong.people.models import Household, Person


class PersonOut(Schema):
    """A person as the API shows them: document number and phone masked unless revealed."""

    uuid: uuid.UUID
    name: str
    document_type: str
    document_number: str
    sex: str
    # Without a reveal only the birth year: the full birth date is what the masked ID number hides.
    birth_year: int | None
    birth_date: datetime.date | None = Field(None, description="Only when revealed (`reveal=true`).")
    phone: str
    address: str
    region_code: str
    region_name: str
    household_number: str | None
    version: int

    @staticmethod
    def build(person: Person, revealed: dict[str, Any] | None = None) -> PersonOut:
        revealed = revealed or {}
        return PersonOut(
            uuid=person.uuid,
            name=person.name,
            document_type=person.document_type,
            document_number=revealed.get("document_number", person.masked_document),
            sex=person.sex,
            birth_year=person.birth_year,
            birth_date=revealed.get("birth_date"),
            phone=revealed.get("phone", person.masked_phone),
            address=person.address,
            region_code=person.region.code,
            region_name=person.region.name,
            household_number=person.household.number if person.household else None,
            version=person.version,
        )


class PersonIn(InputSchema):
    name: str = Field(max_length=column_length(Person, "name"))
    region_code: str
    document_type: str = "resident_id"
    document_number: str = ""
    phone: str = ""
    address: str = Field("", max_length=column_length(Person, "address"))
    household_number: str = Field("", max_length=column_length(Household, "number"))


class PersonPatch(InputSchema):
    """Send back the `version` read with the person to refuse a save over someone else's change (409)."""

    version: int | None = None
    name: str | None = Field(None, max_length=column_length(Person, "name"))
    region_code: str | None = None
    document_type: str | None = None
    document_number: str | None = None
    phone: str | None = None
    address: str | None = Field(None, max_length=column_length(Person, "address"))
    household_number: str | None = Field(None, max_length=column_length(Household, "number"))


class PersonPage(Schema):
    count: int
    count_capped: bool
    next: str | None
    results: list[PersonOut]


class ErrorOut(Schema):
    detail: dict[str, list[str]] | str
