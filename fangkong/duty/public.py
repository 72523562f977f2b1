"""What other apps may ask of the duty app. Keep these signatures stable."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from fangkong.accounts.models import User
from fangkong.duty.models import DutyShift, uncovered
from fangkong.regions.models import Region


def on_duty(region: Region, now: datetime.datetime) -> list[User]:
    """The users on duty for the unit `region` at the instant `now`: each running shift's person on duty,
    then its leader on call; no duplicates, inactive users left out; [] when nobody is rostered."""
    shifts = (
        DutyShift.objects.active()
        .filter(region=region)
        .at(now)
        .select_related("person_on_duty", "leader_on_call")
        .order_by("starts_at", "id")
    )
    users: list[User] = []
    for shift in shifts:
        for user in (shift.person_on_duty, shift.leader_on_call):
            if user is not None and user.is_active and user not in users:
                users.append(user)
    return users


@dataclass(frozen=True)
class ShiftSpan:
    """A rostered shift as another app may show it (checkpoints list their staff's shifts)."""

    user_id: int
    person: str
    unit: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    checked_in: bool


def shifts_of(user_ids: list[int], start: datetime.datetime, end: datetime.datetime) -> list[ShiftSpan]:
    """The active shifts of these users (as person on duty) that share an instant with [start, end)."""
    shifts = (
        DutyShift.objects.active()
        .filter(person_on_duty_id__in=user_ids)
        .overlapping(start, end)
        .select_related("person_on_duty", "region")
        .order_by("starts_at", "id")
    )
    return [
        ShiftSpan(
            s.person_on_duty_id,
            str(s.person_on_duty),
            s.region.name,
            s.starts_at,
            s.ends_at,
            s.checked_in_at is not None,
        )
        for s in shifts
    ]


def uncovered_by(
    user_ids: list[int], start: datetime.datetime, end: datetime.datetime
) -> list[tuple[datetime.datetime, datetime.datetime]]:
    """The parts of [start, end) when none of these users is on an active shift (as person on duty): the gaps of
    a staff that is not a duty unit of its own (an isolation site's staff, control)."""
    spans = shifts_of(user_ids, start, end)
    return uncovered((start, end), [(s.starts_at, s.ends_at) for s in spans])
