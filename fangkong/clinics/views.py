"""Medical surveillance pages: facilities and overdue tasks per unit, the facility staff's phone page and ledger
upload, the grid worker's follow-up tasks."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from fangkong.accounts.access import acting_user, has_perm, jurisdiction, require
from fangkong.accounts.permissions import Perm
from fangkong.clinics.access import (
    access_follow_up,
    access_registering_facility,
    facilities_for,
    follow_ups_for,
)
from fangkong.clinics.actions import do_complete_follow_up, do_import_ledger, do_register_record
from fangkong.clinics.forms import FollowUpForm, LedgerForm, RecordForm
from fangkong.clinics.models import FacilityKind
from fangkong.lib.web import add_errors
from fangkong.regions.models import Level, Region

PAGE = 200


@require_GET
@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Facilities in view; for supervisors, overdue follow-up tasks per unit below their own."""
    root = require(request.user, Perm.CLINICS_VIEW)
    now = timezone.now()
    facilities = list(facilities_for(request.user).order_by("region__path", "name"))
    user = acting_user(request)
    mine = [f for f in facilities if f.pk in set(user.facilities.values_list("pk", flat=True))]
    per_unit: list[tuple[Region, int]] = []
    if has_perm(user, Perm.CLINICS_FOLLOW_UP):
        children = list(Region.objects.active().filter(parent=root).order_by("code"))
        paths = list(
            follow_ups_for(user)
            .filter(done_at__isnull=True, due_at__lt=now)
            .values_list("region__path", flat=True)
        )
        per_unit = [(c, sum(1 for p in paths if p.startswith(c.path))) for c in children]
    return render(
        request,
        "clinics/home.html",
        {"facilities": facilities, "mine": mine, "per_unit": per_unit, "root": root},
    )


@require_http_methods(["GET", "POST"])
@login_required
def register(request: HttpRequest, facility_uuid: uuid.UUID) -> HttpResponse:
    """发热病人 / 实名购药 registration (phone)."""
    facility = access_registering_facility(request.user, facility_uuid)
    villages = Region.objects.active().filter(level=Level.VILLAGE).select_related("parent").order_by("path")
    kind = "fever_patient" if facility.kind != FacilityKind.PHARMACY else "drug_purchase"
    form = RecordForm(request.POST or None, villages=villages, initial={"kind": kind})
    if request.method == "POST" and form.is_valid():
        try:
            entry = do_register_record(acting_user(request), facility, form.as_input(), now=timezone.now())
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            worker = entry.follow_up.assigned_to
            messages.success(
                request,
                _("Registered. Follow-up within 24 hours: %(worker)s.")
                % {"worker": worker or _("the person's village (no grid worker)")},
            )
            return redirect("clinics:register", facility_uuid=facility.uuid)
    return render(request, "clinics/register.html", {"facility": facility, "form": form})


@require_http_methods(["GET", "POST"])
@login_required
def ledger(request: HttpRequest, facility_uuid: uuid.UUID) -> HttpResponse:
    """A pharmacy's ledger of medicine buyers, uploaded as CSV/XLSX, loaded all or nothing."""
    facility = access_registering_facility(request.user, facility_uuid)
    form = LedgerForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = do_import_ledger(
                acting_user(request), facility, upload.name, upload.read(), now=timezone.now()
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Ledger loaded: %(n)d purchases.") % {"n": result.rows})
            return redirect("clinics:home")
    return render(request, "clinics/ledger.html", {"facility": facility, "form": form})


@require_GET
@login_required
def follow_up_list(request: HttpRequest) -> HttpResponse:
    """The follow-up tasks in view: open ones by due time (overdue in red), `?overdue=1` for overdue only."""
    require(request.user, Perm.CLINICS_FOLLOW_UP)
    now = timezone.now()
    qs = follow_ups_for(request.user).filter(done_at__isnull=True).order_by("due_at", "id")
    overdue_only = request.GET.get("overdue") == "1"
    if overdue_only:
        qs = qs.filter(due_at__lt=now)
    tasks = list(qs[:PAGE])
    return render(
        request,
        "clinics/follow_ups.html",
        {
            "tasks": tasks,
            "now": now,
            "overdue_only": overdue_only,
            "form": FollowUpForm(),
            "root": jurisdiction(request.user),
        },
    )


@require_POST
@login_required
def follow_up_done(request: HttpRequest, follow_up_uuid: uuid.UUID) -> HttpResponse:
    task = access_follow_up(request.user, follow_up_uuid)
    form = FollowUpForm(request.POST)
    if form.is_valid():
        try:
            do_complete_follow_up(
                acting_user(request), task, outcome=form.cleaned_data["outcome"], now=timezone.now()
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Follow-up recorded."))
    else:
        messages.error(request, _("Write what the follow-up found."))
    return redirect("clinics:follow_ups")
