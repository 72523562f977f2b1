"""What a phone caches for offline work, and nothing more: the places the user may record, the user's own open
tasks, the checkpoints and testing points the user works at (with their forms' choices), and — for a grid worker
only — their own grid's households (numbers and addresses), today's follow-ups due
(names as on the follow-up page), the campaigns' household visits and the open push items held by the grid (ID
numbers masked, no phone numbers). A village or township account caches no personal data at all: a lost phone holds
one grid at most. Each follow-up, visit and push item carries the version the phone loaded (`version_of` its state),
so a record changed on the server meanwhile is a conflict when the phone sends (submissions.py).
"""

from __future__ import annotations

import datetime
from typing import Any

from fangkong.accounts.access import has_perm
from fangkong.accounts.models import User
from fangkong.accounts.permissions import Perm
from fangkong.checkpoints.public import phone_reference as checkpoint_reference
from fangkong.fieldwork.access import my_tasks, places_for
from fangkong.fieldwork.models import TaskStatus
from fangkong.fieldwork.submissions import version_of
from fangkong.lib.reporting_day import local_date
from fangkong.people.models import Household
from fangkong.regions.models import Level, Region
from fangkong.testing.public import phone_reference as testing_reference

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
    households: list[dict[str, Any]] = []
    follow_ups: list[dict[str, Any]] = []
    push_items: list[dict[str, Any]] = []
    campaigns: list[dict[str, Any]] = []
    if region is not None and region.level == Level.GRID:
        if has_perm(user, Perm.PEOPLE_VIEW):
            households = [
                {"uuid": str(h.uuid), "number": h.number, "address": h.address}
                for h in Household.objects.filter(region=region, is_active=True).order_by("number")[:MAX_ROWS]
            ]
        follow_ups, push_items, campaigns = _grid_work(user, region, now)
    return {
        "user": user.username,
        "unit": region.code if region else "",
        "at": now.isoformat(),
        "places": places,
        "tasks": tasks,
        "households": households,
        "follow_ups": follow_ups,
        "push_items": push_items,
        "campaigns": campaigns,
        "choices": _choices(follow_ups, push_items),
        # Which of the page's own forms the user works with (a checkpoint's staff record no disinfections).
        "records_disinfections": has_perm(user, Perm.DISINFECTION_RECORD),
        "does_tasks": has_perm(user, Perm.FIELD_TASKS),
        # Checkpoint staff and collectors: where they work and the choices of their forms, no personal data.
        "checkpoint": checkpoint_reference(user),
        "testing": testing_reference(user, local_date(now)),
    }


def _choices(follow_ups: list[dict[str, Any]], push_items: list[dict[str, Any]]) -> dict[str, Any]:
    """The choices of the offline forms, in the user's language, as the online pages offer them."""
    from fangkong.control.public import symptom_choices
    from fangkong.pushlists.public import outcome_choices
    from fangkong.screening.public import measure_choices

    return {
        "symptoms": symptom_choices() if follow_ups else [],
        "outcomes": outcome_choices() if push_items else [],
        "measures": measure_choices() if push_items else [],
    }


def _grid_work(
    user: User, grid: Region, now: datetime.datetime
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    from fangkong.control.public import follow_ups_for_phone
    from fangkong.pushlists.public import open_items_for_phone
    from fangkong.screening.public import visits_for_phone

    follow_ups = []
    if has_perm(user, Perm.CONTROL_FOLLOW_UP):
        follow_ups = [
            {**row, "version": version_of(state)}
            for row, state in follow_ups_for_phone(user, grid, local_date(now), MAX_ROWS)
        ]
    push_items = []
    if has_perm(user, Perm.PUSHLIST_VERIFY):
        push_items = [
            {**row, "version": version_of(state)} for row, state in open_items_for_phone(user, grid, MAX_ROWS)
        ]
    campaigns = []
    if has_perm(user, Perm.SCREENING_REGISTER):
        campaigns = [
            {
                **campaign,
                "households": [
                    {**row, "visited": state is not None, "version": version_of(state)} for row, state in rows
                ],
            }
            for campaign, rows in visits_for_phone(user, grid, MAX_ROWS)
        ]
    return follow_ups, push_items, campaigns
