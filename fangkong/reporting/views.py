"""Reporting pages: home, filing, report detail and review, completeness, accountability, urgent reports,
notifications and form maintenance. Each view parses input, fetches through `access`, calls one action."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.forms import Form
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from fangkong.accounts.access import access_region, acting_user, has_perm, jurisdiction, require
from fangkong.accounts.models import User
from fangkong.accounts.permissions import Perm
from fangkong.lib import reporting_day
from fangkong.lib.dates import parse_day
from fangkong.lib.web import add_errors
from fangkong.reporting import actions, sources
from fangkong.reporting.access import (
    access_accountability,
    access_report,
    access_unit,
    access_urgent,
    accountability_for,
    notifications_for,
    reports_for,
    units_for,
    urgent_for,
    urgent_read_perm,
)
from fangkong.reporting.completeness import completeness, late_or_missing
from fangkong.reporting.forms import (
    DecideForm,
    ExplainForm,
    FilingForm,
    IndicatorForm,
    PeriodForm,
    PublishForm,
    ReviewForm,
    UrgentForm,
)
from fangkong.reporting.models import (
    CLOSED_STATES,
    AccountabilityRecord,
    AccountabilityState,
    DailyReport,
    Indicator,
    ReportForm,
    ReportState,
    ReportStatus,
    status_at,
)


@require_GET
@login_required
def home(request: HttpRequest) -> HttpResponse:
    root = require(request.user, Perm.REPORT_VIEW)
    now = timezone.now()
    day = reporting_day.reporting_day(now)
    own = reports_for(request.user).filter(region=root, day=day).first()
    is_unit = units_for(request.user).filter(pk=root.pk).exists()
    to_review = (
        reports_for(request.user, Perm.REPORT_REVIEW)
        .filter(state=ReportState.SUBMITTED)
        .exclude(region=root)
        .order_by("-day", "region__path")[:20]
    )
    notes = notifications_for(request.user)
    return render(
        request,
        "reporting/home.html",
        {
            "day": day,
            "deadline": reporting_day.deadline(day),
            "now": now,
            "own": own,
            "is_unit": is_unit,
            "own_status": own.current_status(now) if own else status_at(day, now),
            "to_review": to_review,
            "unread": notes.unread().count(),
            "notifications": notes[:5],
            "open_accountability": accountability_for(request.user).exclude(state__in=CLOSED_STATES).count(),
            "can_file": has_perm(request.user, Perm.REPORT_FILE),
            "can_forms": has_perm(request.user, Perm.REPORT_FORMS),
        },
    )


def _filed_message(report: DailyReport) -> str:
    """Says which day the figures went to, and how they were recorded."""
    values = {"day": date_format(report.day, "SHORT_DATE_FORMAT")}
    if report.revision:
        return _("The correction of the report of %(day)s was saved.") % values
    if report.is_late:
        if report.is_zero:
            return _("Zero report of %(day)s filed. It came in after 12:00 and is recorded as late.") % values
        return _("Report of %(day)s filed. It came in after 12:00 and is recorded as late.") % values
    if report.is_zero:
        return _("Zero report of %(day)s filed.") % values
    return _("Report of %(day)s filed.") % values


@require_http_methods(["GET", "POST"])
@login_required
def file_report(request: HttpRequest) -> HttpResponse:
    """File (or correct) the report of the user's unit, or of a unit below given by ?unit=code, for the day
    given by ?day= (default: today). The day is carried in the form, so a late post files for that day."""
    root = require(request.user, Perm.REPORT_FILE)
    unit = access_unit(request.user, request.GET.get("unit") or root.code, Perm.REPORT_FILE)
    now = timezone.now()
    today = reporting_day.reporting_day(now)
    form_def = ReportForm.current()
    if form_def is None:
        raise Http404
    # The day shown: the posted one when it is valid, else ?day=, else today. A malformed ?day= is today.
    day = parse_day(request.POST.get("day") or request.GET.get("day") or "") or today
    indicators = list(form_def.active_indicators())
    existing = DailyReport.objects.filter(region=unit, day=day).first()
    if existing is not None and existing.is_submitted:
        initial = {v.indicator.code: v.value for v in existing.values.select_related("indicator")}
    else:
        initial = actions.prefill(unit, day, form_def, now=now)
    # The 系统数据 badge marks only figures the system computes itself; roll-ups of the units below are
    # prefilled too but are the units' own figures.
    computed = {i.code for i in indicators if i.source and i.source in sources.registered()}
    prefilled = set(initial) & computed if existing is None or not existing.is_submitted else set()
    opened_at = existing.version if existing is not None and existing.is_submitted else 0
    form = FilingForm(
        request.POST or None, indicators=indicators, initial={**initial, "day": day, "version": opened_at}
    )
    if request.method == "POST" and form.is_valid():
        try:
            report = actions.do_file_report(
                acting_user(request),
                unit,
                form.cleaned_data["day"],
                form.values(),
                now=now,
                is_zero="zero" in request.POST,
                reason=form.cleaned_data.get("reason", ""),
                version=form.cleaned_data.get("version"),
            )
        except ValidationError as exc:
            if "version" in exc.message_dict:
                # Someone filed meanwhile: keep these figures on the page, now based on their version, so
                # saving again (after checking) is a deliberate correction of it.
                existing = DailyReport.objects.filter(region=unit, day=day).first()
                data = request.POST.copy()
                data["version"] = str(
                    existing.version if existing is not None and existing.is_submitted else 0
                )
                form = FilingForm(data, indicators=indicators)
                form.is_valid()
            add_errors(form, exc)
        else:
            messages.success(request, _filed_message(report))
            return redirect("reporting:detail", report_uuid=report.uuid)
    return render(
        request,
        "reporting/file.html",
        {
            "form": form,
            "unit": unit,
            "day": day,
            "today": today,
            "deadline": reporting_day.deadline(day),
            "existing": existing,
            "prefilled": prefilled,
            "late_now": reporting_day.is_past_deadline(day, now),
            "day_over": reporting_day.is_day_over(day, now),
        },
        status=400 if request.method == "POST" else 200,
    )


@require_GET
@login_required
def report_detail(request: HttpRequest, report_uuid: uuid.UUID) -> HttpResponse:
    report = access_report(request.user, report_uuid)
    values = list(report.values.select_related("indicator").order_by("indicator__order", "indicator__id"))
    below = actions.rollup(report.region, report.day)
    rows = [(v, below.get(v.indicator.code)) for v in values]
    return render(
        request,
        "reporting/detail.html",
        {
            "report": report,
            "rows": rows,
            "has_below": bool(below),
            "revisions": report.revisions.select_related("submitted_by", "replaced_by"),
            "status": report.current_status(timezone.now()),
            # A returned (or any submitted) report is corrected for its own day, by whoever files for its unit.
            "can_correct": report.is_submitted
            and units_for(request.user, Perm.REPORT_FILE).filter(pk=report.region_id).exists(),
            "can_review": report.state == ReportState.SUBMITTED
            and actions.can_review(acting_user(request), report),
            "review_form": ReviewForm(),
        },
    )


@require_POST
@login_required
def review_report(request: HttpRequest, report_uuid: uuid.UUID) -> HttpResponse:
    report = access_report(request.user, report_uuid, Perm.REPORT_REVIEW)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose approve or return."))
        return redirect("reporting:detail", report_uuid=report.uuid)
    try:
        actions.do_review_report(
            acting_user(request),
            report,
            approve=form.cleaned_data["decision"] == "approve",
            comment=form.cleaned_data["comment"],
            now=timezone.now(),
        )
    except ValidationError as exc:
        for error in exc.messages:
            messages.error(request, error)
    else:
        messages.success(request, _("Review saved."))
    return redirect("reporting:detail", report_uuid=report.uuid)


@require_GET
@login_required
def day_reports(request: HttpRequest) -> HttpResponse:
    """The units' reports of one day inside the jurisdiction."""
    require(request.user, Perm.REPORT_VIEW)
    now = timezone.now()
    # A malformed or out-of-range day falls back to the current reporting day.
    day = parse_day(request.GET.get("day", "")) or reporting_day.reporting_day(now)
    qs = reports_for(request.user).filter(day=day).order_by("region__path")
    page = Paginator(qs, 100).get_page(request.GET.get("page"))
    return render(
        request,
        "reporting/day.html",
        {
            "day": day,
            "page_obj": page,
            "now": now,
            "previous": day - datetime.timedelta(days=1),
            "next": day + datetime.timedelta(days=1),
        },
    )


