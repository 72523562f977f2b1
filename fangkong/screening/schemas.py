"""JSON shapes of the screening API; personal numbers leave masked."""

from __future__ import annotations

import datetime
from typing import Any
from uuid import UUID

from ninja import Field, Schema

from fangkong.lib.masking import mask_phone
from fangkong.lib.schemas import InputSchema, column_length
from fangkong.people.models import Household, Person
from fangkong.screening.models import ReturneeReport


class ReturneeOut(Schema):
    """A returnee report as the API shows it."""

    uuid: UUID
    receipt_number: str
    channel: str
    person_uuid: UUID
    person_name: str
    document_number: str
    phone: str
    region_code: str
    origin: str
    origin_risk_level: str
    origin_starred: bool
    status: str
    return_date: datetime.date
    transport_mode: str
    transport_number: str
    symptoms: str
    negative_test: bool
    negative_test_date: datetime.date | None
    recovered_case: bool
    close_contact: bool
    contact_name: str
    contact_phone: str
    proposed_measure: str | None
    assigned_to: str | None
    double_report_complete: bool | None
    created_at: datetime.datetime

    @staticmethod
    def build(report: ReturneeReport) -> ReturneeOut:
        has_self: Any = getattr(report, "has_self", None)
        has_grid: Any = getattr(report, "has_grid", None)
        return ReturneeOut(
            uuid=report.uuid,
            receipt_number=report.receipt_number,
            channel=report.channel,
            person_uuid=report.person.uuid,
            person_name=report.reported_name,
            document_number=report.masked_document,
            phone=report.masked_reported_phone,
            region_code=report.region.code,
            origin=report.origin,
            origin_risk_level=report.origin_risk_level,
            origin_starred=report.origin_starred,
            status=report.status,
            return_date=report.return_date,
            transport_mode=report.transport_mode,
            transport_number=report.transport_number,
            symptoms=report.symptoms,
            negative_test=report.negative_test,
            negative_test_date=report.negative_test_date,
            recovered_case=report.recovered_case,
            close_contact=report.close_contact,
            contact_name=report.contact_name,
            contact_phone=mask_phone(report.contact_phone),
            proposed_measure=report.proposed_measure.code if report.proposed_measure else None,
            assigned_to=str(report.assigned_to) if report.assigned_to else None,
            double_report_complete=bool(has_self and has_grid) if has_self is not None else None,
            created_at=report.created_at,
        )


class ReturneePage(Schema):
    count: int
    page: int
    pages: int
    results: list[ReturneeOut]


class ReturneeIn(InputSchema):
    """A grid report (网格报告). The self-report channel is the public page only."""

    region_code: str
    name: str = Field(max_length=column_length(Person, "name"))
    document_type: str = "resident_id"
    document_number: str = Field(max_length=column_length(Person, "document_number"))
    phone: str = ""
    household_number: str = Field("", max_length=column_length(Household, "number"))
    address: str = Field("", max_length=column_length(ReturneeReport, "address"))
    origin_province: str = Field(max_length=column_length(ReturneeReport, "origin_province"))
    origin_city: str = Field("", max_length=column_length(ReturneeReport, "origin_city"))
    origin_county: str = Field("", max_length=column_length(ReturneeReport, "origin_county"))
    origin_township: str = Field("", max_length=column_length(ReturneeReport, "origin_township"))
    origin_village: str = Field("", max_length=column_length(ReturneeReport, "origin_village"))
    status: str
    return_date: datetime.date
    reason: str = Field("", max_length=column_length(ReturneeReport, "reason"))
    transport_mode: str
    transport_number: str = Field("", max_length=column_length(ReturneeReport, "transport_number"))
    symptoms: str = Field("", max_length=column_length(ReturneeReport, "symptoms"))
    negative_test: bool = False
    negative_test_date: datetime.date | None = None
    travel_history: str = ""
    recovered_case: bool = False
    close_contact: bool = False
    contact_name: str = Field("", max_length=column_length(ReturneeReport, "contact_name"))
    contact_phone: str = ""


class ErrorOut(Schema):
    detail: Any
