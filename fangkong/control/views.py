"""Control pages: the overview of the day, orders and their actions, the grid worker's follow-ups, protocols,
isolation sites and the contact graph. Views parse input, call one action and return."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import BooleanField, Count, ExpressionWrapper, F, Q
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from fangkong.accounts.access import acting_user, has_perm, in_jurisdiction, regions_for, require, within
from fangkong.accounts.models import User
from fangkong.accounts.permissions import Perm
from fangkong.control import actions, counts, days
from fangkong.control.access import (
    access_order,
    access_site,
    access_stay,
    access_task,
    access_transfer,
    contacts_for,
    orders_for,
    sites_for,
    tasks_for,
)
from fangkong.control.forms import (
    CheckInForm,
    CloseForm,
    ContactForm,
    ExtendForm,
    FollowUpForm,
    ProtocolForm,
    SettingsForm,
    SiteForm,
    StaffForm,
    TestResultForm,
    TransferForm,
    TriggerForm,
    room_numbers,
)
from fangkong.control.models import (
    ContactKind,
    ControlOrder,
    ControlSettings,
    DueTest,
    FollowUp,
    IsolationSite,
    OrderStatus,
    Protocol,
    SiteStatus,
    StageKind,
    Stay,
    TestResult,
    Transfer,
    Trigger,
)
from fangkong.duty.public import shifts_of, uncovered_by
from fangkong.lib.reporting_day import day_start, local_date
from fangkong.lib.web import add_errors
from fangkong.people.access import access_person
from fangkong.regions.models import Level, Region

OCCUPANCY_WARNING = 0.9


def _occupancy(sites: Any) -> list[dict[str, Any]]:
    rows = sites.annotate(
        rooms_total=Count("rooms", distinct=True),
        # A room is taken while anyone stays in it (a family member may outlast the first to check in).
        rooms_taken=Count("rooms", filter=Q(rooms__stays__checked_out_at__isnull=True), distinct=True),
    ).order_by("name", "id")
    out = []
    for site in rows:
        share = site.rooms_taken / site.rooms_total if site.rooms_total else 0.0
        out.append({"site": site, "share": round(share * 100), "warn": share > OCCUPANCY_WARNING})
    return out


def _by_township(request: HttpRequest, root: Region, today: datetime.date) -> list[dict[str, Any]]:
    """Follow-ups asked and missed (from the day's counts) and open re-screening tasks per township."""
    townships = list(Region.objects.within(root).filter(level=Level.TOWNSHIP).order_by("code"))
    if not townships:
        return []
    paths = {r.pk: r.path for r in Region.objects.within(root).only("pk", "path")}
    rows = {t.pk: {"region": t, "asked": 0, "missed": 0, "tasks": 0} for t in townships}

    def township_of(region_id: int) -> dict[str, Any] | None:
        path = paths.get(region_id, "")
        return next((rows[t.pk] for t in townships if path.startswith(t.path)), None)

    for region_id, values in counts.by_region(within(root), today).items():
        if (row := township_of(region_id)) is not None:
            row["asked"] += values["asked"]
            row["missed"] += values["asked"] - values["done"]
    open_tasks = tasks_for(request.user).filter(done_at__isnull=True).order_by().values("region_id")
    for item in open_tasks.annotate(n=Count("id")):
        if (row := township_of(item["region_id"])) is not None:
            row["tasks"] += item["n"]
    return list(rows.values())


def _releases(orders: Any, today: datetime.date, limit: int = 50) -> list[ControlOrder]:
    """The first `limit` orders past their last day, each with `missing` (planned tests not negative): the
    page takes the orders first through the (status, end_day) index, then counts the missing tests of
    those only."""
    first = list(
        orders.filter(status=OrderStatus.ACTIVE, end_day__lt=today)
        .select_related("person", "region")
        .order_by("end_day", "id")[:limit]
    )
    missing = dict(
        DueTest.objects.filter(order__in=[o.pk for o in first], planned=True)
        .exclude(result=TestResult.NEGATIVE)
        .order_by()
        .values("order_id")
        .annotate(n=Count("id"))
        .values_list("order_id", "n")
    )
    for order in first:
        order.missing = missing.get(order.pk, 0)
    return first


@require_GET
@login_required
def home(request: HttpRequest) -> HttpResponse:
    """管控总览: today's stages, tomorrow's transfers, releases, due tests, alerts, per township."""
    root = require(request.user, Perm.CONTROL_VIEW)
    now = timezone.now()
    today = local_date(now)
    orders = orders_for(request.user)
    day_counts = counts.totals(within(root), today)
    releases = _releases(orders, today)
    transfers = days.first_transfers_tomorrow(orders.select_related("person", "region"), today, 50)
    due_tests = (
        DueTest.objects.filter(
            within(root, via="order__region"), day=today, planned=True, order__status=OrderStatus.ACTIVE
        )
        .select_related("order__person")
        .order_by("result", "id")
    )
    alerts = list(
        FollowUp.objects.filter(within(root), day=today, alert=True).select_related(
            "order__person", "region"
        )[:20]
    )
    open_transfers = list(
        Transfer.objects.filter(within(root), arrived_at__isnull=True)
        .select_related("order__person")
        .order_by("created_at")[:50]
    )
    townships = _by_township(request, root, today)
    hours = ControlSettings.current().transfer_hours
    return render(
        request,
        "control/home.html",
        {
            "today": today,
            "now": now,
            "counts": [(k.label, day_counts[counts.KIND_FIELD[k.value]]) for k in StageKind],
            "releases": releases,
            "transfers": transfers,
            "due_tests": list(due_tests[:50]),
            "due_total": day_counts["tests"],
            "alerts": alerts,
            "open_transfers": [(t, t.is_overdue(now, hours)) for t in open_transfers],
            "townships": townships,
            "sites": _occupancy(sites_for(request.user)),
        },
    )


@require_GET
@login_required
def order_list(request: HttpRequest) -> HttpResponse:
    require(request.user, Perm.CONTROL_VIEW)
    today = local_date(timezone.now())
    status = request.GET.get("status", OrderStatus.ACTIVE)
    qs = orders_for(request.user).select_related("person", "region", "protocol")
    if status in OrderStatus.values:
        qs = qs.filter(status=status)
    page = Paginator(qs.order_by("-start_day", "-id"), 50).get_page(request.GET.get("page"))
    all_plans = days.plans()  # one query for every protocol's stages, not one per row

    def stage(o: ControlOrder) -> Any:
        plan = all_plans.get(o.protocol_id)
        index = plan.stage_index(o.start_day, today, o.end_day) if plan and o.is_active else None
        return None if plan is None or index is None else plan.stages[index]

    rows = [(o, stage(o)) for o in page.object_list]
    return render(
        request,
        "control/order_list.html",
        {"page": page, "rows": rows, "status": status, "statuses": OrderStatus.choices, "today": today},
    )


def _order_context(request: HttpRequest, order: ControlOrder, **forms: Any) -> dict[str, Any]:
    user = acting_user(request)
    now = timezone.now()
    today = local_date(now)
    plan = order.plan
    hours = ControlSettings.current().transfer_hours
    starts = plan.stage_starts(order.start_day)
    stages = []
    current = order.stage_index_on(today)
    for index, stage in enumerate(plan.stages):
        last = (
            order.end_day if index == len(plan.stages) - 1 else starts[index + 1] - datetime.timedelta(days=1)
        )
        stages.append({"stage": stage, "first": starts[index], "last": last, "current": index == current})
    can_manage = (
        has_perm(user, Perm.CONTROL_MANAGE) and in_jurisdiction(user, order.region) and order.is_active
    )
    can_follow = (
        has_perm(user, Perm.CONTROL_FOLLOW_UP) and in_jurisdiction(user, order.region) and order.is_active
    )
    context: dict[str, Any] = {
        "order": order,
        "today": today,
        "stages": stages,
        "stage": order.stage_on(today),
        "day_number": order.day_number(today),
        "tests": list(order.tests.order_by("day", "id")),
        "follow_ups": list(order.follow_ups.all()[:20]),
        "stays": list(order.stays.select_related("room__site")),
        "transfers": [(t, t.is_overdue(now, hours)) for t in order.transfers.all()],
        "contacts": list(contacts_for(user).filter(index_person=order.person)) if order.person else [],
        "can_manage": can_manage,
        "can_follow": can_follow,
        "missing": actions.missing_tests(order) if order.is_active and today >= order.release_day else [],
    }
    # The forms are built only for who is shown them (a closed order, or a reader, gets none).
    if can_manage:
        context |= {
            "close_form": forms.get("close_form") or CloseForm(),
            "extend_form": forms.get("extend_form") or ExtendForm(),
            "test_form": forms.get("test_form") or TestResultForm(),
            "checkin_form": forms.get("checkin_form") or _checkin_form(user, order),
            "transfer_form": forms.get("transfer_form") or TransferForm(),
            "contact_form": forms.get("contact_form")
            or ContactForm(
                units=regions_for(user, Perm.CONTROL_MANAGE).filter(level__in=[Level.VILLAGE, Level.GRID])
            ),
        }
    if can_follow:
        context["follow_form"] = forms.get("follow_form") or FollowUpForm()
    return context


def _family_of(user: Any, order: ControlOrder) -> Q | None:
    """Orders of the person's household (or, without one, of people at the same address in the same unit)."""
    person = order.person
    if person is None:  # anonymised (retention): a closed order, nobody to check in with
        return None
    if person.household_id is not None:
        return Q(person__household_id=person.household_id)
    if person.address.strip():
        return Q(person__region_id=person.region_id, person__address=person.address)
    return None


def _checkin_form(user: Any, order: ControlOrder, data: Any = None) -> CheckInForm:
    """The check-in form: open sites, family members not yet checked in, and the rooms family members are in."""
    sites = sites_for(user, Perm.CONTROL_MANAGE).filter(status=SiteStatus.OPEN)
    family: Any = None
    rooms: Any = None
    if (same := _family_of(user, order)) is not None:
        base = (
            orders_for(user, Perm.CONTROL_MANAGE).filter(same, status=OrderStatus.ACTIVE).exclude(pk=order.pk)
        )
        inside = Stay.objects.filter(checked_out_at__isnull=True).values("order_id")
        family = base.exclude(pk__in=inside).select_related("person").order_by("person__name", "id")
        rooms = (
            Stay.objects.filter(checked_out_at__isnull=True, order__in=base, room__site__in=sites)
            .select_related("room__site", "order__person")
            .order_by("room__site__name", "room__number", "id")
        )
    return CheckInForm(data, sites=sites, family=family, rooms=rooms)


@require_GET
@login_required
def order_detail(request: HttpRequest, order_uuid: uuid.UUID) -> HttpResponse:
    order = access_order(request.user, order_uuid)
    return render(request, "control/order_detail.html", _order_context(request, order))


def _done(request: HttpRequest, order: ControlOrder, text: str) -> HttpResponse:
    messages.success(request, text)
    return redirect(reverse("control:order", args=[order.uuid]))


@require_POST
@login_required
def order_action(request: HttpRequest, order_uuid: uuid.UUID, what: str) -> HttpResponse:
    """Release, early release, extension, hospital, cancellation, a result, check-in, transfer, contact."""
    perm = Perm.CONTROL_FOLLOW_UP if what == "follow-up" else Perm.CONTROL_MANAGE
    order = access_order(request.user, order_uuid, perm)
    user = acting_user(request)
    now = timezone.now()
    form: Any
    try:
        if what == "release":
            actions.do_release(user, order, now=now)
            return _done(request, order, _("Released."))
        if what == "close":
            form = CloseForm(request.POST)
            if form.is_valid():
                action = {
                    "release-early": actions.do_release_early,
                    "hospital": actions.do_transfer_to_hospital,
                    "cancel": actions.do_cancel,
                }[form.cleaned_data["action"]]
                action(user, order, form.cleaned_data["reason"], now=now)
                return _done(request, order, _("Saved."))
            return _rerender(request, order, close_form=form)
        if what == "extend":
            form = ExtendForm(request.POST)
            if form.is_valid():
                actions.do_extend(
                    user, order, form.cleaned_data["days"], form.cleaned_data["reason"], now=now
                )
                return _done(request, order, _("Extended."))
            return _rerender(request, order, extend_form=form)
        if what == "test":
            form = TestResultForm(request.POST)
            if form.is_valid():
                result = actions.check_hand_result(
                    order, form.cleaned_data["sampled_on"], form.cleaned_data["result"], now
                )
                actions.do_record_test_results([result], now, actor=user)
                return _done(request, order, _("Result recorded."))
            return _rerender(request, order, test_form=form)
        if what == "check-in":
            form = _checkin_form(user, order, request.POST)
            if form.is_valid():
                data = form.cleaned_data
                family = list(data.get("family") or [])
                stay = actions.do_check_in(
                    user, order, data["site"], now=now, family_stay=data.get("join"), family=family
                )
                text = _("Checked in to room %(room)s.") % {"room": stay.room.number}
                if family:
                    text += " " + _("%(n)d family members share the room.") % {"n": len(family)}
                return _done(request, order, text)
            return _rerender(request, order, checkin_form=form)
        if what == "transfer":
            form = TransferForm(request.POST)
            if form.is_valid():
                data = form.cleaned_data
                actions.do_record_transfer(user, order, now=now, **data)
                return _done(request, order, _("Transfer recorded."))
            return _rerender(request, order, transfer_form=form)
        if what == "contact":
            units = regions_for(user, Perm.CONTROL_MANAGE).filter(level__in=[Level.VILLAGE, Level.GRID])
            form = ContactForm(request.POST, units=units)
            if order.person is None:  # anonymised (retention): a closed order with nobody to link to
                raise ValidationError({"reason": _("This order is no longer active.")})
            if form.is_valid():
                actions.do_add_contact(user, order.person, now=now, **form.cleaned_data)
                return _done(request, order, _("Contact added and put under control."))
            return _rerender(request, order, contact_form=form)
        if what == "follow-up":
            form = FollowUpForm(request.POST)
            if form.is_valid():
                follow_up = actions.do_record_follow_up(user, order, now=now, **form.cleaned_data)
                if request.POST.get("next") == "list":
                    messages.success(request, _("Follow-up recorded."))
                    if follow_up.alert:
                        messages.warning(request, _("Alert sent to the township and the command office."))
                    return redirect("control:follow_ups")
                return _done(request, order, _("Follow-up recorded."))
            return _rerender(request, order, follow_form=form)
    except ValidationError as exc:
        messages.error(request, " ".join(str(m) for ms in exc.message_dict.values() for m in ms))
        return redirect(reverse("control:order", args=[order.uuid]))
    raise Http404


def _rerender(request: HttpRequest, order: ControlOrder, **forms: Any) -> HttpResponse:
    return render(request, "control/order_detail.html", _order_context(request, order, **forms), status=400)


FOLLOW_UPS_PAGE = 50


@require_GET
@login_required
def follow_ups(request: HttpRequest) -> HttpResponse:
    """The grid worker's phone page: today's follow-ups of their grid, missing first, one tap to record."""
    require(request.user, Perm.CONTROL_FOLLOW_UP)
    today = local_date(timezone.now())
    orders = orders_for(request.user, Perm.CONTROL_FOLLOW_UP)
    # Missing first, then by name, a page at a time: a grid holds a page, a township or the district thousands
    # (3.3 s for the district's 16,000 active orders at a million people when the page held them all).
    due = (
        days.follow_ups_due(orders, today)
        .select_related("person", "region")
        .order_by(
            ExpressionWrapper(Q(done__gte=F("asked")), output_field=BooleanField()), "person__name", "id"
        )
    )
    # The page's length and the missing follow-ups come from one count of the due orders, not two.
    length, asked, done = days.follow_ups_due_summary(orders, today)
    paginator = Paginator(due, FOLLOW_UPS_PAGE)
    paginator.__dict__["count"] = length
    page = paginator.get_page(request.GET.get("page"))
    tasks = list(
        tasks_for(request.user, Perm.CONTROL_FOLLOW_UP)
        .filter(done_at__isnull=True)
        .order_by("-created_at")[:50]
    )
    return render(
        request,
        "control/follow_ups.html",
        {
            "due": page.object_list,
            "page_obj": page,
            "today": today,
            "tasks": tasks,
            "form": FollowUpForm(),
            "missing": asked - done,
        },
    )


@require_POST
@login_required
def task_done(request: HttpRequest, task_uuid: uuid.UUID) -> HttpResponse:
    task = access_task(request.user, task_uuid)
    try:
        actions.do_finish_task(acting_user(request), task, now=timezone.now())
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("control:follow_ups")


@require_POST
@login_required
def transfer_arrived(request: HttpRequest, transfer_uuid: uuid.UUID) -> HttpResponse:
    transfer = access_transfer(request.user, transfer_uuid)
    try:
        actions.do_arrive(acting_user(request), transfer, now=timezone.now())
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(reverse("control:order", args=[transfer.order.uuid]))


@require_POST
@login_required
def stay_check_out(request: HttpRequest, stay_uuid: uuid.UUID) -> HttpResponse:
    stay = access_stay(request.user, stay_uuid)
    try:
        actions.do_check_out(acting_user(request), stay, now=timezone.now())
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(reverse("control:order", args=[stay.order.uuid]))


@require_http_methods(["GET", "POST"])
@login_required
def protocols(request: HttpRequest) -> HttpResponse:
    """管控方案: the editions and which one each trigger starts; the command office adds an edition here."""
    require(request.user, Perm.CONTROL_VIEW)
    can_edit = has_perm(request.user, Perm.CONTROL_PROTOCOLS)
    keys = [(k, str(v)) for k, v in actions.TRIGGER_KEYS.items()]
    form = ProtocolForm(request.POST if request.POST.get("form") == "protocol" else None)
    trigger_form = TriggerForm(request.POST if request.POST.get("form") == "trigger" else None, keys=keys)
    current = ControlSettings.current()
    settings_form = SettingsForm(
        request.POST if request.POST.get("form") == "settings" else None,
        initial={"transfer_hours": current.transfer_hours},
    )
    if request.method == "POST":
        if not can_edit:
            raise Http404
        user = acting_user(request)
        if request.POST.get("form") == "protocol" and form.is_valid():
            try:
                data = form.cleaned_data
                protocol = actions.do_create_protocol(
                    user,
                    code=data["code"],
                    name=data["name"],
                    edition=data["edition"],
                    lookback_days=data["lookback_days"],
                    stages=actions.parse_stages(data["stages"]),
                )
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, _("Protocol %(name)s saved.") % {"name": protocol})
                return redirect("control:protocols")
        elif request.POST.get("form") == "trigger" and trigger_form.is_valid():
            actions.do_point_trigger(
                user, trigger_form.cleaned_data["key"], trigger_form.cleaned_data["protocol"]
            )
            messages.success(request, _("Trigger saved."))
            return redirect("control:protocols")
        elif request.POST.get("form") == "settings" and settings_form.is_valid():
            try:
                actions.do_set_transfer_hours(
                    user, settings_form.cleaned_data["transfer_hours"], now=timezone.now()
                )
            except ValidationError as exc:
                add_errors(settings_form, exc)
            else:
                messages.success(request, _("Settings saved."))
                return redirect("control:protocols")
    labels = dict(keys)
    return render(
        request,
        "control/protocols.html",
        {
            "protocols": Protocol.objects.prefetch_related("stages").order_by("code", "-version"),
            "triggers": [(labels.get(t.key, t.key), t) for t in Trigger.objects.select_related("protocol")],
            "form": form,
            "trigger_form": trigger_form,
            "settings_form": settings_form,
            "transfer_hours": current.transfer_hours,
            "can_edit": can_edit,
        },
        status=400 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
@login_required
def sites(request: HttpRequest) -> HttpResponse:
    require(request.user, Perm.CONTROL_VIEW)
    can_manage = has_perm(request.user, Perm.CONTROL_MANAGE)
    units = regions_for(request.user, Perm.CONTROL_MANAGE).filter(level__in=[Level.COUNTY, Level.TOWNSHIP])
    form = SiteForm(request.POST or None, units=units)
    if request.method == "POST":
        if not can_manage:
            raise Http404
        if form.is_valid():
            data = form.cleaned_data
            try:
                site = actions.do_create_site(
                    acting_user(request),
                    region=data["region"],
                    name=data["name"],
                    address=data["address"],
                    rooms=room_numbers(data["rooms"]),
                )
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                return redirect(reverse("control:site", args=[site.uuid]))
    return render(
        request,
        "control/sites.html",
        {"sites": _occupancy(sites_for(request.user)), "form": form, "can_manage": can_manage},
        status=400 if request.method == "POST" else 200,
    )


def _span(a: datetime.datetime, b: datetime.datetime, day_end: datetime.datetime) -> str:
    """A gap of today as `08:00–12:00` in Beijing time (the day's end as 24:00)."""
    last = "24:00" if b >= day_end else f"{timezone.localtime(b):%H:%M}"
    return f"{timezone.localtime(a):%H:%M}–{last}"


def _staff_users(site: IsolationSite) -> Any:
    return User.objects.filter(within(site.region), is_active=True).order_by("username")


@require_http_methods(["GET", "POST"])
@login_required
def site_detail(request: HttpRequest, site_uuid: uuid.UUID) -> HttpResponse:
    """A site: rooms and who is in them (a family shares a room), its staff on duty today (the duty app's
    roster) and the hours of today nobody of the staff is rostered."""
    site = access_site(request.user, site_uuid)
    staff_form = StaffForm(initial={"staff": list(site.staff.all())}, users=_staff_users(site))
    if request.method == "POST":
        site = access_site(request.user, site_uuid, Perm.CONTROL_MANAGE)
        if request.POST.get("form") == "staff":
            staff_form = StaffForm(request.POST, users=_staff_users(site))
            if staff_form.is_valid():
                try:
                    actions.do_set_site_staff(acting_user(request), site, staff_form.cleaned_data["staff"])
                except ValidationError as exc:
                    add_errors(staff_form, exc)
                else:
                    messages.success(request, _("Staff saved."))
                    return redirect(reverse("control:site", args=[site.uuid]))
            return _render_site(request, site, staff_form, status=400)
        try:
            actions.do_set_site_status(acting_user(request), site, request.POST.get("status", ""))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect(reverse("control:site", args=[site.uuid]))
    return _render_site(request, site, staff_form)


def _render_site(
    request: HttpRequest, site: IsolationSite, staff_form: StaffForm, status: int = 200
) -> HttpResponse:
    now = timezone.now()
    today = local_date(now)
    open_stays: dict[int, list[Stay]] = {}
    for s in (
        Stay.objects.filter(room__site=site, checked_out_at__isnull=True)
        .select_related("order__person")
        .order_by("family_of_id", "checked_in_at", "id")
    ):
        open_stays.setdefault(s.room_id, []).append(s)
    rooms = [(room, open_stays.get(room.pk, [])) for room in site.rooms.order_by("number", "id")]
    taken = sum(1 for _r, s in rooms if s)
    staff = list(site.staff.order_by("username"))
    ids = [u.pk for u in staff]
    start, end = day_start(today), day_start(today + datetime.timedelta(days=1))
    roster = shifts_of(ids, start, end)
    return render(
        request,
        "control/site_detail.html",
        {
            "site": site,
            "rooms": rooms,
            "taken": taken,
            "people": sum(len(s) for _r, s in rooms),
            "warn": bool(rooms) and taken / len(rooms) > OCCUPANCY_WARNING,
            "statuses": SiteStatus.choices,
            "can_manage": has_perm(request.user, Perm.CONTROL_MANAGE)
            and in_jurisdiction(request.user, site.region),
            "staff": staff,
            "roster": roster,
            "on_duty_now": [s for s in roster if s.starts_at <= now < s.ends_at],
            "gaps": [_span(a, b, end) for a, b in uncovered_by(ids, start, end)],
            "today": today,
            "staff_form": staff_form,
        },
        status=status,
    )


@require_GET
@login_required
def contact_graph(request: HttpRequest, person_uuid: uuid.UUID) -> HttpResponse:
    person = access_person(request.user, person_uuid)
    require(request.user, Perm.CONTROL_VIEW)
    return render(request, "control/graph.html", {"person": person})


@require_GET
@login_required
def contact_graph_data(request: HttpRequest, person_uuid: uuid.UUID) -> JsonResponse:
    """Two levels of contacts from `person`, only links the viewer may see (ECharts graph series)."""
    person = access_person(request.user, person_uuid)
    links = contacts_for(request.user)
    first = list(links.filter(index_person=person))
    second = list(links.filter(index_person__in=[c.contact_id for c in first]))
    nodes = {person.pk: {"id": str(person.pk), "name": person.name, "category": 0, "symbolSize": 36}}
    edges = []
    for level, rows in ((1, first), (2, second)):
        for link in rows:
            nodes.setdefault(
                link.contact_id,
                {
                    "id": str(link.contact_id),
                    "name": link.contact.name,
                    "category": 1 if link.kind == ContactKind.CLOSE else 2,
                    "symbolSize": 26 if level == 1 else 18,
                },
            )
            edges.append(
                {
                    "source": str(link.index_person_id),
                    "target": str(link.contact_id),
                    "value": link.get_kind_display(),
                }
            )
    categories = [
        {"name": _("Index")},
        {"name": str(ContactKind.CLOSE.label)},
        {"name": str(ContactKind.SECONDARY.label)},
    ]
    return JsonResponse({"nodes": list(nodes.values()), "links": edges, "categories": categories})