@require_GET
@login_required
def completeness_page(request: HttpRequest) -> HttpResponse:
    """报送率: completeness and timeliness per unit group over a period, with a chart."""
    root = require(request.user, Perm.REPORT_VIEW)
    now = timezone.now()
    today = reporting_day.reporting_day(now)
    period = PeriodForm(request.GET or None, initial={"start": today, "end": today})
    start = end = today
    status = 200
    if period.is_bound:
        if period.is_valid():
            start = period.cleaned_data.get("start") or today
            end = period.cleaned_data.get("end") or start
            if period.cleaned_data.get("region"):
                root = access_region(request.user, period.cleaned_data["region"], Perm.REPORT_VIEW)
        else:
            status = 400
    result = completeness(root, start, end, now)
    bad_count, bad = late_or_missing(root, end, now, limit=50)
    labels = dict(ReportStatus.choices)
    chart = {
        "groups": [r.name for r, _t in result.rows],
        "series": [
            {"key": s, "name": str(labels[s]), "data": [getattr(t, s) for _r, t in result.rows]}
            for s in ("on_time", "zero", "late", "pending", "overdue", "missing")
        ],
    }
    return render(
        request,
        "reporting/completeness.html",
        {
            "result": result,
            "period": period,
            "chart": chart,
            "bad": bad,
            "bad_count": bad_count,
            "root": root,
            "parent_code": root.parent.code
            if root.parent is not None and jurisdiction(request.user) != root
            else "",
        },
        status=status,
    )


