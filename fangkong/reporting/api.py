"""/api/v1/reports/: the day summary (for the briefing), reports, filing, review, urgent reports."""

from __future__ import annotations

import datetime
import uuid
from dataclasses import asdict
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, prefetch_related_objects
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from fangkong.accounts.access import acting_user, jurisdiction, require
from fangkong.accounts.permissions import Perm
from fangkong.lib import reporting_day
from fangkong.lib.dates import day_error, parse_day
from fangkong.lib.schemas import InputSchema
from fangkong.reporting import actions
from fangkong.reporting.access import access_report, access_unit, access_urgent, reports_for
from fangkong.reporting.completeness import completeness
from fangkong.reporting.forms import PeriodForm
from fangkong.reporting.models import DailyReport, ReportValue, UrgentReport
from fangkong.reporting.summary import day_summary, district_root

router = Router(tags=["reporting"])


class ErrorOut(Schema):
    detail: Any


def _values() -> Prefetch:
    """A report's figures with their indicators: one query for a whole list of reports."""
    return Prefetch("values", queryset=ReportValue.objects.select_related("indicator"))


class ReportOut(Schema):
    uuid: uuid.UUID
    region_code: str
    region_name: str
    day: datetime.date
    state: str
    status: str
    is_zero: bool
    is_late: bool
    has_discrepancy: bool
    revision: int
    version: int
    submitted_at: datetime.datetime | None
    values: dict[str, int]
    source_values: dict[str, int]

    @staticmethod
    def build(report: DailyReport) -> ReportOut:
        # A list prefetched them already (then this is a no-op); a single report reads them here.
        prefetch_related_objects([report], _values())
        rows = list(report.values.all())
        return ReportOut(
            uuid=report.uuid,
            region_code=report.region.code,
            region_name=report.region.name,
            day=report.day,
            state=report.state,
            status=report.current_status(timezone.now()),
            is_zero=report.is_zero,
            is_late=report.is_late,
            has_discrepancy=report.has_discrepancy,
            revision=report.revision,
            version=report.version if report.is_submitted else 0,
            submitted_at=report.submitted_at,
            values={v.indicator.code: v.value for v in rows},
            source_values={v.indicator.code: v.source_value for v in rows if v.source_value is not None},
        )


class ReportIn(InputSchema):
    """A filing names its day: a request that arrives after midnight still files for the day it was meant
    for (or is refused when that day is over), and a returned report is corrected for its own day."""

    unit_code: str
    day: datetime.date
    values: dict[str, int | None] = {}
    is_zero: bool = False
    reason: str = ""
    # The version the client last read (0: not yet submitted); when given, a save over a newer filing is a 400.
    version: int | None = None


class ReviewIn(InputSchema):
    approve: bool
    comment: str = ""


class UrgentIn(InputSchema):
    kind: str
    text: str


class UrgentOut(Schema):
    uuid: uuid.UUID
    region_code: str
    kind: str
    text: str
    sent_at: datetime.datetime
    acknowledged_at: datetime.datetime | None
    escalated_at: datetime.datetime | None

    @staticmethod
    def build(r: UrgentReport) -> UrgentOut:
        return UrgentOut(
            uuid=r.uuid,
            region_code=r.region.code,
            kind=r.kind,
            text=r.text,
            sent_at=r.sent_at,
            acknowledged_at=r.acknowledged_at,
            escalated_at=r.escalated_at,
        )


def _day_errors(**days: datetime.date | None) -> dict[str, list[str]]:
    """Errors for the given days that lie outside the span the system has data for."""
    return {name: [day_error()] for name, day in days.items() if day is not None and parse_day(day) is None}


@router.get("/summary", response={200: dict[str, Any], 400: ErrorOut})
def summary(request: HttpRequest, day: datetime.date | None = None) -> Status[Any]:
    """The district's day summary; only for users whose jurisdiction is the whole district."""
    region = require(request.user, Perm.BRIEFING_VIEW)
    root = district_root()
    if root is None or region.pk != root.pk:
        raise Http404
    if errors := _day_errors(day=day):
        return Status(400, {"detail": errors})
    now = timezone.now()
    return Status(200, asdict(day_summary(day or reporting_day.reporting_day(now), now=now)))


