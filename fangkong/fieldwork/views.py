"""Field-work pages: the overview (overdue places, counts per unit and day), places and their disinfection records,
teams with members and tasks, and a volunteer's own tasks. Thin: parse, call one action, redirect."""

from __future__ import annotations

import uuid
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from fangkong.accounts.access import (
    acting_user,
    get_scoped_or_404,
    has_perm,
    in_jurisdiction,
    regions_for,
    require,
    scoped,
)
from fangkong.accounts.models import User
from fangkong.accounts.permissions import Perm
from fangkong.fieldwork import access, overview
from fangkong.fieldwork.actions import (
    DisinfectionInput,
    StaleTask,
    do_add_member,
    do_assign_task,
    do_complete_task,
    do_create_place,
    do_create_team,
    do_record_disinfection,
)
from fangkong.fieldwork.forms import DisinfectionForm, DoneForm, MemberForm, PlaceForm, TaskForm, TeamForm
from fangkong.fieldwork.models import DisinfectionRecord, FieldTask, TaskKind, TaskStatus
from fangkong.lib.dates import parse_day
from fangkong.lib.photos import photo_response
from fangkong.lib.web import add_errors, public
from fangkong.people.models import Household
from fangkong.regions.models import Level, Region

LIST_LIMIT = 200


def _units(request: HttpRequest, levels: tuple[str, ...]) -> QuerySet[Region]:
    return regions_for(request.user, Perm.FIELDWORK_MANAGE).filter(level__in=levels).order_by("path")


