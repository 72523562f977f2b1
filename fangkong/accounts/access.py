"""The access layer: every read of a region-owned record goes through here.

`scoped()` narrows a queryset to the user's jurisdiction (the subtree of the user's region) for one
permission; `get_scoped_or_404()` fetches one object the same way. Anything outside answers 404, never
403, so an outsider cannot learn that a record exists. Apps build their own `access_*` helpers on these.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404, HttpRequest

from fangkong.accounts.models import User
from fangkong.accounts.permissions import Perm, Role
from fangkong.regions.models import Region

M = TypeVar("M", bound=models.Model)
AnyUser = User | AnonymousUser


def has_perm(user: AnyUser, perm: Perm) -> bool:
    return isinstance(user, User) and user.has_role_perm(perm)


def jurisdiction(user: AnyUser) -> Region | None:
    """The root of what `user` may see, or None for nobody (anonymous, no role, no region)."""
    if not isinstance(user, User) or not user.is_active or user.region_id is None or not user.role:
        return None
    return user.region


def require(user: AnyUser, perm: Perm) -> Region:
    """The user's jurisdiction if they hold `perm`; otherwise 404."""
    region = jurisdiction(user)
    if region is None or not has_perm(user, perm):
        raise Http404
    return region


def within(root: Region, *, via: str = "region") -> models.Q:
    """Records whose `via` region lies in `root`'s subtree (`root` included): the one jurisdiction test.

    `via` is the lookup path to the owning Region (`region`, `person__region`, `from_region`, or "" for regions
    themselves). A prefix of the materialized path on the small region table, joined by key; every
    hand-written filter by unit goes through here (or an app's access helper built on it), so the rule can
    change in one place. Records that carry a path of their own use `regions.models.path_prefix` instead.
    """
    prefix = "" if via == "" else via + "__"
    return models.Q(**{f"{prefix}path__startswith": root.path})


def scoped(qs: models.QuerySet[M], user: AnyUser, perm: Perm, *, via: str = "region") -> models.QuerySet[M]:
    """`qs` narrowed to records whose `via` region lies inside the user's jurisdiction."""
    region = jurisdiction(user)
    if region is None or not has_perm(user, perm):
        return qs.none()
    return qs.filter(within(region, via=via))


def get_scoped_or_404(
    qs: models.QuerySet[M], user: AnyUser, perm: Perm, *, via: str = "region", **lookup: Any
) -> M:
    try:
        return scoped(qs, user, perm, via=via).get(**lookup)
    except (models.ObjectDoesNotExist, ValueError, ValidationError):
        raise Http404 from None


def regions_for(user: AnyUser, perm: Perm = Perm.REGIONS_VIEW) -> models.QuerySet[Region]:
    return scoped(Region.objects.active().with_ancestors(), user, perm, via="")


def access_region(user: AnyUser, code: str, perm: Perm = Perm.REGIONS_VIEW) -> Region:
    return get_scoped_or_404(Region.objects.active(), user, perm, via="", code=code)


def in_unit(
    qs: models.QuerySet[M], user: AnyUser, code: str, *, via: str = "region", perm: Perm = Perm.REGIONS_VIEW
) -> models.QuerySet[M]:
    """`qs` narrowed to the unit `code` (a `?region=` filter of a list); a unit the user may not see is 404."""
    return qs.filter(within(access_region(user, code, perm), via=via))


def in_jurisdiction(user: AnyUser, region: Region | None) -> bool:
    root = jurisdiction(user)
    return root is not None and region is not None and root.contains(region)


def _manageable(user: AnyUser) -> models.QuerySet[User]:
    from fangkong.accounts.permissions import grantable_roles

    roles = grantable_roles(user.role) if isinstance(user, User) else frozenset()
    return User.objects.filter(role__in=[r.value for r in roles])


def users_for(user: AnyUser, perm: Perm = Perm.USERS_MANAGE) -> models.QuerySet[User]:
    """Accounts inside the manager's jurisdiction holding a role the manager may give."""
    return scoped(_manageable(user), user, perm)


def access_user(user: AnyUser, user_uuid: Any, perm: Perm = Perm.USERS_MANAGE) -> User:
    return get_scoped_or_404(_manageable(user).select_related("region"), user, perm, uuid=user_uuid)


def grid_workers_in(region: Region) -> models.QuerySet[User]:
    """The active grid workers working in `region`'s subtree (a village's page lists them)."""
    return User.objects.filter(within(region), role=Role.GRID_WORKER, is_active=True)


def access_grid_worker(user: AnyUser, user_uuid: Any) -> User:
    """An active grid worker inside the user's jurisdiction whom the user may assign (GRIDS_MANAGE); else 404."""
    return get_scoped_or_404(
        User.objects.filter(role=Role.GRID_WORKER, is_active=True).select_related("region"),
        user,
        Perm.GRIDS_MANAGE,
        uuid=user_uuid,
    )


def acting_user(request: HttpRequest) -> User:
    """The signed-in user of a request that `login_required` (or the API's auth) has already let through."""
    if not isinstance(request.user, User):
        raise Http404
    return request.user
