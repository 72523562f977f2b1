"""What other apps may ask of push lists (architecture.md: domain apps call each other's small public modules).

Field work (issue 17) replays push-item verifications a grid worker recorded offline: it reads the item's state to
detect a change made since the phone loaded it, then verifies through the same action as the page.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from fangkong.accounts.models import User
from fangkong.accounts.permissions import Perm
from fangkong.lib.masking import mask_document
from fangkong.pushlists.models import Outcome, PushItem
from fangkong.regions.models import Region


def push_item_state(actor: User, item_uuid: object) -> dict[str, object]:
    """The item's verification as a phone shows it; an item outside the actor's reach (PUSHLIST_VERIFY) is 404."""
    from fangkong.pushlists.access import access_item

    return _item_state(access_item(actor, str(item_uuid), Perm.PUSHLIST_VERIFY))


def _item_state(item: PushItem) -> dict[str, object]:
    return {
        "outcome": item.outcome or "",
        "outcome_note": item.outcome_note,
        "measure_code": item.measure_code,
        "verified_at": item.verified_at.isoformat() if item.verified_at else None,
    }


def verify_push_item(
    actor: User, item_uuid: object, *, outcome: str, note: str, measure_code: str, now: datetime.datetime
) -> str:
    """Verify the item with its outcome (push lists' own action and rules); returns the item's uuid."""
    from fangkong.pushlists.access import access_item
    from fangkong.pushlists.actions import do_verify

    item = access_item(actor, str(item_uuid), Perm.PUSHLIST_VERIFY)
    do_verify(actor, item, outcome=outcome, note=note, measure_code=measure_code, now=now)
    return str(item.uuid)


def outcome_choices() -> list[tuple[str, str, bool, bool]]:
    """(code, label, needs a measure, needs a note) of the outcomes, as the verification page offers them."""
    from fangkong.pushlists.actions import OUTCOMES_WITH_MEASURE, OUTCOMES_WITH_NOTE

    return [(o.value, str(o.label), o in OUTCOMES_WITH_MEASURE, o in OUTCOMES_WITH_NOTE) for o in Outcome]


def open_items_for_phone(
    actor: User, grid: Region, limit: int
) -> list[tuple[dict[str, object], dict[str, object]]]:
    """The open items held by `grid` (dispatched there or to the actor) that the actor may verify, for a phone's
    offline cache: (row, state) pairs, the state being what `push_item_state` answers. The ID number is masked as
    on the list page; no phone number leaves the server."""
    from fangkong.pushlists.access import items_for

    items = (
        items_for(actor, Perm.PUSHLIST_VERIFY)
        .filter(outcome="", region=grid)
        .order_by("deadline_at", "id")[:limit]
    )
    return [
        (
            {
                "item": str(i.uuid),
                "name": i.name,
                "masked_id": mask_document(i.id_number),
                "origin": i.origin,
                "address": i.address,
                "deadline_at": timezone.localtime(i.deadline_at).isoformat(),  # shown as Beijing time
            },
            _item_state(i),
        )
        for i in items
    ]