@require_GET
@login_required
def home(request: HttpRequest) -> HttpResponse:
    require(request.user, Perm.FIELDWORK_VIEW)
    today = timezone.localdate()
    day = parse_day(request.GET.get("day", "")) or today
    places = access.places_for(request.user)
    late = overview.overdue(places, today)
    rows = overview.per_unit(access.records_for(request.user), access.tasks_for(request.user), late, day)
    return render(
        request,
        "fieldwork/home.html",
        {
            "day": day,
            "overdue": late[:LIST_LIMIT],
            "overdue_count": len(late),
            "rows": rows,
            "total_area": sum(r.area_m2 for r in rows),
            "can_manage": has_perm(request.user, Perm.FIELDWORK_MANAGE),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def places(request: HttpRequest) -> HttpResponse:
    require(request.user, Perm.FIELDWORK_VIEW)
    can_manage = has_perm(request.user, Perm.FIELDWORK_MANAGE)
    form = PlaceForm(request.POST or None, units=_units(request, (Level.TOWNSHIP, Level.VILLAGE, Level.GRID)))
    if request.method == "POST":
        require(request.user, Perm.FIELDWORK_MANAGE)
        if form.is_valid():
            try:
                place = do_create_place(acting_user(request), now=timezone.now(), **form.cleaned_data)
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, _("Place added."))
                return redirect("fieldwork:place", place_uuid=place.uuid)
    rows = access.places_for(request.user).order_by("region__path", "name")[:LIST_LIMIT]
    return render(request, "fieldwork/places.html", {"form": form, "places": rows, "can_manage": can_manage})


@require_http_methods(["GET", "POST"])
@login_required
def place(request: HttpRequest, place_uuid: uuid.UUID) -> HttpResponse:
    place = access.access_place(request.user, place_uuid)
    can_record = has_perm(request.user, Perm.DISINFECTION_RECORD) and in_jurisdiction(
        request.user, place.region
    )
    now = timezone.now()
    form = DisinfectionForm(
        request.POST or None, request.FILES or None, initial={"done_at": timezone.localtime(now)}
    )
    if request.method == "POST":
        place = access.access_place(request.user, place_uuid, Perm.DISINFECTION_RECORD)
        if form.is_valid():
            data = DisinfectionInput(**form.cleaned_data)
            try:
                do_record_disinfection(acting_user(request), place, data, now=now)
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, _("Disinfection recorded."))
                return redirect("fieldwork:place", place_uuid=place.uuid)
    records = place.records.select_related("recorded_by")[:LIST_LIMIT]
    every = overview.schedule().get(place.kind, overview.DEFAULT_EVERY_DAYS)
    return render(
        request,
        "fieldwork/place.html",
        {
            "place": place,
            "form": form,
            "records": records,
            "can_record": can_record,
            "every_days": every,
            "due_on": place.due_on(every, timezone.localdate()),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def teams(request: HttpRequest) -> HttpResponse:
    require(request.user, Perm.FIELDWORK_VIEW)
    form = TeamForm(request.POST or None, units=_units(request, (Level.TOWNSHIP, Level.VILLAGE)))
    if request.method == "POST":
        require(request.user, Perm.FIELDWORK_MANAGE)
        if form.is_valid():
            try:
                team = do_create_team(acting_user(request), now=timezone.now(), **form.cleaned_data)
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, _("Team created."))
                return redirect("fieldwork:team", team_uuid=team.uuid)
    rows = access.teams_for(request.user).order_by("region__path", "kind", "name")[:LIST_LIMIT]
    return render(
        request,
        "fieldwork/teams.html",
        {"form": form, "teams": rows, "can_manage": has_perm(request.user, Perm.FIELDWORK_MANAGE)},
    )


@require_http_methods(["GET", "POST"])
@login_required
def team(request: HttpRequest, team_uuid: uuid.UUID) -> HttpResponse:
    team = access.access_team(request.user, team_uuid)
    can_manage = has_perm(request.user, Perm.FIELDWORK_MANAGE) and in_jurisdiction(request.user, team.region)
    members = team.members.filter(is_active=True).select_related("user")
    places = access.places_for(request.user, Perm.FIELDWORK_MANAGE).filter(is_active=True)
    which = request.POST.get("form", "") if request.method == "POST" else ""
    member_form = MemberForm(request.POST if which == "member" else None, prefix="member")
    task_form = TaskForm(
        request.POST if which == "task" else None, prefix="task", members=members, places=places
    )
    if request.method == "POST":
        team = access.access_team(request.user, team_uuid, Perm.FIELDWORK_MANAGE)
        actor, now = acting_user(request), timezone.now()
        try:
            if which == "member" and member_form.is_valid():
                data = member_form.cleaned_data
                user = None
                if data["username"]:
                    user = (
                        scoped(User.objects.select_related("region"), request.user, Perm.FIELDWORK_MANAGE)
                        .filter(username=data["username"], is_active=True)
                        .first()
                    )
                    if user is None:
                        raise ValidationError({"username": _("No such account in your jurisdiction.")})
                do_add_member(
                    actor,
                    team,
                    user=user,
                    name=data["name"],
                    is_party_member=data["is_party_member"],
                    now=now,
                )
                messages.success(request, _("Member added."))
                return redirect("fieldwork:team", team_uuid=team.uuid)
            if which == "task" and task_form.is_valid():
                data = task_form.cleaned_data
                household = None
                if data["household"]:
                    household = get_scoped_or_404(
                        Household.objects.select_related("region"),
                        request.user,
                        Perm.FIELDWORK_MANAGE,
                        uuid=data["household"],
                    )
                do_assign_task(
                    actor,
                    team,
                    kind=data["kind"],
                    title=data["title"],
                    due_on=data["due_on"],
                    assignee=data["assignee"],
                    place=data["place"],
                    household=household,
                    every_days=data["every_days"],
                    now=now,
                )
                messages.success(request, _("Task assigned."))
                return redirect("fieldwork:team", team_uuid=team.uuid)
        except ValidationError as exc:
            add_errors(member_form if which == "member" else task_form, exc)
    tasks = team.tasks.select_related("assignee", "place", "done_by").order_by("status", "due_on", "id")[
        :LIST_LIMIT
    ]
    return render(
        request,
        "fieldwork/team.html",
        {
            "team": team,
            "members": members,
            "tasks": tasks,
            "member_form": member_form,
            "task_form": task_form,
            "can_manage": can_manage,
        },
    )


@require_GET
@login_required
def my_tasks(request: HttpRequest) -> HttpResponse:
    require(request.user, Perm.FIELD_TASKS)
    tasks = access.my_tasks(request.user).order_by("status", "due_on", "id")[:LIST_LIMIT]
    return render(request, "fieldwork/my_tasks.html", {"tasks": tasks, "open": TaskStatus.OPEN})


@require_http_methods(["GET", "POST"])
@login_required
def task(request: HttpRequest, task_uuid: uuid.UUID) -> HttpResponse:
    require(request.user, Perm.FIELD_TASKS)
    task = access.access_my_task(request.user, task_uuid)
    is_disinfection = task.kind == TaskKind.DISINFECTION
    form = DoneForm(request.POST or None, request.FILES or None, initial={"version": task.version})
    if is_disinfection:
        del form.fields["photo"]  # the photo goes with the disinfection record (the form below)
    dform = DisinfectionForm(
        request.POST if is_disinfection and request.method == "POST" else None,
        request.FILES if is_disinfection and request.method == "POST" else None,
        initial={"done_at": timezone.localtime()},
        prefix="d",
    )
    if request.method == "POST" and form.is_valid() and (not is_disinfection or dform.is_valid()):
        data = DisinfectionInput(**dform.cleaned_data) if is_disinfection else None
        try:
            do_complete_task(
                acting_user(request),
                task,
                note=form.cleaned_data["note"],
                now=timezone.now(),
                base_version=form.cleaned_data["version"],
                disinfection=data,
                photo=form.cleaned_data.get("photo"),
            )
        except StaleTask as exc:
            form.add_error(
                None,
                _("The task changed since you opened it: now %(status)s.")
                % {"status": exc.current.get_status_display()},
            )
        except ValidationError as exc:
            add_errors(
                dform if is_disinfection and not set(exc.message_dict) & {"note", "task"} else form, exc
            )
        else:
            messages.success(request, _("Task done."))
            return redirect("fieldwork:my_tasks")
    return render(
        request,
        "fieldwork/task.html",
        {
            "task": task,
            "form": form,
            "dform": dform,
            "is_disinfection": is_disinfection,
            "open": TaskStatus.OPEN,
        },
    )


@require_GET
@login_required
def photo(request: HttpRequest, kind: str, record_uuid: uuid.UUID) -> FileResponse:
    """The photo of a disinfection record or of a done task (always our own re-encoded JPEG): for readers of the
    unit's field work, and for whoever recorded it or holds the task."""
    user = request.user
    holder: DisinfectionRecord | FieldTask | None
    if kind == "record":
        holder = (
            access.records_for(user).filter(uuid=record_uuid).first()
            or DisinfectionRecord.objects.filter(uuid=record_uuid, recorded_by_id=user.pk).first()
        )
    elif kind == "task":
        holder = (
            access.tasks_for(user).filter(uuid=record_uuid).first()
            or access.my_tasks(user).filter(uuid=record_uuid).first()
        )
    else:
        holder = None
    if holder is None:
        raise Http404
    return photo_response(holder.photo)


@require_GET
@login_required
def offline(request: HttpRequest) -> HttpResponse:
    """The installable page that records offline: its data comes from /api/v1/field/reference."""
    user = acting_user(request)
    if not any(has_perm(user, perm) for perm in OFFLINE_PERMS):
        raise Http404
    labels = {key: str(label) for key, label in CONFLICT_LABELS.items()}
    return render(request, "fieldwork/offline.html", {"username": user.username, "labels": labels})


# Who records on the offline page: field tasks, disinfections, checkpoint crossings, samples.
OFFLINE_PERMS = (Perm.FIELD_TASKS, Perm.DISINFECTION_RECORD, Perm.CHECKPOINT_REGISTER, Perm.TESTING_SAMPLE)

# How the two versions of a conflict are labelled on the phone (the keys of the records' states and payloads).
CONFLICT_LABELS = {
    "status": gettext_lazy("Status"),
    "status_label": gettext_lazy("Status"),
    "end_day": gettext_lazy("Ends on"),
    "person": gettext_lazy("Person"),
    "temperature": gettext_lazy("Temperature (°C)"),
    "symptoms": gettext_lazy("Symptoms"),
    "at_home": gettext_lazy("At home"),
    "note": gettext_lazy("Note"),
    "outcome": gettext_lazy("Outcome"),
    "outcome_note": gettext_lazy("Note"),
    "measure_code": gettext_lazy("Control measure"),
    "verified_at": gettext_lazy("Verified at"),
    "visited_on": gettext_lazy("Visited on"),
    "visited_by": gettext_lazy("Visited by"),
    "people_present": gettext_lazy("People at home"),
    "returnees_found": gettext_lazy("Returnees found"),
    "done_at": gettext_lazy("Done at"),
    "done_by": gettext_lazy("Done by"),
    "area_m2": gettext_lazy("Area (m²)"),
    "agent": gettext_lazy("Disinfectant"),
    "concentration": gettext_lazy("Concentration"),
    "recorded_at": gettext_lazy("Recorded at"),
    # The fields of the crossing and sample forms, as a refusal names them (`travellers.0.temperature` → its last part).
    "id_number": gettext_lazy("Resident ID number"),
    "barcode": gettext_lazy("Tube barcode"),
    "tube": gettext_lazy("Tube"),
    "capacity": gettext_lazy("Tube"),
    "point": gettext_lazy("Testing point"),
    "round": gettext_lazy("Round"),
    "key_group": gettext_lazy("Key group"),
    "purpose": gettext_lazy("For"),
    "sampled_at": gettext_lazy("Sampled at"),
    "closed_at": gettext_lazy("Closed at"),
    "checkpoint": gettext_lazy("Checkpoint"),
    "kind": gettext_lazy("Person or vehicle"),
    "plate": gettext_lazy("Plate"),
    "origin": gettext_lazy("Coming from"),
    "destination_region": gettext_lazy("Village (to register with the grid)"),
    "travellers": gettext_lazy("Person"),
    "document_number": gettext_lazy("Document number"),
    "health_code": gettext_lazy("Health code"),
    "temperature_again": gettext_lazy("Re-measured (°C)"),
    "disposition": gettext_lazy("Disposition"),
    "photo": gettext_lazy("Photo"),
}


SW_FILE = Path(__file__).resolve().parent / "static" / "fieldwork" / "sw.js"


@public
@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """The Workbox-built service worker (committed in static/), served under /field/ so its scope is /field/."""
    response = HttpResponse(SW_FILE.read_bytes(), content_type="application/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = "/field/"
    return response


@public
@require_GET
def manifest(request: HttpRequest) -> JsonResponse:
    """The web app manifest of the field pages (installable on a phone's home screen)."""
    data = {
        "name": _("Fangkong field work"),
        "short_name": _("Field work"),
        "start_url": "/field/offline/",
        "scope": "/field/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#b02a37",
        "lang": "zh-CN",
        "icons": [{"src": "/static/fieldwork/icon.svg", "sizes": "any", "type": "image/svg+xml"}],
    }
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/manifest+json"
    return response
