"""Progress of a running import, kept in a small file beside the database.

The import holds one long transaction (all or nothing), so progress written to the database would not be
visible to the page that polls it until the end; a file is visible at once, across processes.
"""

from __future__ import annotations

import json
import os
import uuid
from pathlib import Path

from django.conf import settings


def _path(batch_uuid: uuid.UUID | str) -> Path:
    folder = Path(settings.VAR_DIR) / "pushlists-progress"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{batch_uuid}.json"


def store(batch_uuid: uuid.UUID | str, done: int, total: int) -> None:
    path = _path(batch_uuid)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps({"done": done, "total": total}))
    os.replace(tmp, path)  # atomic: a reader never sees half a file


def read(batch_uuid: uuid.UUID | str) -> tuple[int, int]:
    try:
        data = json.loads(_path(batch_uuid).read_text())
        return int(data["done"]), int(data["total"])
    except (OSError, ValueError, KeyError):
        return 0, 0


def clear(batch_uuid: uuid.UUID | str) -> None:
    _path(batch_uuid).unlink(missing_ok=True)
