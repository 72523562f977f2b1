"""Checkpoint pages: the list (with missing equipment and findings), a checkpoint's day, the phone pages of
the staff on duty (shift start, crossing registration), spot checks and referrals."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q
from django.forms import BaseFormSet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from fangkong.accounts.access import acting_user, has_perm, in_jurisdiction, regions_for, require, scoped
from fangkong.accounts.models import User
from fangkong.accounts.permissions import Perm, Role
from fangkong.checkpoints.access import (
    access_checkpoint,
    access_for_registration,
    access_referral,
    checkpoints_for,
    may_register_at,
    referrals_for,
    spot_checks_for,
)
from fangkong.checkpoints.actions import (
    CrossingInput,
    SpotCheckInput,
    do_advance_referral,
    do_create_checkpoint,
    do_record_spot_check,
    do_register_crossing,
    do_start_shift,
    do_update_checkpoint,
)
from fangkong.checkpoints.forms import (
    CheckpointEditForm,
    CheckpointForm,
    CrossingForm,
    ReferralForm,
    ShiftStartForm,
    SpotCheckForm,
    TravellerFormSet,
)
from fangkong.checkpoints.models import (
    FIGURE_FIELDS,
    Checkpoint,
    CrossingDay,
    CrossingKind,
    ReferralStatus,
    ShiftStart,
)
from fangkong.duty.public import on_duty, shifts_of
from fangkong.lib.reporting_day import day_start, local_date
from fangkong.lib.versions import StaleEditError, carry_current_version
from fangkong.lib.web import add_errors
from fangkong.regions.models import Level, Region

RECENT_CROSSINGS = 30


@require_GET
@login_required
def checkpoint_list(request: HttpRequest) -> HttpResponse:
    """卡口: every checkpoint in view with today's figures, equipment missing at the last shift start and
    spot-check findings (what the supervising unit watches)."""
    require(request.user, Perm.CHECKPOINT_VIEW)
    today = local_date(timezone.now())
    checkpoints = list(
        checkpoints_for(request.user)
        .prefetch_related(
            Prefetch("days", queryset=CrossingDay.objects.filter(day=today), to_attr="today"),
            Prefetch(
                "shift_starts",
                queryset=ShiftStart.objects.filter(day=today).order_by("-started_at", "-id"),
                to_attr="starts_today",
            ),
        )
        .order_by("region__path", "name", "id")
    )
    user = request.user
    for c in checkpoints:
        c.figures = c.today[0] if c.today else None  # type: ignore[attr-defined]
        c.last_start = c.starts_today[0] if c.starts_today else None  # type: ignore[attr-defined]
    staff_of = (
        set(Checkpoint.staff.through.objects.filter(user_id=user.pk).values_list("checkpoint_id", flat=True))
        if isinstance(user, User)
        else set()
    )
    mine = [c for c in checkpoints if c.pk in staff_of]
    return render(
        request,
        "checkpoints/list.html",
        {
            "checkpoints": checkpoints,
            "mine": mine,
            "today": today,
            "can_manage": has_perm(user, Perm.CHECKPOINT_MANAGE),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def checkpoint_create(request: HttpRequest) -> HttpResponse:
    require(request.user, Perm.CHECKPOINT_MANAGE)
    actor = acting_user(request)
    units = regions_for(actor, Perm.CHECKPOINT_MANAGE).filter(
        level__in=[Level.COUNTY, Level.TOWNSHIP, Level.VILLAGE]
    )
    staff = scoped(
        User.objects.filter(role=Role.CHECKPOINT_STAFF, is_active=True), actor, Perm.CHECKPOINT_MANAGE
    ).order_by("username")
    form = CheckpointForm(request.POST or None, units=units, users=staff)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            checkpoint = do_create_checkpoint(
                actor,
                name=d["name"],
                kind=d["kind"],
                road=d["road"],
                location=d["location"],
                region=d["region"],
                supervising_unit=d["supervising_unit"],
                equipment=form.items(),
                staff=list(d["staff"]),
                now=timezone.now(),
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Checkpoint created."))
            return redirect("checkpoints:detail", checkpoint_uuid=checkpoint.uuid)
    return render(request, "checkpoints/checkpoint_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
@login_required
def checkpoint_edit(request: HttpRequest, checkpoint_uuid: uuid.UUID) -> HttpResponse:
    """Status, equipment checklist and staff: the checkpoint's unit (its cadres) and the command office."""
    checkpoint = access_checkpoint(request.user, checkpoint_uuid, Perm.CHECKPOINT_MANAGE)
    actor = acting_user(request)
    if not in_jurisdiction(actor, checkpoint.region):
        raise Http404
    current = list(checkpoint.staff.values_list("pk", flat=True))
    staff = User.objects.filter(
        Q(pk__in=current)
        | Q(
            pk__in=scoped(
                User.objects.filter(role=Role.CHECKPOINT_STAFF, is_active=True), actor, Perm.CHECKPOINT_MANAGE
            )
        )
    ).order_by("username")
    form = CheckpointEditForm(
        request.POST or None,
        users=staff,
        initial={
            "status": checkpoint.status,
            "equipment": "\n".join(checkpoint.equipment),
            "staff": current,
            "version": checkpoint.version,
        },
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            do_update_checkpoint(
                actor,
                checkpoint,
                status=d["status"],
                equipment=form.items(),
                staff=list(d["staff"]),
                expected_version=d["version"],
                now=timezone.now(),
            )
        except StaleEditError as exc:
            add_errors(form, exc)
            carry_current_version(form, exc)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("checkpoints:detail", checkpoint_uuid=checkpoint.uuid)
    return render(request, "checkpoints/checkpoint_edit.html", {"form": form, "checkpoint": checkpoint})


@require_GET
@login_required
def checkpoint_detail(request: HttpRequest, checkpoint_uuid: uuid.UUID) -> HttpResponse:
    """A checkpoint's day: figures (today and the last 7 days), who is on duty and rostered, the last shift
    start with missing equipment, the latest crossings, open referrals and spot checks."""
    checkpoint = access_checkpoint(request.user, checkpoint_uuid)
    now = timezone.now()
    today = local_date(now)
    week = {
        d.day: d
        for d in CrossingDay.objects.filter(
            checkpoint=checkpoint, day__gte=today - datetime.timedelta(days=6), day__lte=today
        )
    }
    days = [(day, week.get(day)) for day in (today - datetime.timedelta(days=n) for n in range(7))]
    staff = list(checkpoint.staff.order_by("username"))
    on_duty_now = [u for u in on_duty(checkpoint.region, now) if u in staff]
    start_of_day = day_start(today)
    roster = shifts_of([u.pk for u in staff], start_of_day, start_of_day + datetime.timedelta(days=1))
    crossings = list(
        checkpoint.crossings.order_by("-registered_at", "-id").prefetch_related("travellers__health_code")[
            :RECENT_CROSSINGS
        ]
    )
    return render(
        request,
        "checkpoints/detail.html",
        {
            "checkpoint": checkpoint,
            "today": today,
            "figures": week.get(today),
            "figure_fields": FIGURE_FIELDS,
            "days": days,
            "staff": staff,
            "on_duty_now": on_duty_now,
            "roster": roster,
            "last_start": checkpoint.shift_starts.select_related("user")
            .order_by("-started_at", "-id")
            .first(),
            "crossings": crossings,
            "referrals": referrals_for(request.user)
            .filter(checkpoint=checkpoint)
            .exclude(status=ReferralStatus.CLOSED)[:20],
            "spot_checks": spot_checks_for(request.user).filter(checkpoint=checkpoint)[:10],
            "can_register": may_register_at(request.user, checkpoint),
            "can_inspect": has_perm(request.user, Perm.CHECKPOINT_INSPECT),
            "can_edit": has_perm(request.user, Perm.CHECKPOINT_MANAGE)
            and in_jurisdiction(request.user, checkpoint.region),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def shift_start(request: HttpRequest, checkpoint_uuid: uuid.UUID) -> HttpResponse:
    """上岗: tick the equipment that is there (phone page)."""
    checkpoint = access_for_registration(request.user, checkpoint_uuid)
    form = ShiftStartForm(request.POST or None, equipment=checkpoint.equipment)
    if request.method == "POST" and form.is_valid():
        start = do_start_shift(
            acting_user(request), checkpoint, items_present=form.cleaned_data["items"], now=timezone.now()
        )
        if start.items_missing:
            messages.warning(
                request,
                _("Shift started. Missing: %(items)s — the supervising unit sees it.")
                % {"items": "、".join(start.items_missing)},
            )
        else:
            messages.success(request, _("Shift started, all equipment present."))
        return redirect("checkpoints:register", checkpoint_uuid=checkpoint.uuid)
    return render(request, "checkpoints/shift_start.html", {"checkpoint": checkpoint, "form": form})


def _count_param(request: HttpRequest) -> int:
    try:
        return max(1, min(8, int(request.GET.get("n", "1"))))
    except ValueError:
        return 1


@require_http_methods(["GET", "POST"])
@login_required
def register(request: HttpRequest, checkpoint_uuid: uuid.UUID) -> HttpResponse:
    """查验登记 (phone, one thumb): a person, or a vehicle with up to 8 people (`?n=`)."""
    checkpoint = access_for_registration(request.user, checkpoint_uuid)
    villages = Region.objects.active().filter(level=Level.VILLAGE).select_related("parent").order_by("path")
    count = _count_param(request)
    kind = CrossingKind.VEHICLE if count > 1 or request.GET.get("kind") == "vehicle" else CrossingKind.PERSON
    form = CrossingForm(request.POST or None, villages=villages, initial={"kind": kind})
    travellers = TravellerFormSet(
        request.POST or None,
        prefix="t",
        initial=[{"is_driver": n == 0 and kind == CrossingKind.VEHICLE} for n in range(count)],
    )
    if request.method == "POST" and form.is_valid() and travellers.is_valid():
        d = form.cleaned_data
        data = CrossingInput(
            kind=d["kind"],
            plate=d["plate"],
            origin=d["origin"],
            destination=d["destination"],
            destination_region=d["destination_region"],
            travellers=[t.as_input() for t in travellers.forms if t.cleaned_data],
        )
        try:
            crossing = do_register_crossing(acting_user(request), checkpoint, data, now=timezone.now())
        except ValidationError as exc:
            _spread_errors(form, travellers, exc)
        else:
            people = crossing.travellers.count()
            messages.success(
                request,
                _("Registered: %(n)d people, %(risk)s") % {"n": people, "risk": crossing.origin_risk_label},
            )
            return redirect(f"{reverse('checkpoints:register', args=[checkpoint.uuid])}?n={count}")
    started = ShiftStart.objects.filter(
        checkpoint=checkpoint, user=acting_user(request), day=local_date(timezone.now())
    ).exists()
    return render(
        request,
        "checkpoints/register.html",
        {
            "checkpoint": checkpoint,
            "form": form,
            "travellers": travellers,
            "count": count,
            "counts": range(1, 9),
            "started": started,
        },
    )


def _spread_errors(form: CrossingForm, travellers: BaseFormSet[Any], exc: ValidationError) -> None:
    """The action's errors (`travellers.<n>.<field>`) go on the form of that traveller."""
    for key, errors in exc.message_dict.items():
        if key.startswith("travellers."):
            _t, index, field = key.split(".", 2)
            sub = travellers.forms[int(index)]
            sub.add_error(field if field in sub.fields else None, errors)
        else:
            form.add_error(key if key in form.fields else None, errors)


@require_http_methods(["GET", "POST"])
@login_required
def spot_check(request: HttpRequest, checkpoint_uuid: uuid.UUID) -> HttpResponse:
    """督查: an inspector records a visit."""
    checkpoint = access_checkpoint(request.user, checkpoint_uuid, Perm.CHECKPOINT_INSPECT)
    form = SpotCheckForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        data = SpotCheckInput(
            staff_present=d["staff_present"],
            off_post=d["off_post"],
            drinking=d["drinking"],
            registrations_complete=d["registrations_complete"],
            equipment_complete=d["equipment_complete"],
            note=d["note"],
            photos=[(f.name, f.read()) for f in d["photos"]],
        )
        try:
            spot = do_record_spot_check(acting_user(request), checkpoint, data, now=timezone.now())
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Spot check recorded: %(n)d findings.") % {"n": spot.findings})
            return redirect("checkpoints:detail", checkpoint_uuid=checkpoint.uuid)
    return render(request, "checkpoints/spot_check.html", {"checkpoint": checkpoint, "form": form})


@require_GET
@login_required
def referral_list(request: HttpRequest) -> HttpResponse:
    """Referrals to fever clinics: open loops first."""
    require(request.user, Perm.CHECKPOINT_VIEW)
    referrals = list(referrals_for(request.user).order_by("status", "-referred_at")[:200])
    return render(request, "checkpoints/referrals.html", {"referrals": referrals, "form": ReferralForm()})


@require_POST
@login_required
def referral_advance(request: HttpRequest, referral_uuid: uuid.UUID) -> HttpResponse:
    referral = access_referral(request.user, referral_uuid, Perm.CHECKPOINT_REGISTER)
    if not may_register_at(request.user, referral.checkpoint):
        raise Http404
    form = ReferralForm(request.POST)
    if form.is_valid():
        try:
            do_advance_referral(
                acting_user(request),
                referral,
                status=form.cleaned_data["status"],
                outcome=form.cleaned_data["outcome"],
                now=timezone.now(),
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Referral updated."))
    else:
        messages.error(request, _("Choose the new status."))
    return redirect("checkpoints:referrals")