@require_GET
@login_required
def accountability_list(request: HttpRequest) -> HttpResponse:
    require(request.user, Perm.REPORT_VIEW)
    qs = accountability_for(request.user)
    state = request.GET.get("state", "")
    if state in AccountabilityState.values:
        qs = qs.filter(state=state)
    page = Paginator(qs.order_by("-day", "region__path"), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "reporting/accountability_list.html",
        {"page_obj": page, "state": state, "states": AccountabilityState.choices},
    )


@require_GET
@login_required
def accountability_detail(request: HttpRequest, record_uuid: uuid.UUID) -> HttpResponse:
    record = access_accountability(request.user, record_uuid)
    return render(request, "reporting/accountability_detail.html", _accountability_context(request, record))


def _accountability_context(
    request: HttpRequest, record: AccountabilityRecord, **forms: Form
) -> dict[str, object]:
    decided = record.state == AccountabilityState.DECIDED
    closed = record.state in CLOSED_STATES
    return {
        "record": record,
        "can_explain": not closed and has_perm(request.user, Perm.ACCOUNTABILITY_EXPLAIN),
        "can_decide": not closed and has_perm(request.user, Perm.ACCOUNTABILITY_DECIDE),
        "can_publish": decided
        and record.published_at is None
        and has_perm(request.user, Perm.ACCOUNTABILITY_DECIDE),
        "explain_form": forms.get("explain_form") or ExplainForm(initial={"explanation": record.explanation}),
        "decide_form": forms.get("decide_form") or DecideForm(),
        "publish_form": forms.get("publish_form") or PublishForm(),
    }


def _accountability_step(
    request: HttpRequest,
    record_uuid: uuid.UUID,
    perm: Perm,
    form_class: type[Form],
    form_key: str,
    run: Callable[[User, AccountabilityRecord, dict[str, Any]], object],
    done: str,
) -> HttpResponse:
    """One step of the accountability trail (explain, decide, publish): validate, act, or show the errors."""
    record = access_accountability(request.user, record_uuid, perm)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            run(acting_user(request), record, form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect("reporting:accountability_detail", record_uuid=record.uuid)
    context = _accountability_context(request, record, **{form_key: form})
    return render(request, "reporting/accountability_detail.html", context, status=400)


@require_POST
@login_required
def accountability_explain(request: HttpRequest, record_uuid: uuid.UUID) -> HttpResponse:
    return _accountability_step(
        request,
        record_uuid,
        Perm.ACCOUNTABILITY_EXPLAIN,
        ExplainForm,
        "explain_form",
        lambda user, record, data: actions.do_explain(user, record, data["explanation"], now=timezone.now()),
        _("Explanation saved."),
    )


@require_POST
@login_required
def accountability_decide(request: HttpRequest, record_uuid: uuid.UUID) -> HttpResponse:
    return _accountability_step(
        request,
        record_uuid,
        Perm.ACCOUNTABILITY_DECIDE,
        DecideForm,
        "decide_form",
        lambda user, record, data: actions.do_decide(
            user, record, data["decision"], data["note"], now=timezone.now()
        ),
        _("Decision recorded."),
    )


@require_POST
@login_required
def accountability_publish(request: HttpRequest, record_uuid: uuid.UUID) -> HttpResponse:
    return _accountability_step(
        request,
        record_uuid,
        Perm.ACCOUNTABILITY_DECIDE,
        PublishForm,
        "publish_form",
        lambda user, record, data: actions.do_publish_decision(
            user, record, data["notice_text"], now=timezone.now()
        ),
        _("Notice published."),
    )


@require_GET
@login_required
def notices(request: HttpRequest) -> HttpResponse:
    """Published accountability notices (通报) are addressed to the whole district."""
    require(request.user, Perm.REPORT_VIEW)
    qs = AccountabilityRecord.objects.filter(published_at__isnull=False).select_related("region")
    page = Paginator(qs.order_by("-published_at"), 50).get_page(request.GET.get("page"))
    return render(request, "reporting/notices.html", {"page_obj": page})


@require_GET
@login_required
def urgent_list(request: HttpRequest) -> HttpResponse:
    if urgent_read_perm(request.user) is None:
        raise Http404
    qs = urgent_for(request.user).order_by("-sent_at")
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "reporting/urgent_list.html",
        {"page_obj": page, "can_send": has_perm(request.user, Perm.URGENT_SEND)},
    )


