"""Push-list pages: batches with upload and progress, batch figures and downloads, the routing queue,
the items of the user's unit (dispatch, verify) and the overdue list."""

from __future__ import annotations

import datetime
import tempfile
import uuid
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
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
    in_jurisdiction,
    in_unit,
    regions_for,
    require,
    within,
)
from fangkong.accounts.models import User
from fangkong.accounts.permissions import ROLE_PERMISSIONS, Perm
from fangkong.lib import idnumbers
from fangkong.lib.masking import mask_document, mask_phone
from fangkong.people.access import people_for
from fangkong.people.models import DocumentType
from fangkong.pushlists import progress, tasks
from fangkong.pushlists.access import (
    access_batch,
    access_item,
    access_own_batch,
    batches_for,
    items_for,
    owns_batch,
)
from fangkong.pushlists.actions import (
    current_match,
    do_assign,
    do_dispatch,
    do_export_errors,
    do_export_feedback,
    do_link_person,
    do_register_batch,
    do_register_item_person,
    do_rerun_batch,
    do_verify,
    save_upload,
)
from fangkong.pushlists.forms import DispatchForm, PersonLinkForm, UploadForm, VerifyForm
from fangkong.pushlists.models import (
    PERSON_HERE_OUTCOMES,
    BatchStatus,
    FieldFlag,
    Outcome,
    PushBatch,
    PushItem,
    PushItemQuerySet,
)
from fangkong.pushlists.stats import UnitRow, overdue_by_unit, township_table
from fangkong.regions.models import Level, Region
from fangkong.regions.queries import cached_count, cached_until_change

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
VERIFIER_ROLES = [role for role, perms in ROLE_PERMISSIONS.items() if Perm.PUSHLIST_VERIFY in perms]


def _batch_list_context(request: HttpRequest, form: UploadForm | None = None) -> dict[str, Any]:
    can_import = has_perm(request.user, Perm.PUSHLIST_IMPORT)
    page = Paginator(batches_for(request.user).order_by("-created_at", "-id"), 25).get_page(
        request.GET.get("page")
    )
    return {
        "page_obj": page,
        # (batch, whether the user's office imported it): only the importer sees the file's counts.
        "batches": [(batch, owns_batch(request.user, batch)) for batch in page],
        "can_import": can_import,
        "form": form or (UploadForm() if can_import else None),
        "can_dispatch": has_perm(request.user, Perm.PUSHLIST_DISPATCH),
        "querystring_base": "",
    }


@require_GET
@login_required
def batch_list(request: HttpRequest) -> HttpResponse:
    require(request.user, Perm.SCREENING_VIEW)
    return render(request, "pushlists/batch_list.html", _batch_list_context(request))


@require_POST
@login_required
def batch_upload(request: HttpRequest) -> HttpResponse:
    require(request.user, Perm.PUSHLIST_IMPORT)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, "pushlists/batch_list.html", _batch_list_context(request, form), status=400)
    upload = form.cleaned_data["file"]
    path = save_upload(upload.chunks(), Path(upload.name).suffix.lower())
    try:
        batch, is_new = do_register_batch(
            acting_user(request),
            path,
            name=form.cleaned_data["name"],
            now=timezone.now(),
            deadline_hours=form.cleaned_data["deadline_hours"],
            file_name=upload.name,
        )
    except ValidationError as exc:
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
        return render(request, "pushlists/batch_list.html", _batch_list_context(request, form), status=400)
    finally:
        path.unlink(missing_ok=True)
    if batch.status == BatchStatus.DONE:
        messages.info(request, _("This file was imported before; nothing new was created."))
    else:
        if not is_new:
            messages.info(request, _("This file was uploaded before; its import runs again."))
        if not tasks.queue_import(batch, acting_user(request)):
            messages.error(request, _("The import could not be queued; run it again later."))
    return redirect("pushlists:batch", batch_uuid=batch.uuid)


