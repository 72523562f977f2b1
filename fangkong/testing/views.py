"""Testing pages: points (and the public list of a township's open points), rounds with coverage and the
untested list, the collector's phone page, tubes, lab-result imports, the recall board and key groups."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from fangkong.accounts.access import acting_user, has_perm, in_unit, regions_for, require, within
from fangkong.accounts.permissions import Perm
from fangkong.lib import importjobs
from fangkong.lib.exports import Stamp, csv_lines
from fangkong.lib.reporting_day import local_date
from fangkong.lib.web import add_errors, public
from fangkong.regions.models import Level, Region
from fangkong.testing import figures, tasks
from fangkong.testing.access import (
    access_batch,
    access_point,
    access_recall,
    access_round,
    access_tube,
    batches_for,
    members_for,
    points_for,
    recalls_for,
    rounds_for,
    tubes_for,
)
from fangkong.testing.actions import (
    PROGRESS_KIND,
    do_close_tube,
    do_create_point,
    do_create_round,
    do_mark_reached,
    do_queue_result_import,
    do_register_sample,
    do_set_point_status,
    find_people,
    find_person,
    person_by_uuid,
)
from fangkong.testing.forms import CollectForm, PointForm, ResultUploadForm, RoundForm
from fangkong.testing.models import (
    KeyGroup,
    PointStatus,
    TestingPoint,
    TubeStatus,
)

MAX_UPLOAD_BYTES = 50 << 20
UNTESTED_PAGE = 500


def _units(request: HttpRequest, levels: tuple[str, ...]) -> object:
    return regions_for(request.user).filter(level__in=levels, is_active=True).order_by("path")


@require_GET
@login_required
def home(request: HttpRequest) -> HttpResponse:
    """核酸检测: the points, rounds and open tubes of the jurisdiction, and what needs doing."""
    root = require(request.user, Perm.TESTING_VIEW)
    today = local_date(timezone.now())
    return render(
        request,
        "testing/home.html",
        {
            "root": root,
            "points": points_for(request.user).order_by("region__path", "name")[:100],
            "rounds": rounds_for(request.user).order_by("-starts_on", "-id")[:20],
            "open_tubes": tubes_for(request.user).filter(status=TubeStatus.OPEN).order_by("-opened_at")[:20],
            "recalls_waiting": recalls_for(request.user).filter(resulted_at__isnull=True).count(),
            "overdue": members_for(request.user).filter(is_active=True, next_due_on__lt=today).count(),
            "can_manage": has_perm(request.user, Perm.TESTING_MANAGE),
            "can_sample": has_perm(request.user, Perm.TESTING_SAMPLE),
            "today": today,
        },
    )


@public
@require_GET
def public_points(request: HttpRequest, code: str) -> HttpResponse:
    """The open testing points of a township (the link an SMS carries): no login, nothing personal."""
    township = get_object_or_404(Region.objects.active(), code=code, level=Level.TOWNSHIP)
    points = TestingPoint.objects.filter(within(township), status=PointStatus.OPEN).order_by("name")
    return render(request, "testing/public_points.html", {"township": township, "points": points})


@require_http_methods(["GET", "POST"])
@login_required
def point_create(request: HttpRequest) -> HttpResponse:
    require(request.user, Perm.TESTING_MANAGE)
    form = PointForm(request.POST or None, units=_units(request, (Level.TOWNSHIP, Level.VILLAGE)))
    if request.method == "POST" and form.is_valid():
        try:
            point = do_create_point(acting_user(request), **form.cleaned_data, now=timezone.now())
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("The testing point is open."))
            return redirect("testing:point_detail", point_uuid=point.uuid)
    return render(request, "testing/point_form.html", {"form": form})


@require_GET
@login_required
def point_detail(request: HttpRequest, point_uuid: uuid.UUID) -> HttpResponse:
    point = access_point(request.user, point_uuid)
    today = local_date(timezone.now())
    tubes = tubes_for(request.user).filter(point=point, sampled_on=today).order_by("-opened_at")[:50]
    return render(
        request,
        "testing/point_detail.html",
        {
            "point": point,
            "tubes": tubes,
            "township": point.region.ancestor_at(Level.TOWNSHIP),
            "can_manage": has_perm(request.user, Perm.TESTING_MANAGE),
        },
    )


@require_POST
@login_required
def point_status(request: HttpRequest, point_uuid: uuid.UUID) -> HttpResponse:
    point = access_point(request.user, point_uuid, Perm.TESTING_MANAGE)
    try:
        do_set_point_status(acting_user(request), point, request.POST.get("status", ""), now=timezone.now())
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("testing:point_detail", point_uuid=point.uuid)


@require_http_methods(["GET", "POST"])
@login_required
def round_create(request: HttpRequest) -> HttpResponse:
    require(request.user, Perm.TESTING_MANAGE)
    today = local_date(timezone.now())
    form = RoundForm(
        request.POST or None,
        units=_units(request, (Level.COUNTY, Level.TOWNSHIP, Level.VILLAGE)),
        initial={"starts_on": today, "ends_on": today},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            rnd = do_create_round(
                acting_user(request),
                name=data["name"],
                kind=data["kind"],
                units=list(data["units"]),
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                min_age=data["min_age"],
                max_age=data["max_age"],
                exclude_away=data["exclude_away"],
                exclude_isolated=data["exclude_isolated"],
                now=timezone.now(),
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("The round has started."))
            return redirect("testing:round_detail", round_uuid=rnd.uuid)
    return render(request, "testing/round_form.html", {"form": form})


def _round_unit(request: HttpRequest, rnd: object) -> Region:
    root = require(request.user, Perm.TESTING_VIEW)
    code = request.GET.get("unit", "").strip()
    if code:
        return in_unit(Region.objects.active(), request.user, code, via="", perm=Perm.TESTING_VIEW).get(
            code=code
        )
    region = rnd.region  # type: ignore[attr-defined]
    return region if root.contains(region) else root


@require_GET
@login_required
def round_detail(request: HttpRequest, round_uuid: uuid.UUID) -> HttpResponse:
    """Coverage per unit (tested / target) of a round, drilling down to the grids' untested lists."""
    rnd = access_round(request.user, round_uuid)
    unit = _round_unit(request, rnd)
    rows = figures.coverage_by_unit(rnd, unit)
    target = sum(int(r["target"]) for r in rows)  # type: ignore[call-overload]
    tested = sum(int(r["tested"]) for r in rows)  # type: ignore[call-overload]
    return render(
        request,
        "testing/round_detail.html",
        {
            "round": rnd,
            "unit": unit,
            "rows": rows,
            "units": rnd.units.order_by("path"),
            "target": target,
            "tested": tested,
            "percent": tested * 100 // target if target else 0,
            "can_remind": has_perm(request.user, Perm.SMS_SEND),
        },
    )


