"""What other apps may ask of push lists (architecture.md: domain apps call each other's small public modules).

Field work (issue 17) replays push-item verifications a grid worker recorded offline: it reads the item's state to
detect a change made since the phone loaded it, then verifies through the same action as the page.
"""

from __future__ import annotations

import datetime

from fangkong.accounts.models import User
from fangkong.accounts.permissions import Perm


def push_item_state(actor: User, item_uuid: object) -> dict[str, object]:
    """The item's verification as a phone shows it; an item outside the actor's reach (PUSHLIST_VERIFY) is 404."""
    from fangkong.pushlists.access import access_item

    item = access_item(actor, str(item_uuid), Perm.PUSHLIST_VERIFY)
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
