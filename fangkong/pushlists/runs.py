"""The run lock of a push-list import: the shared run lock of background imports (`fangkong.lib.importjobs`),
held by the process importing a batch and released by the OS when it dies. A `running` batch whose lock can be
taken has no live run: `actions.do_recover_stale_imports` marks it failed."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from fangkong.lib import importjobs
from fangkong.pushlists.progress import KIND


def _path(batch_uuid: uuid.UUID | str) -> Path:
    return importjobs.lock_path(KIND, batch_uuid)


@contextmanager
def run_lock(batch_uuid: uuid.UUID | str) -> Iterator[bool]:
    """Yield True while holding the batch's run lock, False if another process holds it."""
    with importjobs.run_lock(KIND, batch_uuid) as acquired:
        yield acquired