@require_GET
@login_required
def round_untested(request: HttpRequest, round_uuid: uuid.UUID) -> HttpResponse:
    """应检未检: the people of a unit (a grid, on the grid worker's phone) not yet sampled in the round."""
    rnd = access_round(request.user, round_uuid)
    unit = _round_unit(request, rnd)
    reach = require(request.user, Perm.PEOPLE_VIEW)
    people = (
        figures.untested_people(rnd, unit)
        .filter(within(reach))
        .select_related("region")
        .order_by("region__path", "name_pinyin", "id")
    )
    if figures.counters_apply(rnd) and reach.contains(unit):
        target, tested = figures.round_totals(rnd, unit)  # the tested counters, not every sample
        total = max(target - tested, 0)
    else:
        total = people.count()
    return render(
        request,
        "testing/round_untested.html",
        {
            "round": rnd,
            "unit": unit,
            "people": people[:UNTESTED_PAGE],
            "total": total,
            "limit": UNTESTED_PAGE,
        },
    )


def _collect_form(
    request: HttpRequest, data: Any = None, initial: dict[str, Any] | None = None
) -> CollectForm:
    today = local_date(timezone.now())
    points = points_for(request.user, Perm.TESTING_SAMPLE).filter(status=PointStatus.OPEN)
    rounds = rounds_for(request.user, Perm.TESTING_SAMPLE).filter(starts_on__lte=today, ends_on__gte=today)
    initial = dict(initial or {})
    # A desk works at one point for one round: when there is only one, it is chosen already.
    for name, qs in (("point", points), ("round", rounds)):
        if not initial.get(name):
            only = list(qs.values_list("pk", flat=True)[:2])
            if len(only) == 1:
                initial[name] = only[0]
    return CollectForm(
        data, initial=initial, points=points, rounds=rounds, groups=KeyGroup.objects.filter(is_active=True)
    )


