"""Reading facilities, registrations and follow-up tasks: scoped to the jurisdiction (a facility also to its own
staff; a follow-up task to the unit of the person it is about). Outside: 404."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404

from fangkong.accounts.access import AnyUser, has_perm, jurisdiction, scoped, within
from fangkong.accounts.models import User
from fangkong.accounts.permissions import Perm
from fangkong.clinics.models import Facility, FollowUp, SurveillanceRecord


def facilities_for(user: AnyUser, perm: Perm = Perm.CLINICS_VIEW) -> QuerySet[Facility]:
    root = jurisdiction(user)
    if root is None or not has_perm(user, perm):
        return Facility.objects.none()
    cond = Q(staff=user) if isinstance(user, User) else Q(pk__in=[])
    # Facility staff work for their facility, not for the unit their account is placed in.
    if not has_perm(user, Perm.CLINICS_REGISTER) or has_perm(user, Perm.CLINICS_FOLLOW_UP):
        cond |= within(root)
    ids = Facility.objects.filter(cond).values("pk")
    return Facility.objects.filter(pk__in=ids).select_related("region")


def access_facility(user: AnyUser, facility_uuid: Any, perm: Perm = Perm.CLINICS_VIEW) -> Facility:
    try:
        return facilities_for(user, perm).get(uuid=facility_uuid)
    except (Facility.DoesNotExist, ValueError, ValidationError):
        raise Http404 from None


def access_registering_facility(user: AnyUser, facility_uuid: Any) -> Facility:
    """A facility whose staff the user is (only they register at it)."""
    facility = access_facility(user, facility_uuid, Perm.CLINICS_REGISTER)
    if not isinstance(user, User) or not facility.staff.filter(pk=user.pk).exists():
        raise Http404
    return facility


def records_for(user: AnyUser) -> QuerySet[SurveillanceRecord]:
    return SurveillanceRecord.objects.filter(facility__in=facilities_for(user).values("pk"))


def follow_ups_for(user: AnyUser, perm: Perm = Perm.CLINICS_FOLLOW_UP) -> QuerySet[FollowUp]:
    """Tasks about people of the user's jurisdiction (a grid worker: their grid)."""
    return scoped(FollowUp.objects.all(), user, perm).select_related(
        "person", "region", "assigned_to", "record__facility"
    )


def access_follow_up(user: AnyUser, follow_up_uuid: Any) -> FollowUp:
    try:
        return follow_ups_for(user).get(uuid=follow_up_uuid)
    except (FollowUp.DoesNotExist, ValueError, ValidationError):
        raise Http404 from None
