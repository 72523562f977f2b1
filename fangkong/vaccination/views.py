"""Vaccination pages: coverage by unit, band and key group; the import of the vaccination system's export;
a dose registered at a site; the unvaccinated list of a grid with a reason per person; targets."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from fangkong.accounts.access import acting_user, has_perm, regions_for, require
from fangkong.accounts.permissions import Perm
from fangkong.audit.actions import record
from fangkong.audit.models import AuditAction
from fangkong.lib import importjobs
from fangkong.lib.reporting_day import local_date
from fangkong.lib.web import add_errors
from fangkong.regions.models import Level, Region
from fangkong.vaccination import coverage as cov
from fangkong.vaccination import tasks
from fangkong.vaccination.access import (
    access_import,
    access_person,
    access_site,
    imports_for,
    members_for,
    notes_for,
    people_for,
    sites_for,
    targets_for,
    unit_for,
)
from fangkong.vaccination.actions import (
    IMPORT_KIND,
    do_add_to_key_group,
    do_create_site,
    do_deactivate_site,
    do_register_dose,
    do_register_import,
    do_remove_from_key_group,
    do_set_reason,
    do_set_target,
    error_dir,
    save_upload,
)
from fangkong.vaccination.forms import DoseForm, ImportForm, MemberForm, ReasonForm, SiteForm, TargetForm
from fangkong.vaccination.models import KeyGroup, VaccinationImport

PAGE_SIZE = 50


@require_GET
@login_required
def coverage(request: HttpRequest) -> HttpResponse:
    """接种率: the unit and its child units, by age band and key group, against their targets."""
    root = require(request.user, Perm.VACCINATION_VIEW)
    unit = unit_for(request.user, request.GET.get("region", "").strip())
    today = local_date(timezone.now())
    return render(
        request,
        "vaccination/coverage.html",
        {
            "cov": cov.coverage(unit, today),
            "unit": unit,
            # Only the units the reader may open (a link works for its reader).
            "breadcrumbs": [r for r in unit.ancestors() if root.contains(r) and r.pk != unit.pk],
            "list_level": unit.level in (Level.VILLAGE, Level.GRID),
            "can_import": has_perm(request.user, Perm.VACCINATION_IMPORT),
            "can_record": has_perm(request.user, Perm.VACCINATION_RECORD),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def imports(request: HttpRequest) -> HttpResponse:
    """导入: upload an export of the vaccination system (imported by a background job); earlier imports."""
    root = require(request.user, Perm.VACCINATION_IMPORT)
    user = acting_user(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        path = save_upload(upload.chunks(), Path(upload.name).suffix.lower())
        try:
            batch, is_new = do_register_import(user, root, upload.name, path, timezone.now())
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            if not is_new:
                messages.info(request, _("This file is already being imported."))
            elif not tasks.queue_import(batch, user):
                messages.error(request, _("The import could not be queued; upload the file again later."))
            return redirect("vaccination:import", import_uuid=batch.uuid)
    return render(
        request,
        "vaccination/imports.html",
        {"form": form, "imports": imports_for(request.user)[:20]},
        status=400 if request.method == "POST" else 200,
    )


def _progress(batch: VaccinationImport) -> dict[str, int]:
    done, total = importjobs.read_progress(IMPORT_KIND, batch.uuid)
    return {"done": done, "total": total, "percent": int(100 * done / total) if total else 0}


@require_GET
@login_required
def import_detail(request: HttpRequest, import_uuid: uuid.UUID) -> HttpResponse:
    """One import: its progress while it runs, then its result (and the rows in error)."""
    batch = access_import(request.user, import_uuid)
    return render(request, "vaccination/import_detail.html", {"batch": batch, "progress": _progress(batch)})


@require_GET
@login_required
def import_progress(request: HttpRequest, import_uuid: uuid.UUID) -> HttpResponse:
    batch = access_import(request.user, import_uuid)
    response = render(
        request, "vaccination/partials/import_progress.html", {"batch": batch, "progress": _progress(batch)}
    )
    if batch.is_finished:
        response["HX-Refresh"] = "true"  # the whole page changes: the result, the error file
    return response


@require_GET
@login_required
def import_errors(request: HttpRequest, import_uuid: uuid.UUID) -> FileResponse:
    """The rows in error of a refused import, as CSV (document numbers masked)."""
    batch = access_import(request.user, import_uuid)
    if not batch.error_file:
        raise Http404
    path = error_dir() / batch.error_file
    if not path.exists():
        raise Http404
    record(acting_user(request), AuditAction.EXPORT, obj=batch, note=f"error rows: {batch.error_count}")
    return FileResponse(path.open("rb"), as_attachment=True, filename=f"vaccination-errors-{batch.uuid}.csv")


@require_http_methods(["GET", "POST"])
@login_required
def register(request: HttpRequest) -> HttpResponse:
    """登记: a dose given at a site, the person found by document number inside the jurisdiction."""
    require(request.user, Perm.VACCINATION_RECORD)
    user = acting_user(request)
    form = DoseForm(request.POST or None, sites=sites_for(request.user, Perm.VACCINATION_RECORD))
    if request.method == "POST" and form.is_valid():
        number = form.cleaned_data["document_number"].strip().upper()
        person = people_for(request.user, Perm.VACCINATION_RECORD).filter(document_number=number).first()
        if person is None:
            form.add_error(
                "document_number", _("No active person with this document number in your jurisdiction.")
            )
        else:
            try:
                dose = do_register_dose(
                    user,
                    person,
                    product=form.cleaned_data["product"],
                    dose_number=form.cleaned_data["dose_number"],
                    vaccinated_on=form.cleaned_data["vaccinated_on"],
                    site=form.cleaned_data["site"],
                    lot=form.cleaned_data["lot"],
                    now=timezone.now(),
                )
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("Dose %(dose)d of %(name)s (%(number)s) registered.")
                    % {"dose": dose.dose_number, "name": person.name, "number": person.masked_document},
                )
                return redirect("vaccination:register")
    return render(request, "vaccination/register.html", {"form": form})


@require_GET
@login_required
def unvaccinated(request: HttpRequest) -> HttpResponse:
    """未接种名单: the people of a grid (or village) to mobilise, each with the reason last recorded."""
    unit = unit_for(request.user, request.GET.get("region", "").strip())
    if unit.level not in (Level.VILLAGE, Level.GRID):
        grids = (
            Region.objects.active()
            .within(unit)
            .filter(level=Level.GRID)
            .select_related("parent__parent")
            .order_by("path")[:500]
        )
        # township / village / grid from the joined parents: one query, not one per grid.
        choices = [(g.code, _grid_label(g)) for g in grids]
        return render(request, "vaccination/pick_grid.html", {"unit": unit, "grids": choices})
    today = local_date(timezone.now())
    page = Paginator(cov.unvaccinated(unit, today), PAGE_SIZE).get_page(request.GET.get("page"))
    people = list(page.object_list)
    notes = {n.person_id: n for n in notes_for(request.user).filter(person__in=people)}
    rows = [(p, notes.get(p.pk), p.age_on(today)) for p in people]
    return render(
        request,
        "vaccination/unvaccinated.html",
        {
            "unit": unit,
            "rows": rows,
            "page_obj": page,
            "querystring_base": urlencode({"region": unit.code}) + "&",
            "can_mobilise": has_perm(request.user, Perm.VACCINATION_MOBILISE),
            "reasons": ReasonForm().fields["reason"].choices,  # type: ignore[attr-defined]
            "total": page.paginator.count,
        },
    )


def _grid_label(grid: Region) -> str:
    village = grid.parent
    township = village.parent if village is not None else None
    return " / ".join(r.name for r in (township, village, grid) if r is not None)


@require_POST
@login_required
def set_reason(request: HttpRequest, person_uuid: uuid.UUID) -> HttpResponse:
    person = access_person(request.user, person_uuid, Perm.VACCINATION_MOBILISE)
    form = ReasonForm(request.POST)
    back = reverse("vaccination:unvaccinated") + "?" + urlencode({"region": person.region.code})
    if form.is_valid():
        try:
            do_set_reason(
                acting_user(request),
                person,
                reason=form.cleaned_data["reason"],
                scheduled_on=form.cleaned_data["scheduled_on"],
                note=form.cleaned_data["note"],
                now=timezone.now(),
            )
        except ValidationError as exc:
            for errors in exc.message_dict.values():
                for error in errors:
                    messages.error(request, f"{person.name}：{error}")
        else:
            messages.success(request, _("Saved for %(name)s.") % {"name": person.name})
    else:
        for field_errors in form.errors.values():
            for field_error in field_errors:
                messages.error(request, f"{person.name}：{field_error}")
    return redirect(back + f"#p-{person.uuid}")


@require_http_methods(["GET", "POST"])
@login_required
def targets(request: HttpRequest) -> HttpResponse:
    """目标任务: target rates by unit, age band and key group."""
    require(request.user, Perm.VACCINATION_VIEW)
    can_set = has_perm(request.user, Perm.VACCINATION_IMPORT)
    units = (
        regions_for(request.user, Perm.VACCINATION_IMPORT)
        .filter(level__in=[Level.COUNTY, Level.TOWNSHIP, Level.VILLAGE])
        .order_by("path")
    )
    form = TargetForm(request.POST or None, units=units)
    if request.method == "POST":
        if not can_set:
            raise Http404
        if form.is_valid():
            try:
                do_set_target(
                    acting_user(request),
                    form.cleaned_data["region"],
                    band=form.cleaned_data["band"],
                    group=form.cleaned_data["group"],
                    rate=form.cleaned_data["rate"],
                )
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, _("Target saved."))
                return redirect("vaccination:targets")
    return render(
        request,
        "vaccination/targets.html",
        {
            "targets": targets_for(request.user).order_by("region__path", "band__min_age", "group__name"),
            "form": form if can_set else None,
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def key_groups(request: HttpRequest) -> HttpResponse:
    """重点人群: the members of a key group inside the jurisdiction; put people in by document number."""
    require(request.user, Perm.VACCINATION_VIEW)
    can_manage = has_perm(request.user, Perm.VACCINATION_RECORD)
    groups = list(KeyGroup.objects.all())
    code = request.GET.get("group", "").strip()
    group = next((g for g in groups if g.code == code), groups[0] if groups else None)
    form = MemberForm(request.POST or None, initial={"group": group})
    if request.method == "POST":
        if not can_manage:
            raise Http404
        if form.is_valid():
            chosen = form.cleaned_data["group"]
            number = form.cleaned_data["document_number"].strip().upper()
            person = people_for(request.user, Perm.VACCINATION_RECORD).filter(document_number=number).first()
            if person is None:
                form.add_error(
                    "document_number", _("No active person with this document number in your jurisdiction.")
                )
            else:
                label = {"name": person.name, "number": person.masked_document, "group": chosen.name}
                if do_add_to_key_group(acting_user(request), chosen, person):
                    messages.success(request, _("%(name)s (%(number)s) added to %(group)s.") % label)
                else:
                    messages.info(request, _("%(name)s (%(number)s) is already in %(group)s.") % label)
                return redirect(reverse("vaccination:key_groups") + "?" + urlencode({"group": chosen.code}))
    members = members_for(request.user)
    counts = dict(members.order_by().values_list("group_id").annotate(n=Count("id")))
    page = Paginator(
        members.filter(group=group).order_by("person__region__path", "person__name", "id"), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "vaccination/key_groups.html",
        {
            "groups": [(g, counts.get(g.pk, 0)) for g in groups],
            "group": group,
            "page_obj": page,
            "querystring_base": urlencode({"group": group.code if group else ""}) + "&",
            "form": form if can_manage and group is not None else None,
        },
        status=400 if request.method == "POST" else 200,
    )


@require_POST
@login_required
def remove_member(request: HttpRequest, person_uuid: uuid.UUID) -> HttpResponse:
    person = access_person(request.user, person_uuid, Perm.VACCINATION_RECORD)
    group = KeyGroup.objects.filter(code=request.POST.get("group", "")).first()
    if group is None:
        raise Http404
    if do_remove_from_key_group(acting_user(request), group, person):
        messages.success(
            request,
            _("%(name)s (%(number)s) removed from %(group)s.")
            % {"name": person.name, "number": person.masked_document, "group": group.name},
        )
    return redirect(reverse("vaccination:key_groups") + "?" + urlencode({"group": group.code}))


def _site_units(request: HttpRequest) -> Any:
    return (
        regions_for(request.user, Perm.VACCINATION_RECORD)
        .filter(level__in=[Level.TOWNSHIP, Level.VILLAGE])
        .order_by("path")
    )


@require_http_methods(["GET", "POST"])
@login_required
def sites(request: HttpRequest) -> HttpResponse:
    """接种点: the sites of the jurisdiction; a township or village adds its own and closes them."""
    require(request.user, Perm.VACCINATION_VIEW)
    can_manage = has_perm(request.user, Perm.VACCINATION_RECORD)
    form = SiteForm(request.POST or None, units=_site_units(request) if can_manage else Region.objects.none())
    if request.method == "POST":
        if not can_manage:
            raise Http404
        if form.is_valid():
            try:
                site = do_create_site(
                    acting_user(request), form.cleaned_data["region"], form.cleaned_data["name"]
                )
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, _("Site %(name)s added.") % {"name": site.name})
                return redirect("vaccination:sites")
    return render(
        request,
        "vaccination/sites.html",
        {
            "sites": sites_for(request.user).order_by("region__path", "name"),
            "form": form if can_manage else None,
            "can_manage": can_manage,
        },
        status=400 if request.method == "POST" else 200,
    )


@require_POST
@login_required
def deactivate_site(request: HttpRequest, site_uuid: uuid.UUID) -> HttpResponse:
    site = access_site(request.user, site_uuid, Perm.VACCINATION_RECORD)
    do_deactivate_site(acting_user(request), site)
    messages.success(request, _("Site %(name)s closed.") % {"name": site.name})
    return redirect("vaccination:sites")
