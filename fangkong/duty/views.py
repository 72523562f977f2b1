"""Duty pages: the roster of a unit (today and the week), shift editing, my shifts with check-in and
hand-over, leave requests and the superior's approvals inbox."""

from __future__ import annotations

import datetime
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from fangkong.accounts.access import acting_user, has_perm, in_jurisdiction, require
from fangkong.accounts.permissions import Perm
from fangkong.duty.access import (
    access_leave,
    access_shift,
    access_unit,
    assignable_users,
    is_superior,
    leave_requests_for,
    leave_requests_to_decide,
    picker_units_for,
    shifts_for,
)
from fangkong.duty.actions import (
    do_cancel_leave,
    do_cancel_shift,
    do_check_in,
    do_create_shift,
    do_decide_leave,
    do_request_leave,
    do_update_shift,
    do_write_handover,
)
from fangkong.duty.forms import CheckInForm, DecisionForm, HandoverForm, LeaveForm, ShiftForm
from fangkong.duty.models import LeaveStatus
from fangkong.duty.roster import unit_roster, week_start
from fangkong.lib.dates import parse_day
from fangkong.lib.reporting_day import SHANGHAI, local_date
from fangkong.lib.versions import StaleEditError, carry_current_version
from fangkong.lib.web import add_errors


def _day_param(request: HttpRequest, name: str, default: datetime.date) -> datetime.date:
    """A day from the query string; a malformed or out-of-range one is ignored."""
    return parse_day(request.GET.get(name, "")) or default


@require_GET
@login_required
def roster(request: HttpRequest) -> HttpResponse:
    """值班表: today and the week of one unit; uncovered hours in red, who is away on leave."""
    root = require(request.user, Perm.DUTY_VIEW)
    code = request.GET.get("unit", "").strip()
    unit = access_unit(request.user, code) if code else root
    now = timezone.now()
    today = local_date(now)
    monday = week_start(_day_param(request, "week", today))
    week = [monday + datetime.timedelta(days=i) for i in range(7)]
    days = sorted(set(week) | {today})
    by_day = {d.day: d for d in unit_roster(shifts_for(request.user), unit, days)}
    return render(
        request,
        "duty/roster.html",
        {
            "unit": unit,
            "units": picker_units_for(request.user),
            "now": now,
            "today": by_day[today],
            "week": [by_day[d] for d in week],
            "monday": monday,
            "prev_week": monday - datetime.timedelta(days=7),
            "next_week": monday + datetime.timedelta(days=7),
            "can_manage": has_perm(request.user, Perm.DUTY_MANAGE) and in_jurisdiction(request.user, unit),
        },
    )


def _local_param(request: HttpRequest, name: str) -> datetime.datetime | None:
    try:
        value = parse_datetime(request.GET.get(name, ""))
    except ValueError:
        return None
    if value is None:
        return None
    return value.astimezone(SHANGHAI) if value.tzinfo else value.replace(tzinfo=SHANGHAI)


