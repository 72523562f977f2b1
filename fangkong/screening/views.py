"""Screening pages: overview, returnees (list, detail, grid report), the public self-report page and its
printable links, risk areas, classification rules, household visit campaigns."""

from __future__ import annotations

import datetime
import hashlib
import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, OuterRef, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from fangkong.accounts.access import acting_user, has_perm, in_jurisdiction, regions_for, require
from fangkong.accounts.permissions import Perm
from fangkong.audit.middleware import client_ip
from fangkong.lib.masking import mask_phone
from fangkong.lib.qr import qr_svg
from fangkong.lib.web import add_errors, public
from fangkong.people.models import Person
from fangkong.regions.models import Region
from fangkong.regions.queries import cached_count, cached_until_change
from fangkong.screening import access, figures
from fangkong.screening.actions import (
    campaign_households,
    do_lift_risk_area,
    do_mark_visited,
    do_publish_risk_areas,
    do_register_returnee,
    do_save_measure,
    do_save_rule,
    do_start_campaign,
    parse_risk_file,
    parse_risk_list,
)
from fangkong.screening.forms import (
    CampaignForm,
    GridReturneeForm,
    LiftForm,
    MeasureForm,
    ReturneeFilterForm,
    RiskImportForm,
    RiskPasteForm,
    RuleForm,
    SelfReportForm,
    VisitForm,
    initial_from_self_report,
)
from fangkong.screening.models import (
    Channel,
    ClassificationRule,
    ControlMeasure,
    HouseholdVisit,
    ReturneeReport,
    ReturneeReportQuerySet,
    RiskArea,
    ScreeningCampaign,
    mark_double_report,
)
from fangkong.screening.risk import is_starred_city, risk_level_at, starred_cities

SELF_REPORT_LIMIT = 20  # submissions per client address per hour
SELF_REPORT_WINDOW = 3600
QR_CACHE_SECONDS = 7 * 24 * 3600
SELF_REPORT_SUBMISSION_TTL = 24 * 3600  # how long a sent form's idempotency key answers with its receipt
SELF_REPORT_RECEIPT = "screening_self_report_receipt"  # session key of the visitor's last receipt
UNVISITED_SHOWN = 100


# --- overview -------------------------------------------------------------------------------------


@require_GET
@login_required
def home(request: HttpRequest) -> HttpResponse:
    region = require(request.user, Perm.SCREENING_VIEW)
    user = acting_user(request)
    today = timezone.localdate()

    def overview() -> dict[str, Any]:
        reports = access.reports_for(user)
        return {
            "registered_today": figures.returnees_registered(region, today),
            "under_control": figures.returnees_under_control(region),
            "double_incomplete": figures.double_report_incomplete(region),
            "by_level": dict(
                reports.values_list("origin_risk_level").annotate(n=Count("person", distinct=True)).order_by()
            ),
        }

    # Each figure aggregates every report of the jurisdiction (300,000 in a city): computed once per change.
    key = f"screening:overview:{user.pk}:{region.pk}:{today.isoformat()}"
    context = {
        "region": region,
        "today": today,
        **cached_until_change(key, overview, also=[ReturneeReport, Person]),
        "starred": sorted(starred_cities(today)),
        "current_areas": RiskArea.objects.current_on(today).count(),
        "campaigns": access.campaigns_for(request.user)[:5],
        "can_register": has_perm(request.user, Perm.SCREENING_REGISTER),
        "can_rules": has_perm(request.user, Perm.SCREENING_RULES),
    }
    return render(request, "screening/home.html", context)


# --- returnees ------------------------------------------------------------------------------------


def page_of(qs: ReturneeReportQuerySet, per_page: int, number: Any) -> Page[Any]:
    """One page of reports, marked with their double report.

    The count is kept until a change. The page's keys are found first, from the reports table alone, and only those rows are then read with
    their person and units: sorting a township's 30,000 reports with five joined tables took longer than
    sorting their keys.
    """
    paginator = Paginator(qs.values_list("pk", flat=True), per_page)
    paginator.__dict__["count"] = cached_count(qs, also=[ReturneeReport, Person])
    page = paginator.get_page(number)
    keys = list(page.object_list)
    rows = qs.filter(pk__in=keys).in_bulk()
    reports = [rows[k] for k in keys]
    mark_double_report(reports)
    page.object_list = reports  # type: ignore[assignment]
    return page


