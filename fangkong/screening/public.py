"""What other apps may read about a person's screening, without this app's internals (like duty/public.py)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from fangkong.accounts.models import User
from fangkong.regions.models import Region
from fangkong.screening.actions import FoundAgain
from fangkong.screening.models import Channel, ReturneeReport


@dataclass(frozen=True)
class DoubleReport:
    """双报告 of one person: whether they reported themself and whether the grid reported them."""

    has_self: bool
    has_grid: bool

    @property
    def is_complete(self) -> bool:
        return self.has_self and self.has_grid


def double_report_of(person_id: int | None) -> DoubleReport | None:
    """The person's 双报告 state, or None when no returnee report names them (not a returnee)."""
    if person_id is None:
        return None
    channels = set(ReturneeReport.objects.filter(person_id=person_id).values_list("channel", flat=True))
    if not channels:
        return None
    return DoubleReport(has_self=Channel.SELF in channels, has_grid=Channel.GRID in channels)


def find_again(
    actor: object, area_ids: list[int], lookback_days: int, now: datetime.datetime
) -> list[FoundAgain]:
    """Returnees from newly published areas within the lookback, classified again (see the action)."""
    from fangkong.accounts.models import User
    from fangkong.screening.actions import do_reclassify_for_areas

    return do_reclassify_for_areas(actor if isinstance(actor, User) else None, area_ids, lookback_days, now)


# ---------------------------------------------------------------------------------------------------
# For checkpoints (issue 14): the origin's risk and the grid side of 双报告, without screening's internals.


def origin_risk_level(place: str, day: datetime.date) -> str:
    """The risk level (`high`/`medium`/`low`) of a free-text place on `day`, or "" when no area matches."""
    from fangkong.screening.risk import risk_level_at

    return risk_level_at(place, day) or ""


def is_starred_origin(place: str, day: datetime.date) -> bool:
    """Whether `place` lies in a city a trip card would star on `day`."""
    from fangkong.screening.risk import is_starred_city

    return is_starred_city(place, day)


@dataclass(frozen=True)
class CheckpointReturnee:
    """What a checkpoint knows of a traveller it passes on to the grid."""

    name: str
    document_number: str
    phone: str
    origin: str
    plate: str = ""
    note: str = ""


def register_checkpoint_returnee(
    actor: User | None, *, region: Region, traveller: CheckpointReturnee, now: datetime.datetime
) -> str:
    """File a grid-side returnee report (双报告's 网格报告) for a traveller a checkpoint passed and registered,
    arriving in `region` (a village or grid of the district); returns the report's receipt number.

    Raises ValidationError as screening's own registration does (a missing document, a bad phone …)."""
    from fangkong.lib.reporting_day import local_date
    from fangkong.screening.actions import ReturneeInput, do_register_returnee
    from fangkong.screening.models import ReturnStatus, TransportMode

    origin = traveller.origin.strip()
    data = ReturneeInput(
        name=traveller.name,
        document_number=traveller.document_number,
        phone=traveller.phone,
        origin_province=origin[:50],
        status=ReturnStatus.RETURNED,
        return_date=local_date(now),
        transport_mode=TransportMode.SELF_DRIVE if traveller.plate else TransportMode.OTHER,
        transport_number=traveller.plate,
        reason=traveller.note[:200],
    )
    report = do_register_returnee(actor, channel=Channel.GRID, region=region, data=data, now=now)
    return report.receipt_number


# ---------------------------------------------------------------------------------------------------
# For field work (issue 17): household visits recorded offline on a phone and replayed later.


def household_visit_state(
    actor: User, campaign_uuid: object, household_uuid: object
) -> dict[str, object] | None:
    """The visit of a household in a campaign as a phone would show it, or None when not visited yet. A campaign
    or household outside the actor's reach (SCREENING_REGISTER) raises Http404."""
    from django.http import Http404

    from fangkong.accounts.permissions import Perm
    from fangkong.screening.access import access_campaign
    from fangkong.screening.actions import campaign_households
    from fangkong.screening.models import HouseholdVisit

    campaign = access_campaign(actor, str(campaign_uuid), Perm.SCREENING_REGISTER)
    household = campaign_households(campaign).filter(uuid=str(household_uuid)).first()
    if household is None:
        raise Http404
    visit = (
        HouseholdVisit.objects.filter(campaign=campaign, household=household)
        .select_related("visited_by")
        .first()
    )
    return _visit_state(visit)


def measure_choices() -> list[tuple[str, str]]:
    """(code, name) of the active control measures a verification may name (push lists' outcome form)."""
    from fangkong.screening.measures import measure_choices as choices

    return choices()


def visits_for_phone(
    actor: User, grid: Region, limit: int
) -> list[tuple[dict[str, object], list[tuple[dict[str, object], dict[str, object] | None]]]]:
    """The campaigns of the grid's village the actor may record in (newest first, at most 3) and, for each, the
    grid's own households with the visit as `household_visit_state` answers it (None: not visited yet), for a
    phone's offline cache. Households carry their number and address only."""
    from fangkong.accounts.permissions import Perm
    from fangkong.people.models import Household
    from fangkong.screening.access import campaigns_for
    from fangkong.screening.models import HouseholdVisit

    if grid.parent_id is None:
        return []
    campaigns = list(campaigns_for(actor, Perm.SCREENING_REGISTER).filter(region_id=grid.parent_id)[:3])
    households = list(Household.objects.filter(region=grid, is_active=True).order_by("number", "id")[:limit])
    visits = {
        (v.campaign_id, v.household_id): v
        for v in HouseholdVisit.objects.filter(
            campaign__in=campaigns, household__in=households
        ).select_related("visited_by")
    }
    return [
        (
            {"campaign": str(c.uuid), "name": c.name, "started_on": c.started_on.isoformat()},
            [
                (
                    {"household": str(h.uuid), "number": h.number, "address": h.address},
                    _visit_state(visits.get((c.pk, h.pk))),
                )
                for h in households
            ],
        )
        for c in campaigns
    ]


def _visit_state(visit: Any) -> dict[str, object] | None:
    if visit is None:
        return None
    return {
        "visited_on": visit.visited_on.isoformat(),
        "visited_by": (visit.visited_by.full_name or visit.visited_by.username) if visit.visited_by else "",
        "people_present": visit.people_present,
        "returnees_found": visit.returnees_found,
        "note": visit.note,
    }


def mark_household_visited(
    actor: User,
    *,
    campaign_uuid: object,
    household_uuid: object,
    visited_on: datetime.date,
    people_present: int,
    returnees_found: int,
    note: str,
    now: datetime.datetime,
) -> str:
    """Mark the household visited (screening's own action and rules); returns the visit's uuid."""
    from django.http import Http404

    from fangkong.accounts.permissions import Perm
    from fangkong.screening.access import access_campaign
    from fangkong.screening.actions import campaign_households, do_mark_visited

    campaign = access_campaign(actor, str(campaign_uuid), Perm.SCREENING_REGISTER)
    household = campaign_households(campaign).filter(uuid=str(household_uuid)).first()
    if household is None:
        raise Http404
    visit = do_mark_visited(
        actor,
        campaign,
        household,
        visited_on=visited_on,
        people_present=people_present,
        returnees_found=returnees_found,
        note=note,
        now=now,
    )
    return str(visit.uuid)
