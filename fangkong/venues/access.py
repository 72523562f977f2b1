"""Reading venues, venue notices and family events: scoped to the user's jurisdiction (404 outside)."""

from __future__ import annotations

import uuid

from django.db.models import QuerySet

from fangkong.accounts.access import AnyUser, get_scoped_or_404, has_perm, jurisdiction, scoped
from fangkong.accounts.permissions import Perm
from fangkong.regions.models import Level
from fangkong.venues.models import EventStatus, FamilyEvent, Venue, VenueNotice


def venues_for(user: AnyUser, perm: Perm = Perm.VENUES_VIEW) -> QuerySet[Venue]:
    return scoped(Venue.objects.filter(is_active=True), user, perm).select_related("region")


def access_venue(user: AnyUser, venue_uuid: uuid.UUID | str, perm: Perm = Perm.VENUES_VIEW) -> Venue:
    return get_scoped_or_404(Venue.objects.select_related("region"), user, perm, uuid=venue_uuid)


def notices_for(user: AnyUser) -> QuerySet[VenueNotice]:
    return scoped(VenueNotice.objects.all(), user, Perm.VENUES_VIEW).select_related("region")


def events_for(user: AnyUser) -> QuerySet[FamilyEvent]:
    """Events of the jurisdiction for those who register or approve them."""
    perm = Perm.EVENTS_APPROVE if has_perm(user, Perm.EVENTS_APPROVE) else Perm.EVENTS_REGISTER
    return scoped(FamilyEvent.objects.all(), user, perm).select_related("region", "rule")


def access_event(user: AnyUser, event_uuid: uuid.UUID | str) -> FamilyEvent:
    return get_scoped_or_404(
        FamilyEvent.objects.select_related("region", "rule"), user, _event_perm(user), uuid=event_uuid
    )


def _event_perm(user: AnyUser) -> Perm:
    return Perm.EVENTS_APPROVE if has_perm(user, Perm.EVENTS_APPROVE) else Perm.EVENTS_REGISTER


def may_decide(user: AnyUser, event: FamilyEvent) -> bool:
    """The village decides first (a user whose own unit is a village above the event), then the township."""
    root = jurisdiction(user)
    if root is None or not has_perm(user, Perm.EVENTS_APPROVE) or not root.contains(event.region):
        return False
    if event.status == EventStatus.VILLAGE:
        return root.level == Level.VILLAGE
    if event.status == EventStatus.TOWNSHIP:
        return root.level == Level.TOWNSHIP
    return False
