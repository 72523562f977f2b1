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
    access_grid_worker,
    access_region,
    acting_user,
    grid_workers_in,
    has_perm,
    in_jurisdiction,
    regions_for,
    require,
)
from fangkong.accounts.actions import check_assign_grid_worker
from fangkong.accounts.permissions import Perm
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
    workers = list(grid_workers_in(region).select_related("region").order_by("username"))
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
    if grid.level != Level.GRID or grid.parent is None:
        # Refused before the worker is looked up, so the answer does not depend on which worker was named.
        messages.error(request, _("Grid workers are assigned to grids."))
        return redirect("regions:detail", code=grid.code)
    worker = access_grid_worker(request.user, request.POST.get("user", ""))
    try:
        check_assign_grid_worker(acting_user(request), grid, worker)
    except ValidationError as exc:
        for error in exc.messages:
            messages.error(request, error)
    else:
        messages.success(
            request, _("%(user)s now works grid %(grid)s.") % {"user": worker, "grid": grid.name}
        )
    return redirect("regions:detail", code=grid.parent.code)
