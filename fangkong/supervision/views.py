"""Supervision pages: the rate and the items (overdue first), inspections with their findings, an item with its
photos and the fix report / review, notices (PDF kept) and the public notice page."""

from __future__ import annotations

import uuid
from typing import cast
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from fangkong.accounts.access import acting_user, has_perm, in_unit, regions_for, require
from fangkong.accounts.permissions import Perm
from fangkong.lib.photos import photo_response
from fangkong.lib.reporting_day import SHANGHAI, local_date
from fangkong.lib.web import add_errors, public
from fangkong.regions.models import Level, Region
from fangkong.supervision.access import (
    access_evidence,
    access_inspection,
    access_item,
    access_notice,
    inspections_for,
    items_for,
    may_inspect,
    may_report_fix,
    notices_for,
)
from fangkong.supervision.actions import (
    do_accept_fix,
    do_open_item,
    do_record_inspection,
    do_report_fix,
    do_return_fix,
)
from fangkong.supervision.figures import rate_table
from fangkong.supervision.forms import FindingForm, FixForm, InspectionForm, NoticeForm, ReviewForm
from fangkong.supervision.models import (
    Checklist,
    EvidenceStage,
    Notice,
    PlaceKind,
    RectificationItemQuerySet,
    RectificationStatus,
)
from fangkong.supervision.notices import do_publish_notice

UNIT_LEVELS = (Level.COUNTY, Level.TOWNSHIP, Level.VILLAGE)


def _units(request: HttpRequest, perm: Perm) -> object:
    return regions_for(request.user, perm).filter(level__in=UNIT_LEVELS).order_by("path")


@require_GET
@login_required
def home(request: HttpRequest) -> HttpResponse:
    """边巡边改: the rate by unit and kind, then the items, overdue first."""
    root = require(request.user, Perm.SUPERVISION_VIEW)
    today = timezone.localdate()
    items = items_for(request.user)
    code = request.GET.get("unit", "").strip()
    unit = root
    if code:
        items = cast(
            RectificationItemQuerySet, in_unit(items, request.user, code, perm=Perm.SUPERVISION_VIEW)
        )
        unit = Region.objects.get(code=code)
    table = rate_table(items, unit, today)
    status = request.GET.get("status", "")
    listed = items.filter(status=status) if status in RectificationStatus.values else items
    if request.GET.get("overdue"):
        listed = listed.overdue(today)
    page = Paginator(listed.overdue_first(today), 50).get_page(request.GET.get("page"))
    params = {k: v for k, v in request.GET.items() if k != "page" and v}
    return render(
        request,
        "supervision/home.html",
        {
            "unit": unit,
            "table": table,
            "page_obj": page,
            "today": today,
            "status": status,
            "statuses": RectificationStatus.choices,
            "querystring_base": urlencode(params) + "&" if params else "",
            "can_inspect": has_perm(request.user, Perm.SUPERVISION_INSPECT),
        },
    )


