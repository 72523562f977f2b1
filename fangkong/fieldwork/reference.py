"""What a phone caches for offline work, and nothing more: the places the user may record, the user's own open
tasks, and — for a grid worker only — the households of their own grid (numbers and addresses; no names, no
document numbers). A village or township account caches no households at all: a lost phone holds one grid at most.
"""

from __future__ import annotations

import datetime
from typing import Any

from fangkong.accounts.access import has_perm
from fangkong.accounts.models import User
from fangkong.accounts.permissions import Perm
from fangkong.fieldwork.access import my_tasks, places_for
from fangkong.fieldwork.models import TaskStatus
from fangkong.people.models import Household
from fangkong.regions.models import Level

MAX_ROWS = 500


def reference_for(user: User, now: datetime.datetime) -> dict[str, Any]:
    region = user.region
    places = []
    if has_perm(user, Perm.DISINFECTION_RECORD):
        places = [
            {"uuid": str(p.uuid), "name": p.name, "kind": str(p.get_kind_display()), "unit": p.region.name}
            for p in places_for(user, Perm.DISINFECTION_RECORD).filter(is_active=True)[:MAX_ROWS]
        ]
    tasks = [
        {
            "uuid": str(t.uuid),
            "title": t.title,
            "kind": t.kind,
            "kind_label": str(t.get_kind_display()),
            "place": str(t.place.uuid) if t.place else "",
            "due_on": t.due_on.isoformat(),
            "version": str(t.version),
        }
        for t in my_tasks(user).filter(status=TaskStatus.OPEN).order_by("due_on", "id")[:MAX_ROWS]
    ]
    households = []
    if region is not None and region.level == Level.GRID and has_perm(user, Perm.PEOPLE_VIEW):
        households = [
            {"uuid": str(h.uuid), "number": h.number, "address": h.address}
            for h in Household.objects.filter(region=region, is_active=True).order_by("number")[:MAX_ROWS]
        ]
    return {
        "user": user.username,
        "unit": region.code if region else "",
        "at": now.isoformat(),
        "places": places,
        "tasks": tasks,
        "households": households,
    }
