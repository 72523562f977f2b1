"""Cold-chain pages: lots with their checks, enterprises, mail batches; each step of a lot is one action."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from fangkong.accounts.access import acting_user, has_perm, regions_for, require
from fangkong.accounts.permissions import Perm
from fangkong.coldchain.access import access_enterprise, access_lot, enterprises_for, lots_for, mail_for
from fangkong.coldchain.actions import (
    do_create_enterprise,
    do_destroy_lot,
    do_hold_lot,
    do_record_disinfection,
    do_record_lot_test,
    do_register_lot,
    do_register_mail_batch,
    do_release_lot,
    do_remove_worker,
)
from fangkong.coldchain.forms import DisinfectionForm, EnterpriseForm, LotForm, MailForm, TestForm
from fangkong.coldchain.models import EnterpriseKind
from fangkong.lib.web import add_errors
from fangkong.regions.models import Level


@require_GET
@login_required
def overview(request: HttpRequest) -> HttpResponse:
    require(request.user, Perm.COLDCHAIN_VIEW)
    return render(
        request,
        "coldchain/overview.html",
        {
            "lots": list(lots_for(request.user).order_by("status", "-arrived_on", "-id")[:200]),
            "enterprises": list(enterprises_for(request.user).order_by("name")[:200]),
            "mail": list(mail_for(request.user)[:50]),
            "can_manage": has_perm(request.user, Perm.COLDCHAIN_MANAGE),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def enterprise_create(request: HttpRequest) -> HttpResponse:
    require(request.user, Perm.COLDCHAIN_MANAGE)
    units = regions_for(request.user, Perm.COLDCHAIN_MANAGE).filter(level__in=[Level.TOWNSHIP, Level.VILLAGE])
    form = EnterpriseForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        try:
            do_create_enterprise(acting_user(request), now=timezone.now(), **form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            return redirect("coldchain:overview")
    return render(request, "coldchain/form.html", {"form": form, "title": _("New enterprise")})


@require_http_methods(["GET", "POST"])
@login_required
def lot_create(request: HttpRequest) -> HttpResponse:
    require(request.user, Perm.COLDCHAIN_MANAGE)
    form = LotForm(request.POST or None, enterprises=enterprises_for(request.user, Perm.COLDCHAIN_MANAGE))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        enterprise = data.pop("enterprise")
        try:
            lot = do_register_lot(acting_user(request), enterprise, now=timezone.now(), **data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            return redirect("coldchain:lot_detail", lot_uuid=lot.uuid)
    return render(request, "coldchain/form.html", {"form": form, "title": _("Register an imported lot")})


@require_http_methods(["GET", "POST"])
@login_required
def mail_create(request: HttpRequest) -> HttpResponse:
    require(request.user, Perm.COLDCHAIN_MANAGE)
    points = enterprises_for(request.user, Perm.COLDCHAIN_MANAGE).filter(kind=EnterpriseKind.DELIVERY_POINT)
    form = MailForm(request.POST or None, enterprises=points)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        enterprise = data.pop("enterprise")
        try:
            do_register_mail_batch(acting_user(request), enterprise, now=timezone.now(), **data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            return redirect("coldchain:overview")
    return render(request, "coldchain/form.html", {"form": form, "title": _("Register imported mail")})


@require_GET
@login_required
def lot_detail(request: HttpRequest, lot_uuid: uuid.UUID) -> HttpResponse:
    lot = access_lot(request.user, lot_uuid)
    return render(
        request,
        "coldchain/lot.html",
        {
            "lot": lot,
            "test_form": TestForm(),
            "disinfection_form": DisinfectionForm(),
            "can_manage": has_perm(request.user, Perm.COLDCHAIN_MANAGE),
        },
    )


@require_POST
@login_required
def lot_step(request: HttpRequest, lot_uuid: uuid.UUID, step: str) -> HttpResponse:
    lot = access_lot(request.user, lot_uuid, Perm.COLDCHAIN_MANAGE)
    actor, now = acting_user(request), timezone.now()
    try:
        if step == "test":
            form = TestForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("Enter the test result and its certificate number."))
            do_record_lot_test(actor, lot, now=now, **form.cleaned_data)
        elif step == "disinfection":
            dform = DisinfectionForm(request.POST)
            if not dform.is_valid():
                raise ValidationError(_("Enter the disinfection certificate number."))
            do_record_disinfection(actor, lot, now=now, **dform.cleaned_data)
        elif step == "release":
            do_release_lot(actor, lot, now=now)
        elif step == "hold":
            do_hold_lot(actor, lot, now=now)
        elif step == "destroy":
            do_destroy_lot(actor, lot, now=now)
        else:
            raise Http404
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Saved."))
    return redirect("coldchain:lot_detail", lot_uuid=lot.uuid)


@require_GET
@login_required
def enterprise_detail(request: HttpRequest, enterprise_uuid: uuid.UUID) -> HttpResponse:
    """An enterprise with its workers (document numbers masked); managers may remove a worker."""
    enterprise = access_enterprise(request.user, enterprise_uuid)
    return render(
        request,
        "coldchain/enterprise.html",
        {
            "enterprise": enterprise,
            "workers": list(enterprise.workers.select_related("region").order_by("name", "id")[:500]),
            "can_manage": has_perm(request.user, Perm.COLDCHAIN_MANAGE),
        },
    )


@require_POST
@login_required
def worker_remove(request: HttpRequest, enterprise_uuid: uuid.UUID, person_uuid: uuid.UUID) -> HttpResponse:
    """The person no longer works here (`do_remove_worker`: audited; they leave the key group unless they work
    at another cold-chain enterprise). Outside the jurisdiction, or not a worker here: 404."""
    enterprise = access_enterprise(request.user, enterprise_uuid, Perm.COLDCHAIN_MANAGE)
    person = enterprise.workers.filter(uuid=person_uuid).first()
    if person is None:
        raise Http404
    try:
        do_remove_worker(acting_user(request), enterprise, person, now=timezone.now())
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("%(name)s is no longer a worker of this enterprise; the person's record is kept.")
            % {"name": person.name},
        )
    return redirect("coldchain:enterprise_detail", enterprise_uuid=enterprise.uuid)