@require_GET
@login_required
def batch_detail(request: HttpRequest, batch_uuid: uuid.UUID) -> HttpResponse:
    batch = access_batch(request.user, batch_uuid)
    own = owns_batch(request.user, batch)
    rows = batch_table(acting_user(request), batch)
    return render(
        request,
        "pushlists/batch_detail.html",
        {
            "batch": batch,
            "rows": rows,
            "own": own,
            "progress": _progress(batch.uuid),
        },
    )


def batch_table(user: User, batch: PushBatch) -> list[UnitRow]:
    """The per-township table of a finished batch, for the user's jurisdiction.

    A batch holds up to a million items: its table is counted once per change and minute.
    """
    if batch.status != BatchStatus.DONE:
        return []
    items = items_for(user).filter(batch=batch)
    minute = _minute()
    return cached_until_change(
        f"pushlists:batch-table:{user.pk}:{batch.pk}:{minute.isoformat()}",
        lambda: township_table(items, batch.region, minute),
        also=[PushItem],
        ttl=120,
    )


def counted_page(qs: QuerySet[PushItem], per_page: int, number: Any) -> Page[PushItem]:
    """A page of items whose total is kept until a change (counting a district's items walks all of them)."""
    paginator = Paginator(qs, per_page)
    paginator.__dict__["count"] = cached_count(qs, also=[PushItem])
    return paginator.get_page(number)


def _minute() -> datetime.datetime:
    """Now, to the minute: the overdue lists and counts are kept for a minute (an item turns overdue by the
    clock, not by a change); an item is listed overdue from the first minute after its deadline."""
    return timezone.now().replace(second=0, microsecond=0)


def _progress(batch_uuid: uuid.UUID) -> dict[str, int]:
    done, total = progress.read(batch_uuid)
    return {"done": done, "total": total, "percent": int(100 * done / total) if total else 0}


@require_GET
@login_required
def batch_progress(request: HttpRequest, batch_uuid: uuid.UUID) -> HttpResponse:
    batch = access_batch(request.user, batch_uuid)
    response = render(
        request, "pushlists/partials/progress.html", {"batch": batch, "progress": _progress(batch.uuid)}
    )
    if batch.is_finished:
        response["HX-Refresh"] = "true"  # the whole page changes: figures, downloads
    return response


def _xlsx_response(fh: Any, name: str) -> FileResponse:
    fh.seek(0)
    return FileResponse(fh, as_attachment=True, filename=name, content_type=XLSX)


@require_GET
@login_required
def batch_errors(request: HttpRequest, batch_uuid: uuid.UUID) -> FileResponse:
    batch = access_own_batch(request.user, batch_uuid)
    fh = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
    do_export_errors(acting_user(request), batch, fh, timezone.now())
    return _xlsx_response(fh, f"errors-{batch.uuid}.xlsx")


@require_GET
@login_required
def batch_feedback(request: HttpRequest, batch_uuid: uuid.UUID) -> FileResponse:
    batch = access_batch(request.user, batch_uuid)
    if batch.status != BatchStatus.DONE:
        raise Http404
    fh = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
    do_export_feedback(
        acting_user(request), batch, items_for(request.user).filter(batch=batch), fh, timezone.now()
    )
    return _xlsx_response(fh, f"feedback-{batch.uuid}.xlsx")


@require_POST
@login_required
def batch_rerun(request: HttpRequest, batch_uuid: uuid.UUID) -> HttpResponse:
    batch = access_own_batch(request.user, batch_uuid)
    try:
        batch = do_rerun_batch(acting_user(request), batch, timezone.now())
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("pushlists:batch", batch_uuid=batch.uuid)
    if tasks.queue_import(batch, acting_user(request)):
        messages.info(request, _("The import runs again."))
    else:
        messages.error(request, _("The import could not be queued; run it again later."))
    return redirect("pushlists:batch", batch_uuid=batch.uuid)