@require_http_methods(["GET", "POST"])
@login_required
def shift_create(request: HttpRequest) -> HttpResponse:
    require(request.user, Perm.DUTY_MANAGE)
    units = picker_units_for(request.user, Perm.DUTY_MANAGE)
    code = request.GET.get("unit", "").strip()
    initial: dict[str, object] = {}
    if code:
        initial["region"] = access_unit(request.user, code, Perm.DUTY_MANAGE)
    for name in ("starts_at", "ends_at"):
        value = _local_param(request, name)
        if value is not None:
            initial[name] = value.replace(tzinfo=None)
    form = ShiftForm(request.POST or None, units=units, users=assignable_users(request.user), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
            shift = do_create_shift(acting_user(request), **data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Shift added to the roster."))
            return redirect(f"{_roster_url(shift.region.code, local_date(shift.starts_at))}")
    return render(request, "duty/shift_form.html", {"form": form, "creating": True})


def _roster_url(code: str, day: datetime.date) -> str:
    from django.urls import reverse

    return f"{reverse('duty:roster')}?unit={code}&week={day.isoformat()}"


@require_http_methods(["GET", "POST"])
@login_required
def shift_edit(request: HttpRequest, shift_uuid: uuid.UUID) -> HttpResponse:
    shift = access_shift(request.user, shift_uuid, Perm.DUTY_MANAGE)
    initial = {
        "region": shift.region,
        "starts_at": shift.starts_at.astimezone(SHANGHAI).replace(tzinfo=None),
        "ends_at": shift.ends_at.astimezone(SHANGHAI).replace(tzinfo=None),
        "person_on_duty": shift.person_on_duty,
        "leader_on_call": shift.leader_on_call,
        "version": shift.version,
    }
    form = ShiftForm(
        request.POST or None,
        units=picker_units_for(request.user, Perm.DUTY_MANAGE),
        users=assignable_users(request.user),
        initial=initial,
    )
    # The unit of a shift does not change; a shift for another unit is a new shift.
    del form.fields["region"]
    form.fields["phone"].help_text = _("Leave blank to keep the current duty phone.")
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["phone"] = data["phone"] or shift.phone
        expected = data.pop("version", None)
        try:
            do_update_shift(acting_user(request), shift, expected_version=expected, **data)
        except StaleEditError as exc:
            add_errors(form, exc)
            carry_current_version(form, exc)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect(_roster_url(shift.region.code, local_date(shift.starts_at)))
    return render(request, "duty/shift_form.html", {"form": form, "shift": shift, "creating": False})


@require_POST
@login_required
def shift_cancel(request: HttpRequest, shift_uuid: uuid.UUID) -> HttpResponse:
    shift = access_shift(request.user, shift_uuid, Perm.DUTY_MANAGE)
    try:
        do_cancel_shift(acting_user(request), shift, request.POST.get("reason", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("duty:shift_edit", shift_uuid=shift.uuid)
    messages.success(request, _("Shift cancelled."))
    return redirect(_roster_url(shift.region.code, local_date(shift.starts_at)))


@require_GET
@login_required
def shift_detail(request: HttpRequest, shift_uuid: uuid.UUID) -> HttpResponse:
    """One shift on a phone: check in, read the previous hand-over, write this shift's hand-over."""
    shift = access_shift(request.user, shift_uuid)
    return render(
        request,
        "duty/shift_detail.html",
        {
            "shift": shift,
            "previous": shift.previous(),
            "now": timezone.now(),
            "is_mine": shift.person_on_duty_id == request.user.pk,
            "checkin_form": CheckInForm(),
            "handover_form": HandoverForm(initial={"handover_note": shift.handover_note}),
            "can_manage": has_perm(request.user, Perm.DUTY_MANAGE)
            and in_jurisdiction(request.user, shift.region),
        },
    )


@require_GET
@login_required
def my_shifts(request: HttpRequest) -> HttpResponse:
    """The user's current and coming shifts, and those of the last week."""
    require(request.user, Perm.DUTY_VIEW)
    now = timezone.now()
    qs = shifts_for(request.user).filter(person_on_duty=acting_user(request))
    current = list(qs.filter(ends_at__gt=now).order_by("starts_at")[:20])
    past = list(
        qs.filter(ends_at__lte=now, ends_at__gt=now - datetime.timedelta(days=7)).order_by("-starts_at")
    )
    return render(request, "duty/my_shifts.html", {"current": current, "past": past, "now": now})


@require_POST
@login_required
def shift_check_in(request: HttpRequest, shift_uuid: uuid.UUID) -> HttpResponse:
    shift = access_shift(request.user, shift_uuid)
    form = CheckInForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        shift = do_check_in(acting_user(request), shift, now=timezone.now(), note=note)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("duty:shift_detail", shift_uuid=shift.uuid)
    if shift.checkin_late:
        messages.warning(request, _("Checked in. The check-in is recorded as late."))
    else:
        messages.success(request, _("Checked in."))
    return redirect("duty:shift_detail", shift_uuid=shift.uuid)


@require_POST
@login_required
def shift_handover(request: HttpRequest, shift_uuid: uuid.UUID) -> HttpResponse:
    shift = access_shift(request.user, shift_uuid)
    form = HandoverForm(request.POST)
    if form.is_valid():
        try:
            do_write_handover(
                acting_user(request), shift, note=form.cleaned_data["handover_note"], now=timezone.now()
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Hand-over note saved."))
            return redirect("duty:shift_detail", shift_uuid=shift.uuid)
    return render(
        request,
        "duty/shift_detail.html",
        {
            "shift": shift,
            "previous": shift.previous(),
            "now": timezone.now(),
            "is_mine": True,
            "checkin_form": CheckInForm(),
            "handover_form": form,
            "can_manage": False,
        },
        status=400,
    )


@require_GET
@login_required
def leave_list(request: HttpRequest) -> HttpResponse:
    """My leave requests."""
    require(request.user, Perm.LEAVE_REQUEST)
    leaves = leave_requests_for(request.user).filter(requester=acting_user(request))[:100]
    return render(
        request,
        "duty/leave_list.html",
        {"leaves": leaves, "can_approve": has_perm(request.user, Perm.LEAVE_APPROVE)},
    )


@require_http_methods(["GET", "POST"])
@login_required
def leave_create(request: HttpRequest) -> HttpResponse:
    require(request.user, Perm.LEAVE_REQUEST)
    form = LeaveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            leave = do_request_leave(acting_user(request), now=timezone.now(), **form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Leave request sent to your superior."))
            return redirect("duty:leave_detail", leave_uuid=leave.uuid)
    return render(request, "duty/leave_form.html", {"form": form})


@require_GET
@login_required
def leave_inbox(request: HttpRequest) -> HttpResponse:
    """审批: the requests the user decides as the superior; pending first, then the last decided."""
    require(request.user, Perm.LEAVE_APPROVE)
    qs = leave_requests_to_decide(request.user)
    pending = list(qs.filter(status=LeaveStatus.PENDING).order_by("starts_on", "id")[:200])
    decided = list(qs.exclude(status=LeaveStatus.PENDING).order_by("-decided_at", "-id")[:30])
    return render(request, "duty/leave_inbox.html", {"pending": pending, "decided": decided})


@require_GET
@login_required
def leave_detail(request: HttpRequest, leave_uuid: uuid.UUID) -> HttpResponse:
    leave = access_leave(request.user, leave_uuid)
    return render(
        request,
        "duty/leave_detail.html",
        {
            "leave": leave,
            "form": DecisionForm(),
            "can_decide": leave.is_pending and is_superior(request.user, leave),
            "can_cancel": leave.requester_id == request.user.pk
            and leave.status in (LeaveStatus.PENDING, LeaveStatus.APPROVED),
        },
    )


@require_POST
@login_required
def leave_decide(request: HttpRequest, leave_uuid: uuid.UUID) -> HttpResponse:
    leave = access_leave(request.user, leave_uuid)
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            do_decide_leave(
                acting_user(request),
                leave,
                approve=form.cleaned_data["decision"] == "approve",
                note=form.cleaned_data["decision_note"],
                now=timezone.now(),
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Decision recorded."))
            return redirect("duty:leave_inbox")
    return render(
        request,
        "duty/leave_detail.html",
        {
            "leave": leave,
            "form": form,
            "can_decide": leave.is_pending and is_superior(request.user, leave),
            "can_cancel": False,
        },
        status=400,
    )


@require_POST
@login_required
def leave_cancel(request: HttpRequest, leave_uuid: uuid.UUID) -> HttpResponse:
    leave = access_leave(request.user, leave_uuid)
    try:
        do_cancel_leave(acting_user(request), leave, now=timezone.now())
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Leave request cancelled."))
    return redirect("duty:leave_detail", leave_uuid=leave.uuid)
