"""People pages: list with search and filters, detail (masked), reveal (audited), create and edit."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from fangkong.accounts.access import (
    access_region,
    acting_user,
    has_perm,
    in_unit,
    regions_for,
    require,
    within,
)
from fangkong.accounts.permissions import Perm
from fangkong.lib.exports import CSV_CONTENT_TYPE
from fangkong.lib.versions import StaleEditError, carry_current_version
from fangkong.lib.web import add_errors
from fangkong.people.access import (
    access_export,
    access_person,
    access_transfer_to_decide,
    people_for,
    transfers_for,
)
from fangkong.people.actions import (
    check_register_within,
    do_accept_transfer,
    do_decline_transfer,
    do_download_export,
    do_request_export,
    do_reveal,
    do_update_person,
)
from fangkong.people.forms import PersonForm, TransferDeclineForm
from fangkong.people.models import ExportStatus, Person, TransferStatus
from fangkong.people.paging import keyset_page
from fangkong.people.panels import render_panels
from fangkong.people.tasks import export_people
from fangkong.regions.models import Level


@require_GET
@login_required
def person_list(request: HttpRequest) -> HttpResponse:
    root = require(request.user, Perm.PEOPLE_VIEW)
    qs = people_for(request.user)
    q = request.GET.get("q", "").strip()
    region_code = request.GET.get("region", "").strip()
    if region_code:
        qs = in_unit(qs, request.user, region_code)
    page = keyset_page(qs, after=request.GET.get("after", ""), before=request.GET.get("before", ""), q=q)
    villages = regions_for(request.user).filter(level=Level.VILLAGE).select_related("parent")
    base = urlencode({k: v for k, v in {"q": q, "region": region_code}.items() if v})
    context = {
        "page_obj": page,
        "q": q,
        "region_code": region_code,
        "villages": villages,
        "querystring_base": base + "&" if base else "",
        "can_change": has_perm(request.user, Perm.PEOPLE_CHANGE),
        "can_export": has_perm(request.user, Perm.PEOPLE_EXPORT),
        "transfers_waiting": transfers_for(request.user)
        .filter(within(root, via="from_region"), status=TransferStatus.PENDING)
        .count(),
    }
    template = "people/partials/rows.html" if request.headers.get("HX-Request") else "people/list.html"
    return render(request, template, context)


@require_POST
@login_required
def person_export(request: HttpRequest) -> HttpResponse:
    """Queue the filtered list as a CSV file (masked like every page); the job queue writes it."""
    root = require(request.user, Perm.PEOPLE_EXPORT)
    q = request.POST.get("q", "").strip()
    region_code = request.POST.get("region", "").strip()
    if region_code:
        access_region(request.user, region_code)
    export = do_request_export(acting_user(request), root, q=q, region_code=region_code, now=timezone.now())
    export_people(export.pk)  # the request is not atomic: the export row is already committed
    return redirect("people:export_detail", export_uuid=export.uuid)


@require_GET
@login_required
def export_detail(request: HttpRequest, export_uuid: uuid.UUID) -> HttpResponse:
    export = access_export(request.user, export_uuid)
    template = (
        "people/partials/export_status.html" if request.headers.get("HX-Request") else "people/export.html"
    )
    return render(request, template, {"export": export})


@require_GET
@login_required
def export_download(request: HttpRequest, export_uuid: uuid.UUID) -> FileResponse:
    export = access_export(request.user, export_uuid)
    if export.status != ExportStatus.DONE:
        raise Http404
    path = do_download_export(acting_user(request), export, timezone.now())
    if not path.is_file():
        raise Http404
    local = timezone.localtime(export.created_at)
    return FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=f"people-{local:%Y%m%d-%H%M}-{export.requested_by.get_username()}.csv",
        content_type=CSV_CONTENT_TYPE,
    )


@require_GET
@login_required
def person_detail(request: HttpRequest, person_uuid: uuid.UUID) -> HttpResponse:
    person = access_person(request.user, person_uuid)
    members = (
        people_for(request.user).filter(household=person.household).exclude(pk=person.pk)
        if person.household_id
        else Person.objects.none()
    )
    return render(
        request,
        "people/detail.html",
        {
            "person": person,
            "age": person.age_on(timezone.localdate()),
            "members": members,
            "panels": render_panels(request, person),
            "can_change": has_perm(request.user, Perm.PEOPLE_CHANGE),
            "can_reveal": has_perm(request.user, Perm.PEOPLE_REVEAL),
        },
    )


@require_POST
@login_required
def person_reveal(request: HttpRequest, person_uuid: uuid.UUID) -> HttpResponse:
    person = access_person(request.user, person_uuid, Perm.PEOPLE_REVEAL)
    values = do_reveal(acting_user(request), person)
    return render(request, "people/partials/revealed.html", {"person": person, "values": values})


@require_http_methods(["GET", "POST"])
@login_required
def person_create(request: HttpRequest) -> HttpResponse:
    require(request.user, Perm.PEOPLE_CHANGE)
    regions = regions_for(request.user, Perm.PEOPLE_CHANGE)
    form = PersonForm(request.POST or None, regions=regions)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            person, created = check_register_within(acting_user(request), **data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            if created:
                messages.success(request, _("Person registered."))
            else:
                messages.info(request, _("This document is already registered; here is that person."))
            return redirect("people:detail", person_uuid=person.uuid)
    return render(request, "people/form.html", {"form": form, "creating": True})


@require_http_methods(["GET", "POST"])
@login_required
def person_edit(request: HttpRequest, person_uuid: uuid.UUID) -> HttpResponse:
    person = access_person(request.user, person_uuid, Perm.PEOPLE_CHANGE)
    regions = regions_for(request.user, Perm.PEOPLE_CHANGE)
    initial = {
        "name": person.name,
        "document_type": person.document_type,
        "sex": person.sex,
        "address": person.address,
        "region": person.region,
        "household_number": person.household.number if person.household else "",
        "version": person.version,
    }
    form = PersonForm(request.POST or None, regions=regions, initial=initial)
    # Full numbers are never put into the page: left blank, they stay as they are.
    form.fields["document_number"].help_text = _("Leave blank to keep %(masked)s.") % {
        "masked": person.masked_document
    }
    form.fields["phone"].help_text = _("Leave blank to keep %(masked)s.") % {"masked": person.masked_phone}
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        for secret in ("document_number", "phone"):
            if not data[secret]:
                data.pop(secret)
        if not data.get("sex"):
            data.pop("sex", None)
        expected = data.pop("version", None)
        try:
            do_update_person(acting_user(request), person, expected_version=expected, **data)
        except StaleEditError as exc:
            add_errors(form, exc)
            carry_current_version(form, exc)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("people:detail", person_uuid=person.uuid)
    return render(request, "people/form.html", {"form": form, "person": person, "creating": False})


@require_GET
@login_required
def transfer_list(request: HttpRequest) -> HttpResponse:
    """移交: hand-overs to decide (people of this unit reported elsewhere) and those this unit asked for."""
    root = require(request.user, Perm.PEOPLE_VIEW)
    transfers = list(transfers_for(request.user)[:200])
    incoming = [t for t in transfers if root.contains(t.from_region)]
    outgoing = [t for t in transfers if not root.contains(t.from_region)]
    return render(
        request,
        "people/transfers.html",
        {
            "incoming": incoming,
            "outgoing": outgoing,
            "can_decide": has_perm(request.user, Perm.PEOPLE_CHANGE),
            "decline_form": TransferDeclineForm(),
        },
    )


@require_POST
@login_required
def transfer_accept(request: HttpRequest, transfer_uuid: uuid.UUID) -> HttpResponse:
    transfer = access_transfer_to_decide(request.user, transfer_uuid)
    try:
        do_accept_transfer(acting_user(request), transfer, timezone.now())
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("Handed over: the person now belongs to %(unit)s.") % {"unit": transfer.region.full_name},
        )
    return redirect("people:transfers")


@require_POST
@login_required
def transfer_decline(request: HttpRequest, transfer_uuid: uuid.UUID) -> HttpResponse:
    transfer = access_transfer_to_decide(request.user, transfer_uuid)
    form = TransferDeclineForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a reason."))
        return redirect("people:transfers")
    try:
        do_decline_transfer(acting_user(request), transfer, form.cleaned_data["note"], timezone.now())
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Hand-over declined."))
    return redirect("people:transfers")
