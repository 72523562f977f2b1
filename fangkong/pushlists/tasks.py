"""Background work: the import started from the web page runs here, reporting progress to a file; the
recovery of imports whose job died and the retention of uploaded files run here too."""

from __future__ import annotations

import logging

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task, on_startup

from fangkong.accounts.models import User
from fangkong.lib import importjobs
from fangkong.pushlists import progress
from fangkong.pushlists.actions import (
    do_mark_unqueued,
    do_purge_stored_files,
    do_recover_stale_imports,
    run_import,
)
from fangkong.pushlists.models import PushBatch

log = logging.getLogger(__name__)


@db_task()
def import_batch(batch_id: int, actor_id: int | None) -> None:
    batch = PushBatch.objects.get(pk=batch_id)
    actor = User.objects.filter(pk=actor_id).first() if actor_id else None

    def report(done: int, total: int) -> None:
        progress.store(batch.uuid, done, total)

    run_import(batch, actor, timezone.now(), report)


def queue_import(batch: PushBatch, actor: User | None) -> bool:
    """Put the batch's import on the job queue; if the queue is unreachable (Redis down), mark the batch
    failed with that reason, so the page says so and the import can be run again. True if queued."""
    return importjobs.queue_or_mark_unqueued(
        lambda: import_batch(batch.pk, actor.pk if actor else None),
        lambda exc: do_mark_unqueued(batch, timezone.now(), exc),
        (PushBatch.DoesNotExist,),
    )


def recover() -> None:
    for batch in do_recover_stale_imports(timezone.now()):
        log.warning("push list import %s was interrupted; marked failed", batch.uuid)


@on_startup()
def recover_on_startup() -> None:
    """A consumer that starts (or restarts after a crash) fails the imports whose run died with it."""
    try:
        recover()
    except Exception as exc:  # the database may not be up yet; the periodic task below catches up
        log.warning("recovering interrupted imports at start-up failed: %s", exc)


@db_periodic_task(crontab(minute="*/5"))
def recover_interrupted_imports() -> None:
    recover()


@db_periodic_task(crontab(minute="17"))
def purge_stored_files() -> None:
    removed = do_purge_stored_files(timezone.now())
    if removed:
        log.info("deleted %d uploaded push-list files past their retention", removed)
