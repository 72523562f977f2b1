"""Reading briefings: always through these helpers, scoped to the user's jurisdiction.

A briefing belongs to a county. A township user's jurisdiction does not contain the county, so only
county-level users (command office, leaders, health bureau, inspectors) see briefings; everyone else
gets 404, exactly as if the briefing did not exist.
"""

from __future__ import annotations

import uuid

from django.db.models import QuerySet
from django.http import Http404

from fangkong.accounts.access import AnyUser, get_scoped_or_404, regions_for, scoped
from fangkong.accounts.permissions import Perm
from fangkong.briefing.models import Briefing, BriefingVersion
from fangkong.regions.models import Level, Region


def briefings_for(user: AnyUser, perm: Perm = Perm.BRIEFING_VIEW) -> QuerySet[Briefing]:
    return scoped(Briefing.objects.select_related("region"), user, perm)


def access_briefing(
    user: AnyUser, briefing_uuid: uuid.UUID | str, perm: Perm = Perm.BRIEFING_VIEW
) -> Briefing:
    return get_scoped_or_404(Briefing.objects.select_related("region"), user, perm, uuid=briefing_uuid)


def access_version(
    user: AnyUser, version_uuid: uuid.UUID | str, perm: Perm = Perm.BRIEFING_VIEW
) -> BriefingVersion:
    """One generated version, files included (only downloads fetch this)."""
    return get_scoped_or_404(
        BriefingVersion.objects.select_related("briefing", "briefing__region"),
        user,
        perm,
        via="briefing__region",
        uuid=version_uuid,
    )


def access_county(user: AnyUser, perm: Perm = Perm.BRIEFING_VIEW) -> Region:
    """The county whose briefings the user works with; 404 for anyone below county level."""
    county = regions_for(user, perm).filter(level=Level.COUNTY).order_by("path").first()
    if county is None:
        raise Http404
    return county