def _targets(user: User) -> tuple[list[Any], list[User]]:
    root = require(user, Perm.PUSHLIST_DISPATCH)
    units = list(
        regions_for(user)
        .filter(level__in=[Level.TOWNSHIP, Level.VILLAGE, Level.GRID])
        .select_related("parent")
        .order_by("path")
    )
    workers = list(
        User.objects.filter(
            within(root),
            is_active=True,
            role__in=VERIFIER_ROLES,
            region__level__in=[Level.VILLAGE, Level.GRID],
        )
        .select_related("region")
        .order_by("region__path", "username")[:500]
    )
    return units, workers


def unit_groups(units: list[Region]) -> list[tuple[str, list[Region]]]:
    """The dispatch dropdown's units as option groups: townships together, then each village with its grids, so
    "第1网格" is never read without the village it belongs to."""
    groups: list[tuple[str, list[Region]]] = []
    townships = [u for u in units if u.level == Level.TOWNSHIP]
    if townships:
        groups.append((str(_("Townships")), townships))
    villages: dict[int, list[Region]] = {}
    labels: dict[int, str] = {}
    for u in units:
        if u.level == Level.VILLAGE:
            villages.setdefault(u.pk, []).insert(0, u)
            labels[u.pk] = f"{u.parent.name} · {u.name}" if u.parent else u.name
        elif u.level == Level.GRID and u.parent_id is not None:
            villages.setdefault(u.parent_id, []).append(u)
            if u.parent_id not in labels and u.parent is not None:
                labels[u.parent_id] = u.parent.name
    groups += [(labels.get(pk, ""), members) for pk, members in villages.items()]
    return groups


def _with_masks(items: Any) -> list[PushItem]:
    rows = list(items)
    for item in rows:
        item.masked_id = mask_document(item.id_number)  # type: ignore[attr-defined,unused-ignore]
    return rows


ITEM_FILTERS = ("pending", "overdue", "verified", "all")


def _filtered(qs: PushItemQuerySet, status: str, now: Any) -> QuerySet[PushItem]:
    if status == "pending":
        return qs.pending()
    if status == "overdue":
        return qs.overdue(now)
    if status == "verified":
        return qs.exclude(outcome="")
    return qs


@require_GET
@login_required
def item_list(request: HttpRequest) -> HttpResponse:
    require(request.user, Perm.SCREENING_VIEW)
    now = timezone.now()
    status = request.GET.get("status", "pending")
    if status not in ITEM_FILTERS:
        status = "pending"
    qs = _filtered(items_for(request.user), status, _minute()).order_by("deadline_at", "id")
    region_code = request.GET.get("region", "").strip()
    if region_code:
        qs = in_unit(qs, request.user, region_code)
    page = counted_page(qs, 50, request.GET.get("page"))
    can_dispatch = has_perm(request.user, Perm.PUSHLIST_DISPATCH)
    units, workers = _targets(acting_user(request)) if can_dispatch else ([], [])
    base = urlencode({k: v for k, v in {"status": status, "region": region_code}.items() if v})
    return render(
        request,
        "pushlists/item_list.html",
        {
            "page_obj": page,
            "items": _with_masks(page.object_list),
            "status": status,
            "filters": ITEM_FILTERS,
            "now": now,
            "can_dispatch": can_dispatch,
            "unit_groups": unit_groups(units),
            "workers": workers,
            "can_verify": has_perm(request.user, Perm.PUSHLIST_VERIFY),
            "querystring_base": base + "&",
            "title": _("Push items of my unit"),
            "queue": False,
        },
    )


