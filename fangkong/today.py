"""今日态势: the command view of a user's jurisdiction on the home page, and the bell in the top bar.

The home page answers at once with today's reporting (filed / late / missing, before and after 12:00) and the urgent
reports waiting; each module's section then loads by itself (htmx, `/today/<section>/`), so a slow or failing
module never holds the page. A section's figures are the ones its app publishes in `reporting.sources` (the daily
form's prefill and the briefing read the same), each with its last 7 days and a link to the list behind it. Which
figures a section shows is data here; which sections come first depends on the role (a grid worker's tasks, the
checkpoint staff's crossings …).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from fangkong.accounts.access import access_region, acting_user, has_perm, jurisdiction
from fangkong.accounts.permissions import Perm, Role
from fangkong.lib import memo
from fangkong.regions.models import Region
from fangkong.reporting import public as reporting


@dataclass(frozen=True)
class Item:
    source: str  # a code registered in reporting.sources
    label: Promise
    link: str  # a URL name: the list behind the figure
    alarm: bool = False  # a figure that should be 0: shown in red when it is not
    # The list behind some figures is a worker's page that readers may not open: they get `fallback` instead.
    link_perm: Perm | None = None
    fallback: str = ""

    def url_for(self, user: object) -> str:
        if self.link_perm is not None and not has_perm(user, self.link_perm):  # type: ignore[arg-type]
            return _url(self.fallback) if self.fallback else ""
        return _url(self.link)


@dataclass(frozen=True)
class Section:
    key: str
    title: Promise
    perm: Perm
    items: tuple[Item, ...]


SECTIONS = (
    Section(
        "screening",
        _("Screening and push lists"),
        Perm.SCREENING_VIEW,
        (
            Item("screening.returnees_registered", _("Returnees registered"), "screening:returnees"),
            Item("screening.returnees_under_control", _("Returnees under control"), "screening:returnees"),
            Item("pushlists.items_received", _("Push items received"), "pushlists:list"),
            Item("pushlists.items_overdue", _("Push items overdue"), "pushlists:list", alarm=True),
        ),
    ),
    Section(
        "control",
        _("Control"),
        Perm.CONTROL_VIEW,
        (
            Item("control.central_isolation", _("Under centralized isolation"), "control:orders"),
            Item("control.home_isolation", _("Under home isolation"), "control:orders"),
            Item("control.health_monitoring", _("Under health monitoring"), "control:orders"),
            Item("control.close_contacts", _("Close contacts"), "control:orders"),
            Item(
                "control.follow_ups_missed",
                _("Follow-ups missed"),
                "control:follow_ups",
                alarm=True,
                link_perm=Perm.CONTROL_FOLLOW_UP,
                fallback="control:home",
            ),
            Item(
                "control.alerts",
                _("Follow-up alerts"),
                "control:follow_ups",
                alarm=True,
                link_perm=Perm.CONTROL_FOLLOW_UP,
                fallback="control:home",
            ),
        ),
    ),
    Section(
        "testing",
        _("Testing"),
        Perm.TESTING_VIEW,
        (
            Item("testing.samples_taken", _("Samples taken"), "testing:home"),
            Item("testing.coverage_percent", _("Coverage of the current round (%)"), "testing:home"),
            Item("testing.results_positive", _("Positive results"), "testing:home", alarm=True),
            Item("testing.key_group_overdue", _("Key-group members overdue"), "testing:home", alarm=True),
        ),
    ),
    Section(
        "checkpoints",
        _("Checkpoints"),
        Perm.CHECKPOINT_VIEW,
        (
            Item("checkpoints.manned", _("Checkpoints manned"), "checkpoints:list"),
            Item("checkpoints.people_checked", _("People checked"), "checkpoints:list"),
            Item("checkpoints.fevers", _("Fevers found"), "checkpoints:referrals", alarm=True),
            Item("checkpoints.turned_back", _("Turned back"), "checkpoints:list"),
        ),
    ),
    Section(
        "clinics",
        _("Medical surveillance"),
        Perm.CLINICS_VIEW,
        (
            Item("clinics.drug_buyers", _("Fever-medicine buyers registered"), "clinics:home"),
            Item(
                "clinics.follow_ups_overdue",
                _("Clinic follow-ups overdue"),
                "clinics:follow_ups",
                alarm=True,
                link_perm=Perm.CLINICS_FOLLOW_UP,
                fallback="clinics:home",
            ),
        ),
    ),
    Section(
        "vaccination",
        _("Vaccination"),
        Perm.VACCINATION_VIEW,
        (
            Item("vaccination.doses_given", _("Doses given"), "vaccination:coverage"),
            Item("vaccination.coverage_percent", _("Full-course coverage (%)"), "vaccination:coverage"),
        ),
    ),
    Section(
        "supplies",
        _("Supplies"),
        Perm.SUPPLIES_VIEW,
        (
            Item("supplies.items_short", _("Items below threshold"), "supplies:home", alarm=True),
            Item("supplies.lots_expiring", _("Lots expiring within 30 days"), "supplies:home", alarm=True),
        ),
    ),
    Section(
        "supervision",
        _("Supervision"),
        Perm.SUPERVISION_VIEW,
        (
            Item("supervision.items_found", _("Rectification items found"), "supervision:home"),
            Item(
                "supervision.items_overdue", _("Rectification items overdue"), "supervision:home", alarm=True
            ),
        ),
    ),
)
BY_KEY = {s.key: s for s in SECTIONS}
# What each role sees first; the other sections follow in SECTIONS order.
FIRST: dict[str, tuple[str, ...]] = {
    Role.GRID_WORKER: ("control", "screening"),
    Role.VILLAGE_CADRE: ("control", "screening"),
    Role.CHECKPOINT_STAFF: ("checkpoints",),
    Role.TESTING_STAFF: ("testing",),
    Role.INSPECTOR: ("supervision",),
    Role.FACILITY_STAFF: ("clinics",),
}


def sections_for(user: object) -> list[Section]:
    role = getattr(user, "role", "")
    first = [BY_KEY[k] for k in FIRST.get(role, ())]
    rest = [s for s in SECTIONS if s not in first]
    return [s for s in first + rest if has_perm(user, s.perm)]  # type: ignore[arg-type]


@dataclass(frozen=True)
class Shown:
    item: Item
    today: int
    days: list[tuple[datetime.date, int]]
    url: str

    @property
    def points(self) -> str:
        """The 7 days as an SVG polyline in a 100 × 24 box (a flat line at the bottom for all zeros)."""
        values = [v for _d, v in self.days]
        top = max(values) or 1
        step = 100 / max(len(values) - 1, 1)
        return " ".join(f"{i * step:.1f},{22 - 20 * v / top:.1f}" for i, v in enumerate(values))

    @property
    def spoken(self) -> str:
        return "，".join(f"{d:%-m月%-d日} {v}" for d, v in self.days)


def _url(name: str) -> str:
    try:
        return reverse(name)
    except NoReverseMatch:
        return ""


@require_GET
@login_required
def section(request: HttpRequest, key: str) -> HttpResponse:
    wanted = BY_KEY.get(key)
    region = jurisdiction(request.user)
    if wanted is None or region is None or wanted not in sections_for(request.user):
        raise Http404
    now = timezone.now()
    shown = []
    for item in wanted.items:
        days = reporting.series(item.source, region, now)
        if days is not None:
            shown.append(Shown(item, days[-1][1], days, item.url_for(request.user)))
    return render(request, "today/section.html", {"section": wanted, "shown": shown})


DASHBOARD_DAYS = 30


def _region_of(request: HttpRequest, section: Section) -> Region:
    """The unit the dashboard shows: `?unit=` inside the user's jurisdiction (404 outside it), else their own."""
    code = request.GET.get("unit", "")
    if code:
        return access_region(request.user, code, section.perm)
    region = jurisdiction(request.user)
    if region is None:
        raise Http404
    return region


