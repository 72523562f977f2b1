"""What other apps may ask of the checkpoints app (like duty/public.py). Keep these signatures stable.

- `spot_check_findings(since)`: the supervision module turns findings into rectification items (整改).
- `open_referrals()` / `advance_referral(...)`: control's closed-loop transfer of febrile travellers.
- `register_crossing_from_phone(...)` / `phone_reference(user)`: fieldwork's offline page (issue 17).
"""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from fangkong.accounts.access import has_perm
from fangkong.accounts.models import User
from fangkong.accounts.permissions import Perm
from fangkong.checkpoints import lookups
from fangkong.checkpoints.access import access_for_registration, checkpoints_for
from fangkong.checkpoints.actions import (
    MAX_TRAVELLERS,
    CrossingInput,
    TravellerInput,
    do_register_crossing,
)
from fangkong.checkpoints.models import (
    FEVER_THRESHOLD,
    Checkpoint,
    CheckpointStatus,
    CrossingKind,
    Disposition,
    Referral,
    ReferralStatus,
    SpotCheck,
    Vaccination,
)
from fangkong.regions.models import Level, Region

MAX_VILLAGES = 2000


@dataclass(frozen=True)
class Finding:
    """One thing a spot check found wrong at a checkpoint (`code`: no_staff, off_post, drinking,
    registrations, equipment)."""

    spot_check_uuid: uuid.UUID
    checkpoint_uuid: uuid.UUID
    checkpoint_name: str
    region_id: int
    inspector_id: int
    visited_at: datetime.datetime
    code: str
    note: str


def spot_check_findings(since: datetime.datetime | None = None) -> list[Finding]:
    """Every finding of spot checks visited at or after `since` (all when None), oldest first."""
    qs = SpotCheck.objects.filter(findings__gt=0).select_related("checkpoint").order_by("visited_at", "id")
    if since is not None:
        qs = qs.filter(visited_at__gte=since)
    return [
        Finding(
            s.uuid,
            s.checkpoint.uuid,
            s.checkpoint.name,
            s.region_id,
            s.inspector_id,
            s.visited_at,
            code,
            s.note,
        )
        for s in qs
        for code in s.finding_codes()
    ]


@dataclass(frozen=True)
class OpenReferral:
    uuid: uuid.UUID
    checkpoint_name: str
    region_id: int
    name: str
    document_number: str
    phone: str
    clinic: str
    status: str
    referred_at: datetime.datetime


def open_referrals() -> list[OpenReferral]:
    """Referrals whose loop is not closed, oldest first (full identity: for control's own scoped pages)."""
    qs = (
        Referral.objects.exclude(status=ReferralStatus.CLOSED)
        .select_related("checkpoint", "traveller")
        .order_by("referred_at", "id")
    )
    return [
        OpenReferral(
            r.uuid,
            r.checkpoint.name,
            r.region_id,
            r.traveller.name,
            r.traveller.document_number,
            r.traveller.phone,
            r.clinic,
            r.status,
            r.referred_at,
        )
        for r in qs
    ]


def advance_referral(
    actor: User | None, referral_uuid: uuid.UUID, *, status: str, now: datetime.datetime, outcome: str = ""
) -> None:
    """Move a referral to `received` or `closed` (with an outcome); raises ValidationError on a step back."""
    from fangkong.checkpoints.actions import do_advance_referral

    do_advance_referral(
        actor, Referral.objects.get(uuid=referral_uuid), status=status, now=now, outcome=outcome
    )


# ---------------------------------------------------------------------------------------------------
# Crossings recorded on a phone without a connection (fieldwork's offline page), and the scanners' API


def destination(code: str) -> Region | None:
    """The village or grid a crossing's travellers go to, by its code ("" for none); an unknown code is an error
    for the field that named it."""
    if not code:
        return None
    region = Region.objects.active().filter(code=code).first()
    if region is None:
        raise ValidationError({"destination_region": _("Unknown village or grid code.")})
    return region


