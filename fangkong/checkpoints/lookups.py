"""Lookups that every crossing registration repeats (the health-code colours, the origin's risk level, the
checkpoint a staff member registers at), held in the process for a short while: a busy checkpoint registers ~10
crossings a second, mostly from a few origins.

Any save or delete of a colour, a risk area or a checkpoint (and any change of a checkpoint's staff) in this
process clears them at once; a change made by another process (a second server worker, an import job) reaches
registrations within `TTL_SECONDS` (`STAFF_TTL_SECONDS` for who staffs a checkpoint). Tests clear them between
tests (conftest.py), since a rolled-back test sends no signal.
"""

from __future__ import annotations

import datetime
import threading
import time
import uuid
from typing import Any

from fangkong.checkpoints.models import Checkpoint, CodeColour
from fangkong.screening.public import origin_risk_level

TTL_SECONDS = 30.0
STAFF_TTL_SECONDS = 10.0
MAX_ORIGINS = 4096
# Models whose changes clear the lookups (by label: checkpoints reads screening only through its public module).
WATCHED = {
    "checkpoints.codecolour",
    "screening.riskarea",
    "checkpoints.checkpoint",
    "checkpoints.checkpoint_staff",
}

_lock = threading.Lock()
_colours: tuple[float, dict[str, CodeColour]] | None = None
_risk: dict[tuple[str, datetime.date], tuple[float, str]] = {}
_staffed: dict[tuple[str, int], tuple[float, Checkpoint]] = {}


def clear() -> None:
    global _colours
    with _lock:
        _colours = None
        _risk.clear()
        _staffed.clear()


def staffed_checkpoint(checkpoint_uuid: uuid.UUID | str, user_id: int) -> Checkpoint | None:
    """The checkpoint (unit and supervising unit loaded) if the user is one of its staff, else None."""
    key = (str(checkpoint_uuid), user_id)
    now = time.monotonic()
    held = _staffed.get(key)
    if held is not None and now - held[0] < STAFF_TTL_SECONDS:
        return held[1]
    found = list(
        Checkpoint.objects.select_related("region", "supervising_unit")
        .filter(uuid=checkpoint_uuid, staff=user_id)
        .order_by()[:1]
    )
    if not found:
        return None
    with _lock:
        if len(_staffed) >= MAX_ORIGINS:
            _staffed.clear()
        _staffed[key] = (now, found[0])
    return found[0]


def code_colours() -> dict[str, CodeColour]:
    """The health-code colours by code."""
    global _colours
    now = time.monotonic()
    held = _colours
    if held is not None and now - held[0] < TTL_SECONDS:
        return held[1]
    colours = {c.code: c for c in CodeColour.objects.all()}
    with _lock:
        _colours = (now, colours)
    return colours


def risk_level(origin: str, day: datetime.date) -> str:
    """`screening.public.origin_risk_level(origin, day)`, remembered for `TTL_SECONDS`."""
    key = (origin, day)
    now = time.monotonic()
    held = _risk.get(key)
    if held is not None and now - held[0] < TTL_SECONDS:
        return held[1]
    level = origin_risk_level(origin, day)
    with _lock:
        if len(_risk) >= MAX_ORIGINS:
            _risk.clear()
        _risk[key] = (now, level)
    return level


def on_model_change(sender: Any, **kwargs: Any) -> None:
    """post_save / post_delete receiver (connected in apps.ready()): a watched model changed."""
    meta = getattr(sender, "_meta", None)
    if meta is not None and meta.label_lower in WATCHED:
        clear()
