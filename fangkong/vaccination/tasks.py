"""Background work of vaccination: the import of the vaccination system's export started from the web page
runs here, reporting progress to the shared progress file (`lib.importjobs`); imports whose job died are
marked failed at the consumer's start and every few minutes (the push-list import's pattern)."""

from __future__ import annotations

import datetime
import logging

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task, lock_task, on_startup

from fangkong.accounts.models import User
from fangkong.lib import importjobs
from fangkong.lib.reporting_day import SHANGHAI, local_date
from fangkong.vaccination import coverage
from fangkong.vaccination.actions import IMPORT_KIND, do_mark_unqueued, do_recover_stale_imports, run_import
from fangkong.vaccination.models import CoverageRun, VaccinationImport

log = logging.getLogger(__name__)


@db_task()
def import_export(batch_id: int, actor_id: int | None) -> None:
    batch = VaccinationImport.objects.select_related("region").get(pk=batch_id)
    actor = User.objects.filter(pk=actor_id).first() if actor_id else None

    def report(done: int, total: int) -> None:
        importjobs.store_progress(IMPORT_KIND, batch.uuid, done, total)

    run_import(batch, actor, timezone.now(), report)


def queue_import(batch: VaccinationImport, actor: User | None) -> bool:
    """Put the import on the job queue; if the queue is unreachable (Redis down), mark it failed with that
    reason, so the page says so. True if queued."""
    return importjobs.queue_or_mark_unqueued(
        lambda: import_export(batch.pk, actor.pk if actor else None),
        lambda exc: do_mark_unqueued(batch, timezone.now(), exc),
        (VaccinationImport.DoesNotExist,),
    )


def recover() -> None:
    for batch in do_recover_stale_imports(timezone.now()):
        log.warning("vaccination import %s was interrupted; marked failed", batch.uuid)


@on_startup()
def recover_vaccination_imports_on_startup() -> None:
    try:
        recover()
    except Exception as exc:  # the database may not be up yet; the periodic task below catches up
        log.warning("recovering interrupted vaccination imports at start-up failed: %s", exc)


@db_periodic_task(crontab(minute="*/5"))
def recover_vaccination_imports() -> None:
    recover()


# Past days' runs are counted again at night for as many days as a dashboard shows (doses registered late,
# people who moved): a run of a past day is otherwise the last one of that day.
RECOUNT_HOUR = 3
RECOUNT_DAYS = 30


@db_periodic_task(crontab(minute="*"))
@lock_task("count_coverage")
def count_coverage() -> None:
    """Every minute: today's coverage counted for every unit (`coverage.CoverageRun`); once between 03:00 and
    04:00 Beijing time also the last month's days. The coverage pages read the runs, never older than `coverage.FRESH`."""
    now = timezone.now()
    today = local_date(now)
    coverage.do_count_coverage(today, now)
    # Once a night, in the first minute of the hour that finds yesterday not yet counted after 03:00 (a minute
    # delayed behind another job still counts).
    night = datetime.datetime.combine(today, datetime.time(RECOUNT_HOUR), tzinfo=SHANGHAI)
    yesterday = today - datetime.timedelta(days=1)
    if (
        night <= now < night + datetime.timedelta(hours=1)
        and not CoverageRun.objects.filter(day=yesterday, computed_at__gte=night).exists()
    ):
        for back in range(1, RECOUNT_DAYS + 1):
            coverage.do_count_coverage(today - datetime.timedelta(days=back), now)
        coverage.do_forget_runs(today - datetime.timedelta(days=2 * RECOUNT_DAYS))