def _traveller(raw: Any) -> TravellerInput:
    """One traveller as the phone sent it: text trimmed, flags as given; `check_crossing` judges the rest."""
    if not isinstance(raw, dict):
        raise ValidationError({"travellers": _("Register at least one person.")})

    def text(key: str, limit: int = 100) -> str:
        return str(raw.get(key) or "").strip()[:limit]

    return TravellerInput(
        name=text("name"),
        document_number=text("document_number", 40),
        phone=text("phone", 20),
        is_driver=bool(raw.get("is_driver", False)),
        health_code=text("health_code", 20),
        trip_star=bool(raw.get("trip_star", False)),
        trip_cities=text("trip_cities", 200),
        vaccination=text("vaccination", 10) or Vaccination.UNKNOWN,
        temperature=text("temperature", 5),
        temperature_again=text("temperature_again", 5) or None,
        wears_mask=bool(raw.get("wears_mask", True)),
        disposition=text("disposition", 10),
        clinic=text("clinic"),
    )


def register_crossing_from_phone(
    actor: User, payload: dict[str, Any], *, recorded_at: datetime.datetime
) -> str:
    """A crossing the checkpoint's staff recorded offline, registered as the phone page would have done at
    `recorded_at` (its risk lookup, grid registration, referrals and the day's figures all go by that time).
    Crossings are only added, so there is nothing to conflict with; a checkpoint the user no longer staffs is
    404, a closed one or bad input a ValidationError in the user's language."""
    checkpoint = access_for_registration(actor, str(payload.get("checkpoint", "")))
    travellers = payload.get("travellers")
    if not isinstance(travellers, list) or not travellers:
        raise ValidationError({"travellers": _("Register at least one person.")})
    data = CrossingInput(
        kind=str(payload.get("kind") or ""),
        plate=str(payload.get("plate") or "")[:20],
        origin=str(payload.get("origin") or "")[:100],
        destination=str(payload.get("destination") or "")[:100],
        destination_region=destination(str(payload.get("destination_region") or "")[:20]),
        travellers=[_traveller(t) for t in travellers[: MAX_TRAVELLERS + 1]],
    )
    return str(do_register_crossing(actor, checkpoint, data, now=recorded_at).uuid)


def phone_reference(user: User) -> dict[str, Any]:
    """What the offline page needs to register crossings without a connection: the open checkpoints the user
    staffs (or manages), the code colours, vaccination statuses, dispositions and the villages to register
    travellers with. No personal data."""
    if not has_perm(user, Perm.CHECKPOINT_REGISTER):
        return {}
    # may_register_at, for every checkpoint at once: its own staff anywhere, a manager in their jurisdiction.
    if has_perm(user, Perm.CHECKPOINT_MANAGE):
        mine = checkpoints_for(user, Perm.CHECKPOINT_REGISTER) | Checkpoint.objects.filter(staff=user)
    else:
        mine = Checkpoint.objects.filter(staff=user)
    rows = [
        {"uuid": str(uuid), "name": name}
        for uuid, name in mine.filter(status=CheckpointStatus.OPEN)
        .order_by("name", "id")
        .values_list("uuid", "name")
        .distinct()[:100]
    ]
    if not rows:
        return {}
    villages = Region.objects.active().filter(level=Level.VILLAGE).select_related("parent").order_by("path")
    return {
        "checkpoints": rows,
        "colours": [[c.code, c.name, c.severity] for c in lookups.code_colours().values()],
        "vaccinations": [[v, str(label)] for v, label in Vaccination.choices],
        "dispositions": [[v, str(label)] for v, label in Disposition.choices],
        "kinds": [[v, str(label)] for v, label in CrossingKind.choices],
        "villages": [
            [v.code, f"{v.parent.name} {v.name}" if v.parent else v.name] for v in villages[:MAX_VILLAGES]
        ],
        "fever_from": str(FEVER_THRESHOLD),
    }
