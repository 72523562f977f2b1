"""What other apps may ask of the testing app (contracts.md). Keep these signatures stable."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

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
