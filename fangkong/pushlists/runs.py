"""The run lock of an import: held by the process importing a batch, released by the OS when it dies.

An import marks its batch `running` in the database, but a consumer killed mid-run (OOM, SIGKILL, a
reboot) cannot mark it failed. An advisory `flock` on a file per batch under `var/` is held for the whole
run; the kernel drops it with the process. So a `running` batch whose lock can be taken has no live run:
`actions.do_recover_stale_imports` marks it failed. Consumers that import share one `FANGKONG_VAR_DIR`
(one machine), as `docs/operations.md` describes.
"""

from __future__ import annotations

import fcntl
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings


def _path(batch_uuid: uuid.UUID | str) -> Path:
    folder = Path(settings.VAR_DIR) / "pushlists-runs"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{batch_uuid}.lock"


@contextmanager
def run_lock(batch_uuid: uuid.UUID | str) -> Iterator[bool]:
    """Yield True while holding the batch's run lock, False if another process holds it."""
    fd = os.open(_path(batch_uuid), os.O_RDWR | os.O_CREAT, 0o600)
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