@require_GET
@login_required
def returnee_list(request: HttpRequest) -> HttpResponse:
    require(request.user, Perm.SCREENING_VIEW)
    form = ReturneeFilterForm(request.GET or None)
    qs = access.reports_for(request.user)
    if form.is_valid():
        data = form.cleaned_data
        if data["status"]:
            qs = qs.filter(status=data["status"])
        if data["risk"] == "starred":
            qs = qs.filter(origin_starred=True)
        elif data["risk"] == "none":
            qs = qs.filter(origin_risk_level="", origin_starred=False)
        elif data["risk"]:
            qs = qs.filter(origin_risk_level=data["risk"])
        if data["double"] == "complete":
            qs = qs.with_double_report().filter(Q(has_self=True) & Q(has_grid=True))
        elif data["double"] == "incomplete":
            qs = qs.with_double_report().exclude(Q(has_self=True) & Q(has_grid=True))
        if data["measure"]:
            qs = qs.filter(proposed_measure__code=data["measure"])
    page = page_of(qs, 50, request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "screening/returnee_list.html",
        {
            "page_obj": page,
            "form": form,
            "querystring": query.urlencode(),
            "can_register": has_perm(request.user, Perm.SCREENING_REGISTER),
        },
    )


@require_GET
@login_required
def returnee_detail(request: HttpRequest, report_uuid: uuid.UUID) -> HttpResponse:
    report = access.access_report(request.user, report_uuid)
    others = access.reports_for(request.user).filter(person=report.person).exclude(pk=report.pk)
    channels = {report.channel, *others.values_list("channel", flat=True)}
    return render(
        request,
        "screening/returnee_detail.html",
        {
            "report": report,
            "others": others,
            "has_self": Channel.SELF in channels,
            "has_grid": Channel.GRID in channels,
            "contact_phone_masked": mask_phone(report.contact_phone),
            # A person held by another unit stays hidden until handed over (移交).
            "person_visible": in_jurisdiction(request.user, report.person.region),
            "can_register": has_perm(request.user, Perm.SCREENING_REGISTER),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def returnee_create(request: HttpRequest) -> HttpResponse:
    require(request.user, Perm.SCREENING_REGISTER)
    regions = regions_for(request.user, Perm.SCREENING_REGISTER)
    initial = {}
    if source_text := request.GET.get("from"):
        try:
            source_uuid = uuid.UUID(source_text)
        except ValueError:
            raise Http404 from None
        source = access.access_report(request.user, source_uuid)
        if source.channel == Channel.SELF:
            initial = initial_from_self_report(source)
    form = GridReturneeForm(request.POST or None, regions=regions, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            report = do_register_returnee(
                acting_user(request),
                channel=Channel.GRID,
                region=form.cleaned_data["region"],
                data=form.to_input(),
                now=timezone.now(),
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(
                request, _("Returnee registered. Receipt %(receipt)s.") % {"receipt": report.receipt_number}
            )
            if not in_jurisdiction(request.user, report.person.region):
                messages.info(
                    request,
                    _(
                        "This document belongs to a person registered in another unit; that unit has been asked"
                        " to hand the person over."
                    ),
                )
            return redirect("screening:returnee_detail", report_uuid=report.uuid)
    return render(request, "screening/returnee_form.html", {"form": form})


# --- self-report (public) -------------------------------------------------------------------------


def _rate_limited(request: HttpRequest) -> bool:
    """Count this submission against the client address; True once the hourly limit is exceeded."""
    window = int(timezone.now().timestamp()) // SELF_REPORT_WINDOW
    key = f"screening:self-report:{client_ip(request) or 'unknown'}:{window}"
    cache.add(key, 0, SELF_REPORT_WINDOW)
    try:
        count = cache.incr(key)
    except ValueError:  # the key expired between add and incr
        cache.set(key, 1, SELF_REPORT_WINDOW)
        count = 1
    return count > SELF_REPORT_LIMIT


@public
@require_http_methods(["GET", "POST"])
def self_report(request: HttpRequest, village_code: str) -> HttpResponse:
    """自主申报: open to anyone with the village link. The answer is the same whether or not the person was
    known already, so the page cannot be used to probe who is registered."""
    village = access.public_village(village_code)
    form = SelfReportForm(request.POST or None)
    if request.method == "POST":
        if _rate_limited(request):
            return render(
                request,
                "screening/self_report.html",
                {"form": form, "village": village, "limited": True},
                status=429,
            )
        if form.is_valid():
            # The idempotency key: claimed atomically, so a resent form (refresh, back and resend, a double tap)
            # answers with the first submission's receipt instead of registering again.
            key = f"screening:self-report:submission:{form.cleaned_data['submission'] or uuid.uuid4()}"
            # A cache that cannot be reached refuses the claim without holding the key: then the report is
            # saved anyway (no idempotency while the cache is down is better than dropping reports).
            if not cache.add(key, "", SELF_REPORT_SUBMISSION_TTL) and cache.has_key(key):
                if receipt := cache.get(key):
                    return _to_receipt(request, village, receipt)
                messages.info(request, _("This form is being sent already. Please wait a moment."))
                return redirect("screening:self_report", village_code=village.code)
            try:
                report = do_register_returnee(
                    None, channel=Channel.SELF, region=village, data=form.to_input(), now=timezone.now()
                )
            except ValidationError as exc:
                cache.delete(key)  # nothing was stored: the corrected form may use the same key
                add_errors(form, exc)
            else:
                cache.set(key, report.receipt_number, SELF_REPORT_SUBMISSION_TTL)
                return _to_receipt(request, village, report.receipt_number)
    return render(request, "screening/self_report.html", {"form": form, "village": village})


def _to_receipt(request: HttpRequest, village: Region, receipt: str) -> HttpResponse:
    """Post/redirect/get: the receipt is a page of its own, so refreshing it cannot send the form again. The
    receipt number travels in the visitor's session, never in the URL."""
    request.session[SELF_REPORT_RECEIPT] = {"village": village.code, "receipt": receipt}
    return redirect("screening:self_report_done", village_code=village.code)


@public
@require_GET
def self_report_done(request: HttpRequest, village_code: str) -> HttpResponse:
    """The receipt of this visitor's last self-report in this village (from their session)."""
    village = access.public_village(village_code)
    last = request.session.get(SELF_REPORT_RECEIPT) or {}
    if last.get("village") != village.code:
        return redirect("screening:self_report", village_code=village.code)
    return render(
        request, "screening/self_report_done.html", {"village": village, "receipt": last["receipt"]}
    )


@require_GET
@login_required
def self_report_links(request: HttpRequest) -> HttpResponse:
    """A printable page of the self-report link of every village in the jurisdiction, as text and as a QR
    code (drawn here from the URL the server builds; nothing a user typed goes into the code)."""
    villages = access.villages_for(request.user).order_by("path")
    wanted = {}
    for v in villages:
        url = request.build_absolute_uri(f"/screening/r/{v.code}/")
        label = _("Self-report QR code of %(township)s %(village)s") % {
            "township": v.parent.name if v.parent else "",
            "village": v.name,
        }
        # Drawing a code takes ~5 ms and a district has hundreds: keep each drawing, keyed by what it shows.
        key = "screening:qr:" + hashlib.sha256(f"{url}\n{label.strip()}".encode()).hexdigest()
        wanted[key] = (v, url, label.strip())
    drawn = cache.get_many(list(wanted))
    new = {key: qr_svg(url, label) for key, (_v, url, label) in wanted.items() if key not in drawn}
    if new:
        cache.set_many(new, QR_CACHE_SECONDS)
    links = [(v, url, drawn.get(key) or new[key]) for key, (v, url, _label) in wanted.items()]
    return render(request, "screening/links.html", {"links": links})


# --- risk areas -----------------------------------------------------------------------------------


@require_GET
@login_required
def risk_areas(request: HttpRequest) -> HttpResponse:
    require(request.user, Perm.SCREENING_VIEW)
    today = timezone.localdate()
    show = request.GET.get("show", "current")
    qs = RiskArea.objects.all() if show == "all" else RiskArea.objects.current_on(today)
    place = request.GET.get("place", "").strip()
    try:
        day = datetime.date.fromisoformat(request.GET.get("day", "")) if request.GET.get("day") else today
    except ValueError:
        day = today
    lookup = {
        "place": place,
        "day": day,
        "level": risk_level_at(place, day),
        "starred": is_starred_city(place, day),
    }
    can_rules = has_perm(request.user, Perm.SCREENING_RULES)
    return render(
        request,
        "screening/risk_areas.html",
        {
            "page_obj": Paginator(qs, 100).get_page(request.GET.get("page")),
            "show": show,
            "today": today,
            "lookup": lookup if place else None,
            "can_rules": can_rules,
            "paste_form": RiskPasteForm(initial={"effective_from": today}) if can_rules else None,
            # Both forms share field names; distinct ids keep each label tied to its own input.
            "import_form": RiskImportForm(initial={"effective_from": today}, auto_id="id_import_%s")
            if can_rules
            else None,
        },
    )


def _published(request: HttpRequest, created: int, unchanged: int, relisted: int) -> None:
    messages.success(
        request,
        _("%(created)d areas listed, %(relisted)d with a new level, %(unchanged)d unchanged.")
        % {"created": created, "relisted": relisted, "unchanged": unchanged},
    )


@require_POST
@login_required
def risk_areas_paste(request: HttpRequest) -> HttpResponse:
    require(request.user, Perm.SCREENING_RULES)
    form = RiskPasteForm(request.POST)
    if form.is_valid():
        try:
            rows = parse_risk_list(form.cleaned_data["text"])
            result = do_publish_risk_areas(
                acting_user(request),
                rows,
                effective_from=form.cleaned_data["effective_from"],
                source=form.cleaned_data["source"],
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            _published(request, result.created, result.unchanged, result.relisted)
            return redirect("screening:risk_areas")
    return render(request, "screening/risk_publish.html", {"form": form}, status=400)


@require_POST
@login_required
def risk_areas_import(request: HttpRequest) -> HttpResponse:
    require(request.user, Perm.SCREENING_RULES)
    form = RiskImportForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            rows = parse_risk_file(upload.name, upload.read())
            result = do_publish_risk_areas(
                acting_user(request),
                rows,
                effective_from=form.cleaned_data["effective_from"],
                source=form.cleaned_data["source"] or upload.name,
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            _published(request, result.created, result.unchanged, result.relisted)
            return redirect("screening:risk_areas")
    return render(request, "screening/risk_publish.html", {"form": form}, status=400)


@require_POST
@login_required
def risk_area_lift(request: HttpRequest, area_uuid: uuid.UUID) -> HttpResponse:
    area = access.access_risk_area(request.user, area_uuid)
    form = LiftForm(request.POST)
    if form.is_valid():
        try:
            do_lift_risk_area(acting_user(request), area, form.cleaned_data["lifted_on"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Area lifted: %(name)s.") % {"name": area.name})
    else:
        messages.error(request, _("Enter the date the area was lifted."))
    return redirect("screening:risk_areas")


# --- rules ----------------------------------------------------------------------------------------


@require_GET
@login_required
def rules(request: HttpRequest) -> HttpResponse:
    require(request.user, Perm.SCREENING_VIEW)
    return render(
        request,
        "screening/rules.html",
        {
            "rules": ClassificationRule.objects.select_related("measure").order_by("priority", "id"),
            "measures": ControlMeasure.objects.all(),
            "can_rules": has_perm(request.user, Perm.SCREENING_RULES),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def rule_edit(request: HttpRequest, rule_uuid: uuid.UUID | None = None) -> HttpResponse:
    rule = access.access_rule(request.user, rule_uuid) if rule_uuid else None
    require(request.user, Perm.SCREENING_RULES)
    initial = (
        {
            "priority": rule.priority,
            "condition": rule.condition,
            "special_situation": rule.special_situation,
            "measure": rule.measure,
            "active": rule.active,
            "note": rule.note,
        }
        if rule
        else {"active": True}
    )
    form = RuleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            do_save_rule(acting_user(request), rule, **form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Rule saved."))
            return redirect("screening:rules")
    return render(request, "screening/rule_form.html", {"form": form, "rule": rule})


@require_http_methods(["GET", "POST"])
@login_required
def measure_edit(request: HttpRequest, code: str | None = None) -> HttpResponse:
    measure = access.access_measure(request.user, code) if code else None
    require(request.user, Perm.SCREENING_RULES)
    initial = (
        {
            "code": measure.code,
            "name_zh": measure.name_zh,
            "name_en": measure.name_en,
            "is_control": measure.is_control,
            "active": measure.active,
            "sort_order": measure.sort_order,
        }
        if measure
        else {"active": True, "is_control": True}
    )
    form = MeasureForm(request.POST or None, initial=initial)
    if measure is not None:
        form.fields["code"].disabled = True
    if request.method == "POST" and form.is_valid():
        try:
            do_save_measure(acting_user(request), measure, **form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Measure saved."))
            return redirect("screening:rules")
    return render(request, "screening/measure_form.html", {"form": form, "measure": measure})


# --- household completeness -----------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def campaigns(request: HttpRequest) -> HttpResponse:
    require(request.user, Perm.SCREENING_VIEW)
    can_start = has_perm(request.user, Perm.SCREENING_REGISTER)
    form = CampaignForm(
        request.POST or None,
        villages=access.villages_for(request.user, Perm.SCREENING_REGISTER),
        initial={"started_on": timezone.localdate()},
    )
    if request.method == "POST":
        require(request.user, Perm.SCREENING_REGISTER)
        if form.is_valid():
            try:
                campaign = do_start_campaign(acting_user(request), **form.cleaned_data)
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                return redirect("screening:campaign", campaign_uuid=campaign.uuid)
    qs = access.campaigns_for(request.user).annotate(visited=Count("visits"))
    return render(request, "screening/campaigns.html", {"campaigns": qs, "form": form if can_start else None})


def _campaign_progress(campaign: ScreeningCampaign) -> dict[str, int]:
    """已走访 x / y 户: the campaign page's counter, also sent out of band after each household is marked."""
    households = campaign_households(campaign)
    total = households.count()
    done = HouseholdVisit.objects.filter(campaign=campaign, household__in=households).count()
    return {"total": total, "visited": done, "percent": round(100 * done / total) if total else 0}


def _campaign_context(request: HttpRequest, campaign_uuid: uuid.UUID) -> dict[str, object]:
    campaign = access.access_campaign(request.user, campaign_uuid)
    households = campaign_households(campaign)
    visited = HouseholdVisit.objects.filter(campaign=campaign, household=OuterRef("pk"))
    unvisited = households.annotate(done=Exists(visited)).filter(done=False).order_by("number")
    progress = _campaign_progress(campaign)
    return {
        "campaign": campaign,
        **progress,
        # A city village has ~2,000 households; each row is a form. A page of them is what one visit round
        # takes, and marked households make room for the next (500 rows took 0.5 s to render).
        "unvisited": unvisited[:UNVISITED_SHOWN],
        "unvisited_more": max(0, progress["total"] - progress["visited"] - UNVISITED_SHOWN),
        "recent": HouseholdVisit.objects.filter(campaign=campaign).select_related("household", "visited_by")[
            :20
        ],
        "can_visit": has_perm(request.user, Perm.SCREENING_REGISTER),
        "today": timezone.localdate(),
    }


@require_GET
@login_required
def campaign_detail(request: HttpRequest, campaign_uuid: uuid.UUID) -> HttpResponse:
    return render(request, "screening/campaign.html", _campaign_context(request, campaign_uuid))


@require_POST
@login_required
def household_visit(
    request: HttpRequest, campaign_uuid: uuid.UUID, household_uuid: uuid.UUID
) -> HttpResponse:
    campaign = access.access_campaign(request.user, campaign_uuid, Perm.SCREENING_REGISTER)
    household = campaign_households(campaign).filter(uuid=household_uuid).first()
    if household is None:
        raise Http404
    form = VisitForm(request.POST or {"visited_on": timezone.localdate()})
    if not form.is_valid():
        return HttpResponse(" ".join(str(e) for errs in form.errors.values() for e in errs), status=400)
    try:
        do_mark_visited(
            acting_user(request),
            campaign,
            household,
            now=timezone.now(),
            visited_on=form.cleaned_data["visited_on"],
            people_present=form.cleaned_data["people_present"] or 0,
            returnees_found=form.cleaned_data["returnees_found"] or 0,
            note=form.cleaned_data["note"],
        )
    except ValidationError as exc:
        return HttpResponse(" ".join(exc.messages), status=400)
    if request.headers.get("HX-Request"):
        return render(
            request,
            "screening/partials/visited.html",
            {"household": household, **_campaign_progress(campaign)},
        )
    messages.success(request, _("Household %(number)s marked visited.") % {"number": household.number})
    return redirect("screening:campaign", campaign_uuid=campaign.uuid)