@require_GET
@login_required
def queue(request: HttpRequest) -> HttpResponse:
    """Rows the import could not route, waiting at the county for the command office."""
    root = require(request.user, Perm.PUSHLIST_DISPATCH)
    if root.level != Level.COUNTY:
        raise Http404
    # The county itself is the one county-level unit of its subtree: naming it lets the database read the
    # open items of that unit in file order from one index and stop after a page (through the join to the
    # units it sorted all 10,000 open items of a city).
    qs = items_for(request.user, Perm.PUSHLIST_DISPATCH).pending().filter(region=root)
    page = counted_page(qs.order_by("batch_id", "row_number"), 50, request.GET.get("page"))
    townships = list(regions_for(request.user).filter(level=Level.TOWNSHIP).order_by("path"))
    return render(
        request,
        "pushlists/item_list.html",
        {
            "page_obj": page,
            "items": _with_masks(page.object_list),
            "status": "pending",
            "filters": (),
            "now": timezone.now(),
            "can_dispatch": True,
            "unit_groups": unit_groups(townships),
            "workers": [],
            "can_verify": False,
            "querystring_base": "",
            "title": _("Rows waiting for routing"),
            "queue": True,
        },
    )


@require_POST
@login_required
def item_dispatch(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    require(user, Perm.PUSHLIST_DISPATCH)
    form = DispatchForm(request.POST)
    back = request.POST.get("next", "")
    if not back.startswith("/push-lists/"):
        back = "/push-lists/items/"
    if not form.is_valid():
        for error in form.non_field_errors() or [_("Choose whom to hand the items to.")]:
            messages.error(request, str(error))
        return redirect(back)
    chosen = list(items_for(user, Perm.PUSHLIST_DISPATCH).filter(uuid__in=form.item_uuids))
    if len(chosen) != len(set(form.item_uuids)):
        raise Http404  # an item outside the jurisdiction, or none at all
    now = timezone.now()
    try:
        if form.cleaned_data["kind"] == "region":
            moved = do_dispatch(user, chosen, access_region(user, form.cleaned_data["value"]), now)
        else:
            try:
                worker = User.objects.select_related("region").get(uuid=form.cleaned_data["value"])
            except (User.DoesNotExist, ValidationError, ValueError):
                raise Http404 from None
            moved = do_assign(user, chosen, worker, now)
    except ValidationError as exc:
        for error in exc.messages:
            messages.error(request, error)
        return redirect(back)
    messages.success(request, _("%(n)d items handed on.") % {"n": moved})
    return redirect(back)


def _person_units(user: User) -> list[Region]:
    """Villages and grids a verifier may register a person at (the dropdown of the item page)."""
    return list(
        regions_for(user)
        .filter(level__in=[Level.VILLAGE, Level.GRID])
        .select_related("parent")
        .order_by("path")[:500]
    )


def _unit_choices(units: list[Region]) -> list[tuple[str, str]]:
    return [
        (u.code, f"{u.parent.name} · {u.name}" if u.level == Level.GRID and u.parent else u.name)
        for u in units
    ]


def _chosen_unit(user: User, code: str) -> Region | None:
    return access_region(user, code) if code else None


@require_http_methods(["GET", "POST"])
@login_required
def item_verify(request: HttpRequest, item_uuid: uuid.UUID) -> HttpResponse:
    from fangkong.screening.measures import measure_choices

    item = access_item(request.user, item_uuid)
    can_verify = has_perm(request.user, Perm.PUSHLIST_VERIFY)
    user = acting_user(request)
    needs_unit = can_verify and not item.outcome and item.region.level not in (Level.VILLAGE, Level.GRID)
    units = _person_units(user) if needs_unit else []
    form = VerifyForm(request.POST or None, measures=measure_choices(), units=_unit_choices(units))
    status = 200
    if request.method == "POST":
        if not can_verify:
            raise Http404
        if form.is_valid():
            try:
                do_verify(
                    user,
                    item,
                    outcome=form.cleaned_data["outcome"],
                    note=form.cleaned_data["outcome_note"],
                    measure_code=form.cleaned_data["measure_code"],
                    person_region=_chosen_unit(user, form.cleaned_data["person_region"]),
                    now=timezone.now(),
                )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, _("Verification recorded."))
                return redirect("pushlists:items")
        status = 400
    return _item_page(request, item, form, can_verify, units, status)


