"""Background work: a people export, written to a file by the job queue (no web worker timeout cuts it)."""

from __future__ import annotations

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from fangkong.people.access import export_people_for
from fangkong.people.actions import do_remove_old_exports, run_export
from fangkong.people.models import ExportStatus, PeopleExport


@db_task()
def export_people(export_id: int) -> None:
    export = PeopleExport.objects.select_related("requested_by").get(pk=export_id)
    if export.status != ExportStatus.QUEUED:
        return  # already written (a retried or duplicated job)
    run_export(export, export_people_for(export), timezone.now())


@db_periodic_task(crontab(minute="17"))
def remove_old_exports() -> None:
    do_remove_old_exports(timezone.now())
