"""Briefing pages: the list of past briefings, one day's summary with generate and next steps, downloads."""

from __future__ import annotations

import datetime
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from fangkong.accounts.access import acting_user, has_perm, require
from fangkong.accounts.models import User
from fangkong.accounts.permissions import Perm
from fangkong.briefing.access import access_briefing, access_county, access_version, briefings_for
from fangkong.briefing.actions import (
    do_generate_briefing,
    do_record_download,
    do_set_next_steps,
    load_summary,
    scheduled_at,
)
from fangkong.briefing.forms import DayForm, NextStepsForm
from fangkong.briefing.models import CONTENT_TYPES, BriefingVersion, FileFormat
from fangkong.briefing.render import late_units, township_rows
from fangkong.lib.reporting_day import local_date

PAGE_SIZE = 30


def _past_day_or_404(day: datetime.date) -> datetime.date:
    """Days that have begun in Beijing; a future day has no briefing page."""
    if day > local_date(timezone.now()):
        raise Http404
    return day


def _versions() -> Prefetch:
    return Prefetch(
        "versions",
        queryset=BriefingVersion.objects.without_files().select_related("generated_by").order_by("-number"),
    )


@require_GET
@login_required
def briefing_list(request: HttpRequest) -> HttpResponse:
    require(request.user, Perm.BRIEFING_VIEW)
    form = DayForm(request.GET if "day" in request.GET else None)
    if form.is_bound and form.is_valid():
        return redirect("briefing:day", day=form.cleaned_data["day"])
    qs = (
        briefings_for(request.user)
        .filter(issue_no__isnull=False)
        .prefetch_related(_versions())
        .order_by("-day")
    )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "briefing/list.html",
        {
            "page_obj": page,
            "form": form,
            "today": local_date(timezone.now()),
            "is_county_user": _has_county(request),
        },
    )


def _has_county(request: HttpRequest) -> bool:
    try:
        access_county(request.user)
    except Http404:
        return False
    return True


@require_GET
@login_required
def briefing_day(request: HttpRequest, day: datetime.date) -> HttpResponse:
    county = access_county(request.user)
    _past_day_or_404(day)
    briefing = (
        briefings_for(request.user).filter(region=county, day=day).prefetch_related(_versions()).first()
    )
    summary = load_summary(day, timezone.now())
    can_edit = has_perm(request.user, Perm.BRIEFING_EDIT)
    form = NextStepsForm(initial={"next_steps": briefing.next_steps if briefing else ""})
    return render(
        request,
        "briefing/day.html",
        {
            "day": day,
            "county": county,
            "briefing": briefing,
            "summary": summary,
            "indicator_rows": [(name, summary.totals.get(code, 0)) for code, name in summary.indicators],
            "township_rows": township_rows(summary) if summary.per_township else [],
            "late": late_units(summary.late_or_missing),
            "versions": list(briefing.versions.all()) if briefing else [],
            "form": form,
            "can_edit": can_edit,
            "scheduled_at": scheduled_at(day),
            "previous_day": day - datetime.timedelta(days=1),
            "next_day": day + datetime.timedelta(days=1) if day < local_date(timezone.now()) else None,
        },
    )


@require_POST
@login_required
def briefing_generate(request: HttpRequest, day: datetime.date) -> HttpResponse:
    county = access_county(request.user, Perm.BRIEFING_EDIT)
    _past_day_or_404(day)
    version = do_generate_briefing(acting_user(request), county, day, timezone.now())
    messages.success(
        request,
        _("Briefing no. %(no)d generated (version %(v)d).")
        % {"no": version.briefing.issue_no, "v": version.number},
    )
    url = reverse("briefing:day", kwargs={"day": day})
    if request.headers.get("HX-Request"):
        return HttpResponse(headers={"HX-Redirect": url})
    return redirect(url)


@require_POST
@login_required
def briefing_next_steps(request: HttpRequest, day: datetime.date) -> HttpResponse:
    county = access_county(request.user, Perm.BRIEFING_EDIT)
    _past_day_or_404(day)
    form = NextStepsForm(request.POST)
    saved = False
    if form.is_valid():
        do_set_next_steps(
            acting_user(request), county, day, form.cleaned_data["next_steps"], now=timezone.now()
        )
        saved = True
    status = 200 if saved else 400
    if request.headers.get("HX-Request"):
        return render(
            request,
            "briefing/partials/next_steps.html",
            {"form": form, "day": day, "saved": saved, "can_edit": True},
            status=status,
        )
    if saved:
        messages.success(request, _("Next steps saved. They appear in the next generated version."))
        return redirect("briefing:day", day=day)
    return render(
        request,
        "briefing/partials/next_steps.html",
        {"form": form, "day": day, "saved": False, "can_edit": True},
        status=status,
    )


def _file_response(user: User, version: BriefingVersion, fmt: str) -> HttpResponse:
    file_format = FileFormat(fmt)
    data = do_record_download(user, version, file_format)
    response = HttpResponse(data, content_type=CONTENT_TYPES[file_format])
    response["Content-Disposition"] = content_disposition_header(True, version.filename(file_format))
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
@login_required
def download_latest(request: HttpRequest, briefing_uuid: uuid.UUID, fmt: str) -> HttpResponse:
    briefing = access_briefing(request.user, briefing_uuid)
    version = briefing.versions.order_by("-number").first()
    if version is None:
        raise Http404
    version.briefing = briefing
    return _file_response(acting_user(request), version, fmt)


@require_GET
@login_required
def download_version(request: HttpRequest, version_uuid: uuid.UUID, fmt: str) -> HttpResponse:
    return _file_response(acting_user(request), access_version(request.user, version_uuid), fmt)