@require_GET
@login_required
def dashboard(request: HttpRequest, key: str) -> HttpResponse:
    """A module's dashboard: one figure by unit (the units directly below, click a bar to drill down, the
    breadcrumb to go back up), by day (the last 30 days) and all the section's figures today — a table under
    every chart, the same numbers as the home page and the daily report."""
    wanted = BY_KEY.get(key)
    if wanted is None or wanted not in sections_for(request.user):
        raise Http404
    region = _region_of(request, wanted)
    items = [i for i in wanted.items if i.source in reporting.registered_sources()]
    if not items:
        raise Http404
    chosen = next((i for i in items if i.source == request.GET.get("figure")), items[0])
    now = timezone.now()
    home = jurisdiction(request.user)
    above = [r for r in region.ancestors() if r.pk != region.pk]
    trail = [r for r in above if home is not None and r.depth >= home.depth] + [region]
    children = list(Region.objects.active().filter(parent=region).order_by("code"))
    with memo.scope():  # the unit's figures today serve the chart by day and the table of figures alike
        by_unit = [(child, reporting.value(chosen.source, child, now)) for child in children]
        by_day = reporting.series(chosen.source, region, now, days=DASHBOARD_DAYS) or []
        by_figure = [(item, reporting.value(item.source, region, now)) for item in items]
    chart = {
        "figure": str(chosen.label),
        "units": [{"code": c.code, "name": c.name, "value": v or 0} for c, v in by_unit],
        "days": [{"day": f"{d:%-m月%-d日}", "value": v} for d, v in by_day],
        "figures": [{"name": str(i.label), "value": v or 0} for i, v in by_figure],
    }
    return render(
        request,
        "today/dashboard.html",
        {
            "section": wanted,
            "items": items,
            "chosen": chosen,
            "region": region,
            "trail": trail,
            "by_unit": by_unit,
            "by_day": by_day,
            "by_figure": by_figure,
            "chart": chart,
        },
    )


@require_GET
@login_required
def bell(request: HttpRequest) -> HttpResponse:
    counts = reporting.bell_counts(acting_user(request))
    return render(request, "today/bell.html", {"counts": counts, "total": sum(counts.values())})


def today_context(request: HttpRequest) -> dict[str, object]:
    """What the home page shows at once; the sections follow by themselves."""
    region = jurisdiction(request.user)
    if region is None:
        return {}
    now = timezone.now()
    context: dict[str, object] = {"sections": sections_for(request.user), "now": now}
    if has_perm(request.user, Perm.REPORT_VIEW):
        context["reporting"] = reporting.reporting_today(region, now)
        context["urgent_waiting"] = reporting.urgent_waiting(request.user)
    return context
