"""A venue's status on a day, from the notices (the one issued last among those that apply wins)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import QuerySet

from fangkong.venues.models import Venue, VenueNotice, VenueStatus


@dataclass(frozen=True)
class DayStatus:
    status: VenueStatus
    capacity_percent: int | None
    notice: VenueNotice | None


OPEN = DayStatus(VenueStatus.OPEN, None, None)


def statuses_on(venues: list[Venue], day: datetime.date) -> dict[int, DayStatus]:
    """{venue id: status on `day`} in one query over the notices covering the day."""
    paths = {p for v in venues for p in _prefixes(v.region.path)}
    notices: QuerySet[VenueNotice] = (
        VenueNotice.objects.covering(day)
        .filter(region__path__in=paths)
        .select_related("region")
        .order_by("-issued_at", "-id")
    )
    listed = list(notices)
    out = {}
    for venue in venues:
        notice = next((n for n in listed if n.applies_to(venue)), None)
        out[venue.pk] = (
            DayStatus(VenueStatus(notice.status), notice.capacity_percent, notice)
            if notice is not None
            else OPEN
        )
    return out


def _prefixes(path: str) -> list[str]:
    parts = [p for p in path.split("/") if p]
    return ["/" + "/".join(parts[: i + 1]) + "/" for i in range(len(parts))]
