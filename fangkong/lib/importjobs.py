"""What every background import shares (the push lists', the vaccination system's export): its progress in a
small file, its run lock, and the removal of a failed run's rows in chunks.

- **Progress** is kept in a file beside the database, not in the database: an import commits in chunks but
  its batch stays `running` (its rows invisible) until one short final commit, and a page polling the progress
  must see it at once, across processes.
- **The run lock** is an advisory `flock` on a file per batch under `var/`, held by the process importing the
  batch and released by the kernel when that process dies. So a `running` batch whose lock can be taken has no
  live run: the app's recovery marks it failed. Consumers that import share one `FANGKONG_VAR_DIR`.
- **Chunked removal**: the rows of a run that failed or died are deleted a chunk per short transaction, so
  other writers wait for one chunk at most.

`kind` names the importer ("pushlists", "vaccination") and keeps their files apart.
"""

from __future__ import annotations

import fcntl
import json
import os
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import connection, models, transaction

REMOVE_CHUNK = 5_000


def _folder(kind: str, what: str) -> Path:
    folder = Path(settings.VAR_DIR) / f"{kind}-{what}"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _progress_path(kind: str, batch_uuid: uuid.UUID | str) -> Path:
    return _folder(kind, "progress") / f"{batch_uuid}.json"


def store_progress(kind: str, batch_uuid: uuid.UUID | str, done: int, total: int) -> None:
    path = _progress_path(kind, batch_uuid)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps({"done": done, "total": total}))
    os.replace(tmp, path)  # atomic: a reader never sees half a file


def read_progress(kind: str, batch_uuid: uuid.UUID | str) -> tuple[int, int]:
    try:
        data = json.loads(_progress_path(kind, batch_uuid).read_text())
        return int(data["done"]), int(data["total"])
    except (OSError, ValueError, KeyError):
        return 0, 0


def percent_progress(kind: str, batch_uuid: uuid.UUID | str) -> dict[str, int]:
    """What a progress bar shows (`templates/partials/progress_bar.html`): done, total and the whole percent."""
    done, total = read_progress(kind, batch_uuid)
    return {"done": done, "total": total, "percent": min(100, int(100 * done / total)) if total else 0}


def clear_progress(kind: str, batch_uuid: uuid.UUID | str) -> None:
    _progress_path(kind, batch_uuid).unlink(missing_ok=True)


def lock_path(kind: str, batch_uuid: uuid.UUID | str) -> Path:
    return _folder(kind, "runs") / f"{batch_uuid}.lock"


@contextmanager
def run_lock(kind: str, batch_uuid: uuid.UUID | str) -> Iterator[bool]:
    """Yield True while holding the batch's run lock, False if another process holds it."""
    fd = os.open(lock_path(kind, batch_uuid), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def delete_in_chunks(
    model: type[models.Model], column: str, value: int | str, chunk: int = REMOVE_CHUNK
) -> int:
    """Delete the rows of `model` whose `column` equals `value`, `chunk` rows per short transaction; returns
    how many went. Only for rows no one else has built on (an unfinished batch's invisible rows)."""
    table = connection.ops.quote_name(model._meta.db_table)
    name = connection.ops.quote_name(column)
    removed = 0
    while True:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {table} WHERE id IN"  # noqa: S608 - table and column names only
                f" (SELECT id FROM {table} WHERE {name} = %s LIMIT {int(chunk)})",
                [value],
            )
            count = max(cursor.rowcount, 0)
        removed += count
        if count < chunk:
            return removed


def queue_or_mark_unqueued(
    enqueue: Callable[[], object],
    mark_unqueued: Callable[[Exception], object],
    missing: tuple[type[Exception], ...],
) -> bool:
    """Put an import on the job queue; if the queue is unreachable (Redis down, the huey database locked),
    `mark_unqueued(exc)` records that on the batch so its page says so and the file can be imported again.
    True if queued. `missing` are the errors of a batch or actor that no longer exists: raised, not marked."""
    try:
        enqueue()
    except missing:
        raise
    except Exception as exc:  # redis.ConnectionError, sqlite3.OperationalError: the broker, not the batch
        mark_unqueued(exc)
        return False
    return True