@router.get("/completeness", response={200: dict[str, Any], 400: ErrorOut})
def completeness_api(
    request: HttpRequest, start: datetime.date | None = None, end: datetime.date | None = None
) -> Status[Any]:
    """Completeness over start..end (default: the current reporting day), by the period page's rules."""
    require(request.user, Perm.REPORT_VIEW)
    root = jurisdiction(request.user)
    assert root is not None  # noqa: S101 - require() passed
    period = PeriodForm({"start": start or "", "end": end or ""})
    if not period.is_valid():
        return Status(400, {"detail": period.errors.get_json_data()})
    now = timezone.now()
    start = period.cleaned_data.get("start") or reporting_day.reporting_day(now)
    end = period.cleaned_data.get("end") or start
    if end < start:  # only `end` given, before today: the page's rule for a reversed period
        return Status(400, {"detail": {"end": [_("The start comes after the end.")]}})
    result = completeness(root, start, end, now)
    return Status(
        200,
        {
            "start": result.start,
            "end": result.end,
            "total": result.total.as_dict(),
            "rows": [{"region_code": r.code, "region_name": r.name, **t.as_dict()} for r, t in result.rows],
        },
    )


@router.get("/reports", response={200: list[ReportOut], 400: ErrorOut})
def list_reports(request: HttpRequest, day: datetime.date | None = None) -> Status[Any]:
    if errors := _day_errors(day=day):
        return Status(400, {"detail": errors})
    day = day or reporting_day.reporting_day(timezone.now())
    qs = reports_for(request.user).filter(day=day).prefetch_related(_values()).order_by("region__path")
    return Status(200, [ReportOut.build(r) for r in qs[:1000]])


@router.get("/reports/{report_uuid}", response=ReportOut)
def read_report(request: HttpRequest, report_uuid: uuid.UUID) -> ReportOut:
    return ReportOut.build(access_report(request.user, report_uuid))


@router.post("/reports", response={201: ReportOut, 400: ErrorOut})
def file_report(request: HttpRequest, payload: ReportIn) -> Status[Any]:
    unit = access_unit(request.user, payload.unit_code, Perm.REPORT_FILE)
    if errors := _day_errors(day=payload.day):
        return Status(400, {"detail": errors})
    now = timezone.now()
    try:
        report = actions.do_file_report(
            acting_user(request),
            unit,
            payload.day,
            payload.values,
            now=now,
            is_zero=payload.is_zero,
            reason=payload.reason,
            version=payload.version,
        )
    except ValidationError as exc:
        return Status(400, {"detail": exc.message_dict})
    return Status(201, ReportOut.build(report))


@router.post("/reports/{report_uuid}/review", response={200: ReportOut, 400: ErrorOut})
def review_report(request: HttpRequest, report_uuid: uuid.UUID, payload: ReviewIn) -> Status[Any]:
    report = access_report(request.user, report_uuid, Perm.REPORT_REVIEW)
    try:
        report = actions.do_review_report(
            acting_user(request), report, approve=payload.approve, comment=payload.comment, now=timezone.now()
        )
    except ValidationError as exc:
        return Status(400, {"detail": exc.message_dict})
    return Status(200, ReportOut.build(report))


@router.post("/urgent", response={201: UrgentOut, 400: ErrorOut})
def send_urgent(request: HttpRequest, payload: UrgentIn) -> Status[Any]:
    region = require(request.user, Perm.URGENT_SEND)
    try:
        report = actions.do_send_urgent(
            acting_user(request), region, payload.kind, payload.text, now=timezone.now()
        )
    except ValidationError as exc:
        return Status(400, {"detail": exc.message_dict})
    return Status(201, UrgentOut.build(report))


@router.post("/urgent/{report_uuid}/ack", response={200: UrgentOut, 400: ErrorOut})
def acknowledge_urgent(request: HttpRequest, report_uuid: uuid.UUID) -> Status[Any]:
    report = access_urgent(request.user, report_uuid, Perm.URGENT_ACK)
    try:
        report = actions.do_acknowledge_urgent(acting_user(request), report, now=timezone.now())
    except ValidationError as exc:
        return Status(400, {"detail": exc.message_dict})
    return Status(200, UrgentOut.build(report))
