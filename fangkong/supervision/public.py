"""What other apps may ask of the supervision app. Keep these signatures stable.

Checkpoint spot checks (the checkpoints module) call `open_item_from_finding` to turn a finding into a
rectification item here; the lead wires it after merging (supervision never imports checkpoints).
"""

from __future__ import annotations

import datetime
import uuid

from fangkong.accounts.models import User
from fangkong.regions.models import Region
from fangkong.supervision.actions import do_open_item
from fangkong.supervision.models import PlaceKind, RectificationKind, RectificationStatus


def open_item_from_finding(
    actor: User,
    *,
    unit: Region,
    description: str,
    kind: str = RectificationKind.DEADLINE,
    due_on: datetime.date | None = None,
    place_kind: str = PlaceKind.CHECKPOINT,
    place_name: str,
    source: str,
    source_ref: str,
    now: datetime.datetime,
) -> uuid.UUID:
    """Open (once per `source` + `source_ref`) a rectification item for `unit` from another module's finding;
    returns the item's uuid. `source` names the module and kind of record ("checkpoints.spot_check"),
    `source_ref` that record's uuid. Raises ValidationError (Chinese messages) on bad input or a unit outside
    `actor`'s jurisdiction. `actor` needs no supervision permission: the calling module checked its own."""
    if not source or source == "inspection" or not source_ref:
        raise ValueError("a finding from another module names its source and reference")
    item = do_open_item(
        actor,
        region=unit,
        kind=kind,
        description=description,
        due_on=due_on,
        place_kind=place_kind,
        place_name=place_name,
        source=source,
        source_ref=source_ref,
        now=now,
    )
    return item.uuid


def item_status(item_uuid: uuid.UUID) -> str | None:
    """The state of an item opened through `open_item_from_finding` ("open", "reported", "closed"), or None."""
    from fangkong.supervision.models import RectificationItem

    status = RectificationItem.objects.filter(uuid=item_uuid).values_list("status", flat=True).first()
    return RectificationStatus(status).value if status else None