@require_GET
@login_required
def inspection_list(request: HttpRequest) -> HttpResponse:
    require(request.user, Perm.SUPERVISION_VIEW)
    qs = inspections_for(request.user)
    code = request.GET.get("unit", "").strip()
    if code:
        qs = in_unit(qs, request.user, code, perm=Perm.SUPERVISION_VIEW)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "supervision/inspection_list.html",
        {
            "page_obj": page,
            "querystring_base": f"unit={code}&" if code else "",
            "can_inspect": has_perm(request.user, Perm.SUPERVISION_INSPECT),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def inspection_create(request: HttpRequest) -> HttpResponse:
    """A new inspection: first the kind of place (which picks the checklist), then the form."""
    require(request.user, Perm.SUPERVISION_INSPECT)
    kind = request.GET.get("kind", "")
    if kind not in PlaceKind.values:
        return render(request, "supervision/inspection_kind.html", {"kinds": PlaceKind.choices})
    checklist = Checklist.objects.filter(place_kind=kind, is_active=True).order_by("code").first()
    points = list(checklist.points) if checklist else []
    now = timezone.now()
    form = InspectionForm(
        request.POST or None,
        units=_units(request, Perm.SUPERVISION_INSPECT),  # type: ignore[arg-type]
        points=points,
        initial={"inspected_at": now.astimezone(SHANGHAI).replace(tzinfo=None, second=0, microsecond=0)},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        inspected_at = data["inspected_at"]
        if timezone.is_naive(inspected_at):
            inspected_at = inspected_at.replace(tzinfo=SHANGHAI)
        try:
            inspection = do_record_inspection(
                acting_user(request),
                region=data["region"],
                place_kind=kind,
                place_name=data["place_name"],
                inspected_at=inspected_at,
                checklist=checklist,
                failed_points=data.get("failed_points", []),
                note=data["note"],
                now=now,
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Inspection recorded. Add its findings."))
            return redirect("supervision:inspection", inspection_uuid=inspection.uuid)
    return render(
        request,
        "supervision/inspection_form.html",
        {"form": form, "kind_label": PlaceKind(kind).label, "checklist": checklist},
    )


def _finding_form(
    request: HttpRequest, data: object = None, files: object = None, region: Region | None = None
) -> FindingForm:
    return FindingForm(
        data,
        files,
        units=_units(request, Perm.SUPERVISION_INSPECT),  # type: ignore[arg-type]
        initial={"region": region, "kind": "deadline"},
    )


@require_http_methods(["GET", "POST"])
@login_required
def inspection_detail(request: HttpRequest, inspection_uuid: uuid.UUID) -> HttpResponse:
    """An inspection with its checklist results and findings; the inspector adds findings here."""
    inspection = access_inspection(request.user, inspection_uuid)
    can_inspect = has_perm(request.user, Perm.SUPERVISION_INSPECT)
    form = None
    if can_inspect:
        if request.method == "POST":
            form = _finding_form(request, request.POST, request.FILES, inspection.region)
            if form.is_valid():
                data = form.cleaned_data
                try:
                    do_open_item(
                        acting_user(request),
                        region=data["region"],
                        kind=data["kind"],
                        description=data["description"],
                        due_on=data["due_on"],
                        inspection=inspection,
                        photos=data["photos"],
                        now=timezone.now(),
                    )
                except ValidationError as exc:
                    add_errors(form, exc)
                else:
                    messages.success(request, _("Finding recorded; the unit has been told."))
                    return redirect("supervision:inspection", inspection_uuid=inspection.uuid)
        else:
            form = _finding_form(request, region=inspection.region)
    elif request.method == "POST":
        raise Http404
    items = items_for(request.user).filter(inspection=inspection).order_by("found_at", "id")
    return render(
        request,
        "supervision/inspection_detail.html",
        {"inspection": inspection, "items": items, "form": form, "today": timezone.localdate()},
    )


@require_GET
@login_required
def item_detail(request: HttpRequest, item_uuid: uuid.UUID) -> HttpResponse:
    item = access_item(request.user, item_uuid)
    return _item_page(request, item, FixForm(), ReviewForm())


def _item_page(
    request: HttpRequest, item: object, fix_form: FixForm, review_form: ReviewForm
) -> HttpResponse:
    from fangkong.supervision.models import RectificationItem

    assert isinstance(item, RectificationItem)  # noqa: S101
    photos = list(item.evidence.all())
    return render(
        request,
        "supervision/item_detail.html",
        {
            "item": item,
            "finding_photos": [p for p in photos if p.stage == EvidenceStage.FINDING],
            "fix_photos": [p for p in photos if p.stage == EvidenceStage.FIX],
            "today": timezone.localdate(),
            "can_report": may_report_fix(request.user, item) and item.status == RectificationStatus.OPEN,
            "can_review": may_inspect(request.user, item) and item.status == RectificationStatus.REPORTED,
            "fix_form": fix_form,
            "review_form": review_form,
        },
    )


@require_POST
@login_required
def item_report(request: HttpRequest, item_uuid: uuid.UUID) -> HttpResponse:
    item = access_item(request.user, item_uuid, Perm.RECTIFICATION_REPORT)
    form = FixForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            do_report_fix(
                acting_user(request),
                item,
                note=form.cleaned_data["note"],
                photos=form.cleaned_data["photos"],
                now=timezone.now(),
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Fix reported; the inspector will review it."))
            return redirect("supervision:item", item_uuid=item.uuid)
    item.refresh_from_db()
    return _item_page(request, item, form, ReviewForm())


@require_POST
@login_required
def item_review(request: HttpRequest, item_uuid: uuid.UUID, decision: str) -> HttpResponse:
    item = access_item(request.user, item_uuid, Perm.SUPERVISION_INSPECT)
    if decision not in ("accept", "return"):
        raise Http404
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            if decision == "accept":
                do_accept_fix(acting_user(request), item, note=form.cleaned_data["note"], now=timezone.now())
                messages.success(request, _("Fix accepted; the item is closed."))
            else:
                do_return_fix(acting_user(request), item, note=form.cleaned_data["note"], now=timezone.now())
                messages.success(request, _("Fix returned to the unit."))
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            return redirect("supervision:item", item_uuid=item.uuid)
    item.refresh_from_db()
    return _item_page(request, item, FixForm(), form)


@require_GET
@login_required
def evidence_file(request: HttpRequest, evidence_uuid: uuid.UUID) -> FileResponse:
    """A stored photo (always our own re-encoded JPEG), for readers of its item only."""
    return photo_response(access_evidence(request.user, evidence_uuid).file)


@require_GET
@login_required
def notice_list(request: HttpRequest) -> HttpResponse:
    require(request.user, Perm.SUPERVISION_VIEW)
    page = Paginator(notices_for(request.user), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "supervision/notice_list.html",
        {"page_obj": page, "can_publish": has_perm(request.user, Perm.SUPERVISION_INSPECT)},
    )


@require_http_methods(["GET", "POST"])
@login_required
def notice_create(request: HttpRequest) -> HttpResponse:
    require(request.user, Perm.SUPERVISION_INSPECT)
    now = timezone.now()
    choices = items_for(request.user, Perm.SUPERVISION_INSPECT).overdue_first(local_date(now))[:300]
    year = local_date(now).year
    count = notices_for(request.user).filter(published_at__year=year).count()
    form = NoticeForm(
        request.POST or None,
        items=items_for(request.user, Perm.SUPERVISION_INSPECT),
        initial={"number": _("Supervision notice [%(year)d] No. %(n)d") % {"year": year, "n": count + 1}},
    )
    form.fields["items"].queryset = form.fields["items"].queryset.filter(  # type: ignore[attr-defined]
        pk__in=[i.pk for i in choices]
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            notice = do_publish_notice(
                acting_user(request),
                number=data["number"],
                title=data["title"],
                body=data["body"],
                items=list(data["items"]),
                is_public=data["is_public"],
                now=now,
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Notice published and sent to the units named."))
            return redirect("supervision:notice", notice_uuid=notice.uuid)
    return render(request, "supervision/notice_form.html", {"form": form})


@require_GET
@login_required
def notice_detail(request: HttpRequest, notice_uuid: uuid.UUID) -> HttpResponse:
    notice = access_notice(request.user, notice_uuid)
    items = notice.items.select_related("region").order_by("region__path", "found_at")
    return render(request, "supervision/notice_detail.html", {"notice": notice, "items": items})


@require_GET
@login_required
def notice_pdf(request: HttpRequest, notice_uuid: uuid.UUID) -> FileResponse:
    notice = access_notice(request.user, notice_uuid)
    if not notice.pdf:
        raise Http404
    return FileResponse(
        notice.pdf.open("rb"),
        content_type="application/pdf",
        filename=f"{notice.number}.pdf",
        as_attachment=False,
    )


@public
@require_GET
def public_notices(request: HttpRequest) -> HttpResponse:
    """督查通报 (公示): the notices published for the public — units and findings, no personal data."""
    page = Paginator(Notice.objects.filter(is_public=True).select_related("region"), 20).get_page(
        request.GET.get("page")
    )
    return render(request, "supervision/public_notices.html", {"page_obj": page})


@public
@require_GET
def public_notice(request: HttpRequest, notice_uuid: uuid.UUID) -> HttpResponse:
    notice = get_object_or_404(Notice.objects.select_related("region"), uuid=notice_uuid, is_public=True)
    items = notice.items.select_related("region").order_by("region__path", "found_at")
    return render(request, "supervision/public_notice.html", {"notice": notice, "items": items})