@require_http_methods(["GET", "POST"])
@login_required
def collect(request: HttpRequest) -> HttpResponse:
    """采样: full-screen phone page. Scan the tube, then the ID number; Enter submits and the next ID is
    asked for the same tube until the pool is full or closed by hand."""
    require(request.user, Perm.TESTING_SAMPLE)
    last = None
    found: list[Any] | None = None
    if request.method == "POST" and "find" in request.POST:
        # 查找: the people matching a name or phone, masked; one tap on a row adds that person.
        form = _collect_form(request, request.POST)
        form.is_valid()
        form.errors.clear()  # only the search speaks now; the form is kept as typed
        try:
            found = find_people(acting_user(request), request.POST.get("q", ""))
        except ValidationError as exc:
            add_errors(form, exc)
    elif request.method == "POST":
        form = _collect_form(request, request.POST)
        if form.is_valid():
            data = form.cleaned_data
            actor = acting_user(request)
            try:
                picked = request.POST.get("person", "")
                if picked:
                    person = person_by_uuid(actor, picked)
                elif data["id_number"]:
                    person = find_person(actor, data["id_number"])
                else:
                    raise ValidationError(
                        {"id_number": _("Scan the ID number, or find the person by name or phone.")}
                    )
                last = do_register_sample(
                    actor,
                    point=data["point"],
                    barcode=data["barcode"],
                    person=person,
                    capacity=data["capacity"],
                    purpose=data["purpose"],
                    rnd=data["round"],
                    group=data["key_group"],
                    resample_reason=data["resample_reason"],
                    now=timezone.now(),
                )
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                keep = {
                    k: request.POST.get(k, "") for k in ("point", "purpose", "round", "key_group", "capacity")
                }
                if last.tube.status == TubeStatus.OPEN:
                    keep["barcode"] = last.tube.barcode
                form = _collect_form(request, initial=keep)
    else:
        form = _collect_form(request, initial={"barcode": request.GET.get("barcode", "")})
    barcode = (form.data.get("barcode") if form.is_bound else form.initial.get("barcode")) or ""
    tube = tubes_for(request.user).filter(barcode=barcode).first() if barcode else None
    if tube is None and last is not None:
        tube = last.tube
    members = list(tube.members.select_related("person").order_by("position")) if tube else []
    return render(
        request,
        "testing/collect.html",
        {"form": form, "tube": tube, "members": members, "last": last, "found": found},
    )


@require_GET
@login_required
def tube_detail(request: HttpRequest, tube_uuid: uuid.UUID) -> HttpResponse:
    tube = access_tube(request.user, tube_uuid)
    members = tube.members.select_related("person", "person__region").order_by("position")
    return render(request, "testing/tube_detail.html", {"tube": tube, "members": members})


@require_POST
@login_required
def tube_close(request: HttpRequest, tube_uuid: uuid.UUID) -> HttpResponse:
    tube = access_tube(request.user, tube_uuid, Perm.TESTING_SAMPLE)
    try:
        do_close_tube(acting_user(request), tube, now=timezone.now())
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Tube %(barcode)s is closed.") % {"barcode": tube.barcode})
    if request.POST.get("next") == "collect":
        return redirect("testing:collect")
    return redirect("testing:tube_detail", tube_uuid=tube.uuid)


