"""Background work: the import started from the web page runs here, reporting progress to a file."""

from __future__ import annotations

from django.utils import timezone
from huey.contrib.djhuey import db_task

from fangkong.accounts.models import User
from fangkong.pushlists import progress
from fangkong.pushlists.actions import run_import
from fangkong.pushlists.models import PushBatch


@db_task()
def import_batch(batch_id: int, actor_id: int | None) -> None:
    batch = PushBatch.objects.get(pk=batch_id)
    actor = User.objects.filter(pk=actor_id).first() if actor_id else None

    def report(done: int, total: int) -> None:
        progress.store(batch.uuid, done, total)

    run_import(batch, actor, timezone.now(), report)
