"""Background work of the testing app: a lab file uploaded on the page is imported here, with progress."""

from __future__ import annotations

import logging

from django.utils import timezone
from django.utils.translation import gettext as _
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task, lock_task

from fangkong.accounts.models import User
from fangkong.lib import importjobs
from fangkong.testing.actions import (
    do_fail_stale_imports,
    do_recount_rounds,
    do_recount_sample_days,
    run_result_import,
)
from fangkong.testing.models import ResultBatch

log = logging.getLogger(__name__)


@db_task()
def import_results(batch_id: int, actor_id: int) -> None:
    batch = ResultBatch.objects.select_related("region").get(pk=batch_id)
    actor = User.objects.get(pk=actor_id)
    run_result_import(batch, actor, timezone.now())


def queue_import(batch: ResultBatch, actor: User) -> bool:
    """Put the import on the job queue; if the queue is unreachable, the import is refused with that reason
    (the page says so and the file can be uploaded again). True if queued."""
    from fangkong.testing.actions import _failed_batch

    def refuse(exc: Exception) -> None:
        log.error("could not queue result import %s", batch.uuid, exc_info=exc)
        batch.refresh_from_db()
        if not batch.is_finished:
            _failed_batch(
                actor, batch.region, batch.file_name, batch.file_hash, 0, [],
                _("The import could not be queued; upload the file again later."), timezone.now(), batch,
            )  # fmt: skip

    return importjobs.queue_or_mark_unqueued(
        lambda: import_results(batch.pk, actor.pk), refuse, (ResultBatch.DoesNotExist, User.DoesNotExist)
    )


@db_periodic_task(crontab(minute="*/10"))
def fail_stale_imports() -> None:
    count = do_fail_stale_imports(timezone.now())
    if count:
        log.warning("%d lab result imports were interrupted; marked refused", count)


# The recount locks a round's counters while it counts its samples: at night, when no desk is sampling.
RECOUNT_HOUR = 3


@db_periodic_task(crontab(minute="23"))
@lock_task("recount_rounds")
def recount_rounds() -> tuple[int, int]:
    """Nightly (03:23 Beijing time): the tested counters of the recent rounds and the samples and results per
    unit of the last week's days rebuilt from their samples, a drift logged. The job ticks every hour like every
    periodic job (`/healthz` watches them hourly) and recounts in the night hour only."""
    now = timezone.now()
    if timezone.localtime(now).hour != RECOUNT_HOUR:
        return (0, 0)
    do_recount_sample_days(now)
    return do_recount_rounds(now)
