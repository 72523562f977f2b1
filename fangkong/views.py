"""The home page: the user's jurisdiction at a glance and the modules they may use."""

from __future__ import annotations

import logging

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from fangkong import jobruns
from fangkong.accounts.access import has_perm, jurisdiction, regions_for
from fangkong.accounts.permissions import Perm, Role
from fangkong.lib.web import public
from fangkong.regions.models import LEVEL_DEPTH, Level
from fangkong.regions.queries import people_below
from fangkong.today import today_context

log = logging.getLogger(__name__)


@require_GET
@login_required
def home(request: HttpRequest) -> HttpResponse:
    regions = regions_for(request.user)
    region = jurisdiction(request.user)
    # Only the levels below the user's own are worth counting (a grid worker has no townships).
    below = [
        lvl
        for lvl in (Level.TOWNSHIP, Level.VILLAGE, Level.GRID)
        if region and LEVEL_DEPTH[lvl] > region.depth
    ]
    cards = [(lvl.value, regions.filter(level=lvl).count()) for lvl in below]
    # The same count as people_for(user).count(), kept per unit: a live count scans every person below.
    people = people_below(region) if region is not None and has_perm(request.user, Perm.PEOPLE_VIEW) else 0
    context = {
        "region": region,
        "cards": cards,
        "people": people,
        "overdue_jobs": _overdue_jobs(request),
        **today_context(request),
    }
    return render(request, "home.html", context)


def _overdue_jobs(request: HttpRequest) -> list[jobruns.JobStatus]:
    """The periodic jobs that did not run when due, for the command office, who answer for the platform."""
    if getattr(request.user, "role", None) != Role.COMMAND_OFFICE:
        return []
    try:
        return [job for job in jobruns.job_statuses(timezone.now()) if job.overdue]
    except Exception as exc:  # the cache is Redis when the broker is: the home page works without it
        log.warning("periodic job runs not read: %s", exc)
        return []


@public
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"ok": True})