@require_http_methods(["GET", "POST"])
@login_required
def results(request: HttpRequest) -> HttpResponse:
    """检测结果: upload a lab's file (all or nothing) and the past imports."""
    require(request.user, Perm.TESTING_VIEW)
    can_import = has_perm(request.user, Perm.TESTING_MANAGE)
    form = ResultUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if not can_import:
            raise Http404
        if form.is_valid():
            upload = form.cleaned_data["file"]
            if upload.size > MAX_UPLOAD_BYTES:
                form.add_error("file", _("The file is larger than 50 MB."))
            else:
                # The import runs as a background job (all or nothing, progress on the import's page).
                actor = acting_user(request)
                try:
                    batch, new = do_queue_result_import(
                        actor, upload.chunks(), upload.name or "", now=timezone.now()
                    )
                except ValidationError as exc:
                    add_errors(form, exc)
                else:
                    if not new:
                        messages.info(request, _("This file was uploaded before: here is its import."))
                    elif not tasks.queue_import(batch, actor):
                        messages.error(
                            request, _("The import could not be queued; upload the file again later.")
                        )
                    return redirect("testing:batch_detail", batch_uuid=batch.uuid)
    batches = batches_for(request.user).order_by("-created_at", "-id")[:50]
    return render(
        request, "testing/results.html", {"form": form, "batches": batches, "can_import": can_import}
    )


@require_GET
@login_required
def batch_detail(request: HttpRequest, batch_uuid: uuid.UUID) -> HttpResponse:
    batch = access_batch(request.user, batch_uuid)
    positives = tubes_for(request.user).filter(batch=batch).exclude(result="negative").order_by("barcode")
    return render(
        request,
        "testing/batch_detail.html",
        {
            "batch": batch,
            "errors": batch.errors[:200],
            "positives": positives[:200],
            "progress": importjobs.percent_progress(PROGRESS_KIND, batch.uuid),
        },
    )


@require_GET
@login_required
def batch_progress(request: HttpRequest, batch_uuid: uuid.UUID) -> HttpResponse:
    """The progress bar of a running import (polled by htmx); the whole page reloads when it ends."""
    batch = access_batch(request.user, batch_uuid)
    response = render(
        request,
        "testing/partials/import_progress.html",
        {"batch": batch, "progress": importjobs.percent_progress(PROGRESS_KIND, batch.uuid)},
    )
    if batch.is_finished:
        response["HX-Refresh"] = "true"
    return response


@require_GET
@login_required
def batch_errors(request: HttpRequest, batch_uuid: uuid.UUID) -> StreamingHttpResponse:
    """The row errors of a refused import, as CSV through the one export writer."""
    batch = access_batch(request.user, batch_uuid)
    user = acting_user(request)
    stamp = Stamp.of(user.full_name, user.get_username(), timezone.now())
    lines = csv_lines([_("Row"), _("Barcode"), _("Error")], batch.errors, stamp=stamp)
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="errors-{batch.uuid}.csv"'
    return response


@require_GET
@login_required
def recalls(request: HttpRequest) -> HttpResponse:
    """召回: members of positive or abnormal pools — reached, re-sampled, resulted, with times."""
    require(request.user, Perm.TESTING_VIEW)
    qs = recalls_for(request.user).order_by("-created_at", "pool_id", "id")
    if request.GET.get("open"):
        qs = qs.filter(resulted_at__isnull=True)
    # The pools with members still to re-sample: one SMS button each (召回短信).
    waiting = (
        recalls_for(request.user)
        .filter(resampled_at__isnull=True, person__isnull=False)  # anonymised recalls have nobody to text
        .values("pool__uuid", "pool__barcode")
        .annotate(n=Count("id"))
        .order_by("pool__barcode")[:50]
        if has_perm(request.user, Perm.SMS_SEND)
        else []
    )
    return render(request, "testing/recalls.html", {"recalls": qs[:500], "waiting_pools": waiting})


