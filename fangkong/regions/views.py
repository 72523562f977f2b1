"""Region pages: the jurisdiction tree, a unit's page with its grids and grid workers."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from fangkong.accounts.access import (
    access_region,
    acting_user,
    get_scoped_or_404,
    has_perm,
    in_jurisdiction,
    regions_for,
    require,
)
from fangkong.accounts.actions import do_assign_role
from fangkong.accounts.models import User
from fangkong.accounts.permissions import Perm, Role
from fangkong.regions.actions import do_create_grid
from fangkong.regions.models import Level
from fangkong.regions.queries import people_counts


@require_GET
@login_required
def tree(request: HttpRequest) -> HttpResponse:
    root = require(request.user, Perm.REGIONS_VIEW)
    if root.level in (Level.VILLAGE, Level.GRID):
        return redirect("regions:detail", code=root.code)
    townships = (
        regions_for(request.user)
        .filter(level=Level.TOWNSHIP)
        .annotate(villages=Count("children", filter=Q(children__is_active=True)))
    )
    return render(request, "regions/tree.html", {"root": root, "townships": townships})


@require_GET
@login_required
def detail(request: HttpRequest, code: str) -> HttpResponse:
    region = access_region(request.user, code)
    children = list(
        region.children.filter(is_active=True).annotate(
            grids=Count("children", filter=Q(children__level=Level.GRID))
        )
    )
    # People are counted over each child's whole subtree (a village's people live in its grids).
    counts = people_counts()
    for child in children:
        child.people_count = counts[child.code]  # type: ignore[attr-defined]
    workers = list(
        User.objects.filter(region__path__startswith=region.path, role=Role.GRID_WORKER, is_active=True)
        .select_related("region")
        .order_by("username")
    )
    can_manage = region.level == Level.VILLAGE and has_perm(request.user, Perm.GRIDS_MANAGE)
    return render(
        request,
        "regions/detail.html",
        {
            "region": region,
            # Units above the user's own are named, not linked: their pages answer 404 to this reader.
            "crumbs": [(a, in_jurisdiction(request.user, a)) for a in region.ancestors()],
            "children": children,
            "workers": workers,
            "assignable": workers if can_manage else [],
            "can_manage": can_manage,
        },
    )


@require_POST
@login_required
def create_grid(request: HttpRequest, code: str) -> HttpResponse:
    village = access_region(request.user, code, Perm.GRIDS_MANAGE)
    try:
        grid = do_create_grid(acting_user(request), village, request.POST.get("name", ""))
    except ValidationError as exc:
        for error in exc.messages:
            messages.error(request, error)
    else:
        messages.success(request, _("Grid %(name)s created.") % {"name": grid.name})
    return redirect("regions:detail", code=village.code)


@require_POST
@login_required
def assign_worker(request: HttpRequest, code: str) -> HttpResponse:
    grid = access_region(request.user, code, Perm.GRIDS_MANAGE)
    village = grid.parent
    if grid.level != Level.GRID or village is None:
        messages.error(request, _("Grid workers are assigned to grids."))
        return redirect("regions:detail", code=grid.code)
    worker = get_scoped_or_404(
        User.objects.filter(role=Role.GRID_WORKER, is_active=True),
        request.user,
        Perm.GRIDS_MANAGE,
        uuid=request.POST.get("user", ""),
    )
    if worker.region is None or not village.contains(worker.region):
        # Moving a worker between villages is the township's call, made from the township's page.
        messages.error(request, _("This grid worker belongs to another village."))
        return redirect("regions:detail", code=village.code)
    do_assign_role(acting_user(request), worker, Role.GRID_WORKER, grid)
    messages.success(request, _("%(user)s now works grid %(grid)s.") % {"user": worker, "grid": grid.name})
    return redirect("regions:detail", code=village.code)
