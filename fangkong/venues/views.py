"""Venue and family-event pages: venues with their status on a day, notices, events with approval and check."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from fangkong.accounts.access import acting_user, has_perm, in_jurisdiction, regions_for, require
from fangkong.accounts.permissions import Perm
from fangkong.lib.dates import parse_day
from fangkong.lib.masking import mask_phone
from fangkong.lib.web import add_errors
from fangkong.regions.models import Level
from fangkong.venues.access import access_event, events_for, may_decide, notices_for, venues_for
from fangkong.venues.actions import (
    do_check_event,
    do_decide_event,
    do_issue_venue_notice,
    do_register_event,
    do_register_venue,
)
from fangkong.venues.forms import CheckForm, DecisionForm, EventForm, VenueForm, VenueNoticeForm
from fangkong.venues.models import EventRule, EventStatus, FamilyEvent
from fangkong.venues.status import statuses_on


def _units(request: HttpRequest, perm: Perm, levels: tuple[str, ...]) -> object:
    return regions_for(request.user, perm).filter(level__in=levels).order_by("path")


@require_GET
@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Venues of the jurisdiction with their status on a day (today by default), and the notices."""
    require(request.user, Perm.VENUES_VIEW)
    today = timezone.localdate()
    day = parse_day(request.GET.get("day", "")) or today
    venues = list(venues_for(request.user))
    status = statuses_on(venues, day)
    rows = [(v, status[v.pk]) for v in venues]
    return render(
        request,
        "venues/home.html",
        {
            "day": day,
            "rows": rows,
            "notices": notices_for(request.user)[:20],
            "can_manage": has_perm(request.user, Perm.VENUES_MANAGE),
            "closed": sum(1 for _v, s in rows if s.status == "closed"),
            "limited": sum(1 for _v, s in rows if s.status == "limited"),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def venue_create(request: HttpRequest) -> HttpResponse:
    require(request.user, Perm.VENUES_MANAGE)
    levels = (Level.TOWNSHIP, Level.VILLAGE)
    form = VenueForm(request.POST or None, units=_units(request, Perm.VENUES_MANAGE, levels))  # type: ignore[arg-type]
    if request.method == "POST" and form.is_valid():
        try:
            do_register_venue(acting_user(request), **form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Venue registered."))
            return redirect("venues:home")
    return render(request, "venues/form.html", {"form": form, "title": _("Register a venue")})


@require_http_methods(["GET", "POST"])
@login_required
def notice_create(request: HttpRequest) -> HttpResponse:
    require(request.user, Perm.VENUES_MANAGE)
    form = VenueNoticeForm(request.POST or None, initial={"starts_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            do_issue_venue_notice(acting_user(request), now=timezone.now(), **form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Notice issued; the venues' status follows it."))
            return redirect("venues:home")
    return render(request, "venues/form.html", {"form": form, "title": _("Issue a venue notice")})


@require_GET
@login_required
def event_list(request: HttpRequest) -> HttpResponse:
    """红白事报备: events of the jurisdiction, those waiting for the user's decision first."""
    require(request.user, Perm.EVENTS_REGISTER)
    events = list(events_for(request.user).order_by("-day", "-id")[:300])
    waiting = [e for e in events if may_decide(request.user, e)]
    page = Paginator([e for e in events if e not in waiting], 50).get_page(request.GET.get("page"))
    return render(
        request,
        "venues/event_list.html",
        {"waiting": waiting, "page_obj": page, "rules": EventRule.objects.all()},
    )


@require_http_methods(["GET", "POST"])
@login_required
def event_create(request: HttpRequest) -> HttpResponse:
    require(request.user, Perm.EVENTS_REGISTER)
    levels = (Level.VILLAGE, Level.GRID)
    form = EventForm(request.POST or None, units=_units(request, Perm.EVENTS_REGISTER, levels))  # type: ignore[arg-type]
    if request.method == "POST" and form.is_valid():
        try:
            event = do_register_event(acting_user(request), now=timezone.now(), **form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            if event.status == EventStatus.REFUSED:
                messages.error(request, event.refusal_reason)
            else:
                messages.success(request, _("Event registered; it waits for the village's approval."))
            return redirect("venues:event", event_uuid=event.uuid)
    return render(
        request,
        "venues/form.html",
        {"form": form, "title": _("Register a family event"), "rules": EventRule.objects.all()},
    )


def _event_page(
    request: HttpRequest, event: FamilyEvent, decision: DecisionForm, check: CheckForm
) -> HttpResponse:
    today = timezone.localdate()
    return render(
        request,
        "venues/event_detail.html",
        {
            "event": event,
            "phone": mask_phone(event.host_phone) if event.host_phone else "",
            "can_decide": may_decide(request.user, event),
            "can_check": has_perm(request.user, Perm.EVENTS_APPROVE)
            and in_jurisdiction(request.user, event.region)
            and event.status == EventStatus.APPROVED
            and event.day == today
            and event.checked_at is None,
            "decision_form": decision,
            "check_form": check,
        },
    )


@require_GET
@login_required
def event_detail(request: HttpRequest, event_uuid: uuid.UUID) -> HttpResponse:
    return _event_page(request, access_event(request.user, event_uuid), DecisionForm(), CheckForm())


@require_POST
@login_required
def event_decide(request: HttpRequest, event_uuid: uuid.UUID, approve: bool) -> HttpResponse:
    event = access_event(request.user, event_uuid)
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            do_decide_event(
                acting_user(request),
                event,
                approve=approve,
                note=form.cleaned_data["note"],
                now=timezone.now(),
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Decision recorded."))
            return redirect("venues:event", event_uuid=event.uuid)
    return _event_page(request, event, form, CheckForm())


@require_POST
@login_required
def event_check(request: HttpRequest, event_uuid: uuid.UUID) -> HttpResponse:
    event = access_event(request.user, event_uuid)
    form = CheckForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            do_check_event(
                acting_user(request),
                event,
                actual_guests=data["actual_guests"],
                compliant=data["compliant"],
                note=data["note"],
                now=timezone.now(),
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Check recorded."))
            return redirect("venues:event", event_uuid=event.uuid)
    return _event_page(request, event, DecisionForm(), form)
