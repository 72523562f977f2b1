"""What other apps may ask of the duty app. Keep these signatures stable."""

from __future__ import annotations

import datetime

from fangkong.accounts.models import User
from fangkong.duty.models import DutyShift
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
