"""Progress of a running push-list import: the shared progress file of background imports
(`fangkong.lib.importjobs`), under the kind "pushlists"."""

from __future__ import annotations

import uuid

from fangkong.lib import importjobs

KIND = "pushlists"


def store(batch_uuid: uuid.UUID | str, done: int, total: int) -> None:
    importjobs.store_progress(KIND, batch_uuid, done, total)


def read(batch_uuid: uuid.UUID | str) -> tuple[int, int]:
    return importjobs.read_progress(KIND, batch_uuid)


def clear(batch_uuid: uuid.UUID | str) -> None:
    importjobs.clear_progress(KIND, batch_uuid)