def _item_page(
    request: HttpRequest,
    item: PushItem,
    form: VerifyForm,
    can_verify: bool,
    units: list[Region],
    status: int = 200,
    link_form: PersonLinkForm | None = None,
) -> HttpResponse:
    from fangkong.screening.public import double_report_of

    person = current_match(item)
    return render(
        request,
        "pushlists/item_verify.html",
        {
            "item": item,
            "masked_id": mask_document(item.id_number),
            # A placeholder (暂无) is no number: shown as pushed; anything else is masked.
            "masked_phone": item.phone
            if item.phone_flag == FieldFlag.PLACEHOLDER
            else (mask_phone(item.phone_e164 or item.phone) if item.phone else ""),
            "person": person,
            "person_masked_id": mask_document(person.document_number) if person else "",
            "person_visible": person is not None and in_jurisdiction(request.user, person.region),
            "double_report": double_report_of(person.pk if person else None),
            "linked": item.person_id is not None,
            "form": form,
            "link_form": link_form or PersonLinkForm(),
            "outcomes": Outcome.choices,
            "person_here": sorted(PERSON_HERE_OUTCOMES),
            "needs_unit": bool(units),
            "can_verify": can_verify and not item.outcome,
            "now": timezone.now(),
        },
        status=status,
    )


@require_POST
@login_required
def item_person(request: HttpRequest, item_uuid: uuid.UUID) -> HttpResponse:
    """Correct the import's match: link another person (by full ID number), register a new one, unlink."""
    from fangkong.screening.measures import measure_choices

    item = access_item(request.user, item_uuid, Perm.PUSHLIST_VERIFY)
    user = acting_user(request)
    form = PersonLinkForm(request.POST)
    now = timezone.now()
    try:
        if not form.is_valid():
            raise ValidationError({"person": _("Choose what to do with the person.")})
        action = form.cleaned_data["action"]
        if action == "unlink":
            do_link_person(user, item, None, now)
        elif action == "register":
            do_register_item_person(
                user, item, region=_chosen_unit(user, form.cleaned_data["person_region"]), now=now
            )
        else:
            try:
                number = idnumbers.normalise(form.cleaned_data["document_number"].strip())
            except idnumbers.IdNumberError as exc:
                raise ValidationError({"document_number": exc.message}) from None
            person = (
                people_for(user)
                .filter(document_type=DocumentType.RESIDENT_ID, document_number=number, is_active=True)
                .first()
            )
            if person is None:
                raise ValidationError(
                    {"document_number": _("No active person with this ID number in your jurisdiction.")}
                )
            do_link_person(user, item, person, now)
    except ValidationError as exc:
        for error in exc.messages:
            messages.error(request, error)
        needs_unit = not item.outcome and item.region.level not in (Level.VILLAGE, Level.GRID)
        units = _person_units(user) if needs_unit else []
        verify = VerifyForm(measures=measure_choices(), units=_unit_choices(units))
        return _item_page(request, item, verify, True, units, 400, form)
    messages.success(request, _("The person of this item was changed."))
    return redirect("pushlists:verify", item_uuid=item.uuid)


@require_GET
@login_required
def overdue(request: HttpRequest) -> HttpResponse:
    require(request.user, Perm.SCREENING_VIEW)
    now = timezone.now()
    items = items_for(request.user)
    # Every overdue item of the jurisdiction is counted (144,000 in a city): once per change and minute.
    minute = _minute()
    page = counted_page(items.overdue(minute).order_by("deadline_at", "id"), 50, request.GET.get("page"))
    units = cached_until_change(
        f"pushlists:overdue-units:{acting_user(request).pk}:{minute.isoformat()}",
        lambda: overdue_by_unit(items, minute),
        also=[PushItem],
        ttl=120,
    )
    return render(
        request,
        "pushlists/overdue.html",
        {
            "units": units,
            "page_obj": page,
            "items": _with_masks(page.object_list),
            "now": now,
            "querystring_base": "",
        },
    )
