"""Progress of a long background job (an import), kept in a small file beside the database.

An import holds one long transaction (all or nothing), so progress written to the database would not be
visible to the page that polls it until the end; a file is visible at once, across processes. Each kind of
job keeps its files in its own folder under VAR_DIR (`pushlists-progress`, `testing-progress`).
"""

from __future__ import annotations

import json
import os
import uuid
from pathlib import Path

from django.conf import settings


def _path(folder: str, key: uuid.UUID | str) -> Path:
    where = Path(settings.VAR_DIR) / folder
    where.mkdir(parents=True, exist_ok=True)
    return where / f"{key}.json"


def store(folder: str, key: uuid.UUID | str, done: int, total: int) -> None:
    path = _path(folder, key)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps({"done": done, "total": total}))
    os.replace(tmp, path)  # atomic: a reader never sees half a file


def read(folder: str, key: uuid.UUID | str) -> tuple[int, int]:
    try:
        data = json.loads(_path(folder, key).read_text())
        return int(data["done"]), int(data["total"])
    except (OSError, ValueError, KeyError):
        return 0, 0


def percent(folder: str, key: uuid.UUID | str) -> dict[str, int]:
    """What a progress bar shows: done, total and the whole percent."""
    done, total = read(folder, key)
    return {"done": done, "total": total, "percent": min(100, int(100 * done / total)) if total else 0}


def clear(folder: str, key: uuid.UUID | str) -> None:
    _path(folder, key).unlink(missing_ok=True)
