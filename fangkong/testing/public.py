"""What other apps may ask of the testing app (contracts.md). Keep these signatures stable."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from fangkong.accounts.models import User
from fangkong.testing.models import TubeMember


@dataclass(frozen=True)
class PersonResult:
    """One person's result as the lab gave it: the tube's result for a single tube or a negative pool."""

    person_id: int
    sampled_on: datetime.date  # Beijing day
    result: str  # "negative" | "positive" | "invalid"
    resulted_at: datetime.datetime
    sample_uuid: uuid.UUID  # the tube's uuid


def results_between(
    person_ids: Iterable[int], first_day: datetime.date, last_day: datetime.date
) -> dict[int, list[PersonResult]]:
    """The known results of these people sampled on Beijing days first_day..last_day, oldest first."""
    ids = list(person_ids)
    out: dict[int, list[PersonResult]] = {pid: [] for pid in ids}
    rows = (
        TubeMember.objects.filter(
            person_id__in=ids, sampled_on__gte=first_day, sampled_on__lte=last_day, resulted_at__isnull=False
        )
        .exclude(result="")
        .order_by("sampled_at", "id")
        .values_list("person_id", "sampled_on", "result", "resulted_at", "tube__uuid")
    )
    for person_id, sampled_on, result, resulted_at, tube_uuid in rows:
        if resulted_at is None:  # filtered out above; for the type checker
            continue
        out[person_id].append(PersonResult(person_id, sampled_on, result, resulted_at, tube_uuid))
    return out


# ---------------------------------------------------------------------------------------------------
# Samples scanned at a desk: the scanners' API and the offline page of field work (issue 17) register them alike.


@dataclass(frozen=True)
class Scan:
    """One scanned sample as a scanner or a phone sends it."""

    point: str  # the testing point's uuid
    barcode: str
    id_number: str
    capacity: int = 1
    purpose: str = "round"
    round: str = ""  # the round's uuid, for a round's sample
    key_group: str = ""  # the key group's code
    reference: str = ""
    desk: int = 1
    resample_reason: str = ""


def register_scanned_sample(actor: User, scan: Scan, *, now: datetime.datetime) -> TubeMember:
    """The person holding `scan.id_number` into tube `scan.barcode` at the point (opened with `capacity` when
    new; a full pool closes), at `now` (when it was sampled). A point or round out of the collector's reach is
    404; anything else wrong a ValidationError in the user's language, keyed by the field."""
    from fangkong.accounts.permissions import Perm
    from fangkong.testing.access import access_point, access_round
    from fangkong.testing.actions import do_register_sample, find_person
    from fangkong.testing.models import KeyGroup

    point = access_point(actor, scan.point, Perm.TESTING_SAMPLE)
    rnd = access_round(actor, scan.round, Perm.TESTING_SAMPLE) if scan.round else None
    group = KeyGroup.objects.filter(code=scan.key_group, is_active=True).first() if scan.key_group else None
    person = find_person(actor, scan.id_number)
    return do_register_sample(
        actor,
        point=point,
        barcode=scan.barcode,
        person=person,
        capacity=scan.capacity,
        purpose=scan.purpose,
        rnd=rnd,
        group=group,
        reference=scan.reference,
        desk=scan.desk,
        resample_reason=scan.resample_reason,
        now=now,
    )


def close_scanned_tube(actor: User, *, point: str, barcode: str, now: datetime.datetime) -> str:
    """Close an open pool by hand (the last people of the day), found by its barcode at the point; a tube closed
    already (it filled, or was closed at the desk) is left as it is. Returns the tube's uuid."""
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    from fangkong.accounts.permissions import Perm
    from fangkong.testing.access import access_point, tubes_for
    from fangkong.testing.actions import do_close_tube
    from fangkong.testing.models import TubeStatus

    place = access_point(actor, point, Perm.TESTING_SAMPLE)
    tube = tubes_for(actor, Perm.TESTING_SAMPLE).filter(barcode=barcode.strip(), point=place).first()
    if tube is None:
        raise ValidationError({"barcode": _("No tube with this barcode was opened at this point.")})
    if tube.status != TubeStatus.OPEN:
        return str(tube.uuid)
    return str(do_close_tube(actor, tube, now=now).uuid)


def phone_reference(user: User, day: datetime.date) -> dict[str, Any]:
    """What the offline page needs to register samples without a connection: the open testing points in the
    collector's reach, the rounds running on `day`, the active key groups, the tube sizes. No personal data."""
    from fangkong.accounts.access import has_perm
    from fangkong.accounts.permissions import Perm
    from fangkong.testing.access import points_for, rounds_for
    from fangkong.testing.models import CAPACITIES, KeyGroup, PointStatus, Purpose

    if not has_perm(user, Perm.TESTING_SAMPLE):
        return {}
    points = [
        {"uuid": str(p.uuid), "name": p.name}
        for p in points_for(user, Perm.TESTING_SAMPLE)
        .filter(status=PointStatus.OPEN)
        .order_by("name", "id")[:200]
    ]
    if not points:
        return {}
    rounds = rounds_for(user, Perm.TESTING_SAMPLE).filter(starts_on__lte=day, ends_on__gte=day)
    return {
        "points": points,
        "rounds": [{"uuid": str(r.uuid), "name": r.name} for r in rounds.order_by("-starts_on", "id")[:50]],
        "key_groups": [[g.code, g.name] for g in KeyGroup.objects.filter(is_active=True).order_by("name")],
        "purposes": [
            [v, str(label)] for v, label in Purpose.choices if v in (Purpose.ROUND, Purpose.KEY_GROUP)
        ],
        "capacities": list(CAPACITIES),
    }