@require_POST
@login_required
def recall_pool_remind(request: HttpRequest, tube_uuid: uuid.UUID) -> HttpResponse:
    """Text the members of a positive pool who are still to be re-sampled (sent by a background job)."""
    from fangkong.testing.campaigns import do_recall_pool_by_sms

    require(request.user, Perm.TESTING_VIEW)
    if not recalls_for(request.user).filter(pool__uuid=tube_uuid).exists():
        raise Http404
    require(request.user, Perm.SMS_SEND)
    try:
        campaign = do_recall_pool_by_sms(acting_user(request), str(tube_uuid), now=timezone.now())
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("testing:recalls")
    return redirect("notify:campaign_detail", campaign_uuid=campaign.uuid)


@require_POST
@login_required
def recall_reached(request: HttpRequest, recall_uuid: uuid.UUID) -> HttpResponse:
    recall = access_recall(request.user, recall_uuid)
    try:
        do_mark_reached(acting_user(request), recall, now=timezone.now())
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(reverse("testing:recalls"))


@require_GET
@login_required
def key_groups(request: HttpRequest) -> HttpResponse:
    """常态化重点人群: the groups and their cycles, and the members whose test is overdue or due."""
    require(request.user, Perm.TESTING_VIEW)
    today = local_date(timezone.now())
    members = members_for(request.user).filter(is_active=True, group__is_active=True)
    tomorrow = today + datetime.timedelta(days=1)
    due = dict(members.filter(next_due_on=tomorrow).values_list("group_id").annotate(n=Count("id")))
    groups = list(KeyGroup.objects.filter(is_active=True))
    for group in groups:
        group.due_tomorrow = due.get(group.pk, 0)  # type: ignore[attr-defined]
    return render(
        request,
        "testing/key_groups.html",
        {
            "groups": groups,
            "can_remind": has_perm(request.user, Perm.SMS_SEND),
            "tomorrow": tomorrow,
            "overdue": members.filter(next_due_on__lt=today).order_by("next_due_on", "id")[:300],
            "due_today": members.filter(next_due_on=today).order_by("id")[:300],
            "today": today,
        },
    )


@require_POST
@login_required
def key_group_remind(request: HttpRequest, group_uuid: uuid.UUID) -> HttpResponse:
    """Text the members of a key group in the jurisdiction whose next test is due tomorrow."""
    from fangkong.testing.campaigns import do_remind_key_group_due

    require(request.user, Perm.TESTING_VIEW)
    group = get_object_or_404(KeyGroup, uuid=group_uuid, is_active=True)
    require(request.user, Perm.SMS_SEND)

    def link(code: str) -> str:
        return request.build_absolute_uri(reverse("testing:public_points", args=[code]))

    try:
        campaign = do_remind_key_group_due(acting_user(request), group, link=link, now=timezone.now())
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("testing:key_groups")
    return redirect("notify:campaign_detail", campaign_uuid=campaign.uuid)


@require_POST
@login_required
def round_remind(request: HttpRequest, round_uuid: uuid.UUID) -> HttpResponse:
    """Start an SMS campaign reminding the untested of the round in a unit (sent by a background job)."""
    from fangkong.notify import public as notify

    rnd = access_round(request.user, round_uuid)
    require(request.user, Perm.SMS_SEND)
    unit = _round_unit(request, rnd)
    template = notify.template("round_untested")
    if template is None:
        raise Http404
    township = unit.ancestor_at(Level.TOWNSHIP) or unit
    link = request.build_absolute_uri(reverse("testing:public_points", args=[township.code]))
    people = figures.untested_people(rnd, unit).only("id", "name", "phone")
    try:
        campaign = notify.do_create_campaign(
            acting_user(request),
            region=unit,
            kind=notify.CampaignKind.ROUND_UNTESTED,
            title=_("%(round)s: untested in %(unit)s") % {"round": rnd.name, "unit": unit.name},
            template=template,
            people=people,
            params={"round": rnd.name, "until": rnd.ends_on.isoformat(), "link": link},
            per_person={p.pk: {"name": p.name} for p in people},
            source_ref=str(rnd.uuid),
            now=timezone.now(),
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("testing:round_detail", round_uuid=rnd.uuid)
    return redirect("notify:campaign_detail", campaign_uuid=campaign.uuid)
