"""What other apps may ask of the checkpoints app (like duty/public.py). Keep these signatures stable.

- `spot_check_findings(since)`: the supervision module turns findings into rectification items (整改).
- `open_referrals()` / `advance_referral(...)`: control's closed-loop transfer of febrile travellers.
"""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass

from fangkong.accounts.models import User
from fangkong.checkpoints.models import Referral, ReferralStatus, SpotCheck


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
