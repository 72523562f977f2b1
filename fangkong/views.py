"""The home page: the user's jurisdiction at a glance and the modules they may use."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from fangkong.accounts.access import jurisdiction, regions_for
from fangkong.lib.web import public
from fangkong.people.access import people_for
from fangkong.regions.models import LEVEL_DEPTH, Level


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
    return render(
        request, "home.html", {"region": region, "cards": cards, "people": people_for(request.user).count()}
    )


@public
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"ok": True})
