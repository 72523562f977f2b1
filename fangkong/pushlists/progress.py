"""Progress of a running push-list import: the shared progress files of `lib.progress`, in this app's folder.

The import holds one long transaction (all or nothing), so progress written to the database would not be
visible to the page that polls it until the end; a file is visible at once, across processes.
"""

from __future__ import annotations

import uuid

from fangkong.lib import progress

FOLDER = "pushlists-progress"


def store(batch_uuid: uuid.UUID | str, done: int, total: int) -> None:
    progress.store(FOLDER, batch_uuid, done, total)


def read(batch_uuid: uuid.UUID | str) -> tuple[int, int]:
    return progress.read(FOLDER, batch_uuid)


def clear(batch_uuid: uuid.UUID | str) -> None:
    progress.clear(FOLDER, batch_uuid)
