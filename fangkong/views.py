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
from fangkong.regions.models import Level


@require_GET
@login_required
def home(request: HttpRequest) -> HttpResponse:
    regions = regions_for(request.user)
    counts = {
        "townships": regions.filter(level=Level.TOWNSHIP).count(),
        "villages": regions.filter(level=Level.VILLAGE).count(),
        "grids": regions.filter(level=Level.GRID).count(),
        "people": people_for(request.user).count(),
    }
    return render(request, "home.html", {"region": jurisdiction(request.user), "counts": counts})


@public
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"ok": True})