@require_http_methods(["GET", "POST"])
@login_required
def urgent_new(request: HttpRequest) -> HttpResponse:
    root = require(request.user, Perm.URGENT_SEND)
    units = [(root.code, root.name)]
    form = UrgentForm(request.POST or None, request.FILES or None, units=units)
    if request.method == "POST" and form.is_valid():
        try:
            report = actions.do_send_urgent(
                acting_user(request),
                root,
                form.cleaned_data["kind"],
                form.cleaned_data["text"],
                now=timezone.now(),
                files=form.cleaned_data["attachments"],
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Urgent report sent; the person on duty has been notified."))
            return redirect("reporting:urgent_detail", report_uuid=report.uuid)
    return render(
        request, "reporting/urgent_form.html", {"form": form}, status=400 if request.method == "POST" else 200
    )


@require_GET
@login_required
def urgent_detail(request: HttpRequest, report_uuid: uuid.UUID) -> HttpResponse:
    report = access_urgent(request.user, report_uuid)
    return render(
        request,
        "reporting/urgent_detail.html",
        {
            "report": report,
            "attachments": report.attachments.all(),
            "can_ack": report.acknowledged_at is None and has_perm(request.user, Perm.URGENT_ACK),
        },
    )


@require_GET
@login_required
def urgent_attachment(
    request: HttpRequest, report_uuid: uuid.UUID, attachment_uuid: uuid.UUID
) -> FileResponse:
    report = access_urgent(request.user, report_uuid)
    attachment = report.attachments.filter(uuid=attachment_uuid).first()
    if attachment is None:
        raise Http404
    actions.do_open_attachment(acting_user(request), attachment)
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.name)


@require_POST
@login_required
def urgent_ack(request: HttpRequest, report_uuid: uuid.UUID) -> HttpResponse:
    report = access_urgent(request.user, report_uuid, Perm.URGENT_ACK)
    try:
        actions.do_acknowledge_urgent(acting_user(request), report, now=timezone.now())
    except ValidationError as exc:
        for error in exc.messages:
            messages.error(request, error)
    else:
        messages.success(request, _("Acknowledged."))
    return redirect("reporting:urgent_detail", report_uuid=report.uuid)


@require_GET
@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(notifications_for(request.user), 50).get_page(request.GET.get("page"))
    return render(request, "reporting/notifications.html", {"page_obj": page})


@require_POST
@login_required
def notification_read(request: HttpRequest, notification_uuid: uuid.UUID) -> HttpResponse:
    notification = notifications_for(request.user).filter(uuid=notification_uuid).first()
    if notification is None:
        raise Http404
    actions.do_mark_read(acting_user(request), notification, now=timezone.now())
    return redirect(notification.link or "reporting:notifications")


@require_POST
@login_required
def notification_read_all(request: HttpRequest) -> HttpResponse:
    actions.do_mark_all_read(acting_user(request), now=timezone.now())
    return redirect("reporting:notifications")


@require_http_methods(["GET", "POST"])
@login_required
def form_indicators(request: HttpRequest) -> HttpResponse:
    """The command office adds or retires indicators of the daily form, without code."""
    require(request.user, Perm.REPORT_FORMS)
    form_def = ReportForm.current()
    if form_def is None:
        raise Http404
    form = IndicatorForm(request.POST or None, sources=sources.registered())
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_add_indicator(acting_user(request), form_def, now=timezone.now(), **form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Indicator added."))
            return redirect("reporting:forms")
    return render(
        request,
        "reporting/forms.html",
        {
            "form_def": form_def,
            "indicators": form_def.indicators.order_by("-is_active", "order", "id"),
            "form": form,
        },
        status=400 if request.method == "POST" else 200,
    )


@require_POST
@login_required
def indicator_retire(request: HttpRequest, indicator_uuid: uuid.UUID) -> HttpResponse:
    require(request.user, Perm.REPORT_FORMS)
    indicator = Indicator.objects.filter(uuid=indicator_uuid).first()
    if indicator is None:
        raise Http404
    try:
        actions.do_retire_indicator(acting_user(request), indicator, now=timezone.now())
    except ValidationError:
        messages.info(request, _("This indicator is already retired."))
    else:
        messages.success(request, _("Indicator retired."))
    return redirect("reporting:forms")
