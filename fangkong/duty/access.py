"""Reading shifts, units and leave requests: always through these helpers, scoped to the user's jurisdiction.

Two kinds of visibility meet here. A unit's roster is visible inside the jurisdiction (DUTY_VIEW), and a
person on duty always sees their own shifts even when the unit lies above their own region (a grid worker
rostered at the township). A leave request is visible to its requester and to the users who may decide it.
"""

from __future__ import annotations

import uuid

from django.db.models import Q, QuerySet
from django.http import Http404

from fangkong.accounts.access import (
    AnyUser,
    get_scoped_or_404,
    has_perm,
    jurisdiction,
    regions_for,
    scoped,
    within,
)
from fangkong.accounts.models import User
from fangkong.accounts.permissions import Perm
from fangkong.duty.models import DutyShift, LeaveRequest
from fangkong.regions.models import Level, Region

SHIFT_RELATED = ("region", "person_on_duty", "leader_on_call")
LEAVE_RELATED = ("region", "requester", "decided_by")
# The units offered in the roster's picker; any region may be a unit, but grids would swamp the list.
PICKER_LEVELS = (Level.COUNTY, Level.TOWNSHIP, Level.VILLAGE)


def units_for(user: AnyUser, perm: Perm = Perm.DUTY_VIEW) -> QuerySet[Region]:
    """The duty units (any region) whose roster `user` may see or, with DUTY_MANAGE, change."""
    return regions_for(user, perm)


def picker_units_for(user: AnyUser, perm: Perm = Perm.DUTY_VIEW) -> QuerySet[Region]:
    """Units for the picker: the user's own unit (whatever its level) and the units above grid level."""
    root = jurisdiction(user)
    own = Q(pk=root.pk) if root is not None else Q(pk__in=[])
    return units_for(user, perm).filter(own | Q(level__in=PICKER_LEVELS)).order_by("path")


def access_unit(user: AnyUser, code: str, perm: Perm = Perm.DUTY_VIEW) -> Region:
    return get_scoped_or_404(Region.objects.active(), user, perm, via="", code=code)


def shifts_for(user: AnyUser, perm: Perm = Perm.DUTY_VIEW) -> QuerySet[DutyShift]:
    """Active shifts of units in the jurisdiction; for DUTY_VIEW also the user's own shifts anywhere."""
    base = DutyShift.objects.active()
    qs = scoped(base, user, perm)
    if perm == Perm.DUTY_VIEW and isinstance(user, User) and user.is_active:
        qs = qs | base.filter(Q(person_on_duty=user) | Q(leader_on_call=user))
    return qs.select_related(*SHIFT_RELATED)


def access_shift(user: AnyUser, shift_uuid: uuid.UUID | str, perm: Perm = Perm.DUTY_VIEW) -> DutyShift:
    try:
        return shifts_for(user, perm).get(uuid=shift_uuid)
    except (DutyShift.DoesNotExist, ValueError):
        raise Http404 from None


def assignable_users(user: AnyUser) -> QuerySet[User]:
    """Who `user` may put on a roster: active users of their jurisdiction."""
    root = jurisdiction(user)
    if root is None or not has_perm(user, Perm.DUTY_MANAGE):
        return User.objects.none()
    return (
        User.objects.filter(within(root), is_active=True)
        .select_related("region")
        .order_by("region__path", "username")
    )


def leave_requests_to_decide(user: AnyUser) -> QuerySet[LeaveRequest]:
    """Requests `user` is the superior for: inside the jurisdiction, strictly below the user's own unit,
    never the user's own."""
    qs = scoped(LeaveRequest.objects.all(), user, Perm.LEAVE_APPROVE)
    if isinstance(user, User) and user.region_id is not None:
        qs = qs.exclude(region_id=user.region_id).exclude(requester=user)
    return qs.select_related(*LEAVE_RELATED)


def leave_requests_for(user: AnyUser) -> QuerySet[LeaveRequest]:
    """Requests `user` may read: their own and those they may decide."""
    if not isinstance(user, User) or not user.is_active:
        return LeaveRequest.objects.none()
    own = LeaveRequest.objects.filter(requester=user)
    return (own | leave_requests_to_decide(user)).select_related(*LEAVE_RELATED)


def access_leave(user: AnyUser, leave_uuid: uuid.UUID | str) -> LeaveRequest:
    try:
        return leave_requests_for(user).get(uuid=leave_uuid)
    except (LeaveRequest.DoesNotExist, ValueError):
        raise Http404 from None


def is_superior(user: AnyUser, leave: LeaveRequest) -> bool:
    """May `user` approve or refuse `leave`: LEAVE_APPROVE over a jurisdiction strictly above the
    requester's region, and not the requester."""
    root = jurisdiction(user)
    return (
        root is not None
        and has_perm(user, Perm.LEAVE_APPROVE)
        and leave.requester_id != getattr(user, "pk", None)
        and root.contains(leave.region)
        and root.pk != leave.region_id
    )
