"""Each periodic job's last run, and which jobs are overdue (issue 20: a job that did not run when due is visible).

Every periodic task goes through huey's signals, so one receiver (`fangkong.tasks.record_periodic_run`)
records a run here: its start, its end and its outcome — no task records itself. A job is *overdue* when a
time its crontab was due passed more than `GRACE` ago and no run started since; `/healthz` lists overdue jobs
(status `degraded`) and the command office's home page names them in Chinese.

Runs live in the shared cache, like the consumer's heartbeat: the web servers read what the consumer wrote.
A job that never ran counts from the first start of a consumer (`record_consumer_started`), so a fresh
install is not all red for the hour until its hourly jobs first come due; with no consumer ever started,
every job is overdue.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.utils.functional import Promise
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _

RUN_KEY = "fangkong:periodic-run:{}"
WATCH_SINCE_KEY = "fangkong:periodic-watch-since"
# A job enqueued at its minute may wait behind a running import on the one periodic consumer; five
# minutes late is still on time, more is worth a look.
GRACE = datetime.timedelta(minutes=5)
# Every job here runs at least daily: looking further back for a due time only costs time.
LOOKBACK = datetime.timedelta(days=8)
MINUTE = datetime.timedelta(minutes=1)

# What the command office reads; test_every_periodic_job_has_a_label keeps this complete.
LABELS: dict[str, Promise] = {
    "heartbeat": _("Job consumer heartbeat"),
    "deadline_sweep": _("Daily report deadline sweep"),
    "escalate_urgent": _("Urgent report escalation"),
    "record_missed_checkins": _("Missed duty check-ins"),
    "generate_daily_briefing": _("Daily briefing generation"),
    "recover_interrupted_imports": _("Recovery of interrupted imports"),
    "purge_stored_files": _("Deletion of stored push list files"),
    "remove_old_exports": _("Deletion of old people exports"),
    "release_due_orders": _("Release of control orders due"),
    "resume_campaigns": _("Resumption of SMS campaigns"),
    "notify_overdue_items": _("Notices of overdue rectification items"),
    "recover_vaccination_imports": _("Recovery of interrupted vaccination imports"),
    "fail_stale_imports": _("Refusal of lab-result imports whose job died"),
    "recount_rounds": _("Recount of testing rounds' tested counters"),
    "count_coverage": _("Vaccination coverage counted per unit"),
    "apply_retention": _("Removal of personal data past its retention period"),
}


class Outcome:
    RUNNING = "running"
    OK = "ok"
    ERROR = "error"
    # Refused by its lock (`lock_task`): the job did not run.
    LOCKED = "locked"
    INTERRUPTED = "interrupted"


@dataclass(frozen=True)
class JobStatus:
    name: str
    label: str
    last_started: datetime.datetime | None
    last_finished: datetime.datetime | None
    outcome: str | None
    # The latest due time that passed more than GRACE ago without a run since; None when on time.
    missed_due: datetime.datetime | None

    @property
    def overdue(self) -> bool:
        return self.missed_due is not None

    def as_json(self) -> dict[str, Any]:
        return {
            "last_started": _iso(self.last_started),
            "last_finished": _iso(self.last_finished),
            "outcome": self.outcome,
            "overdue": self.overdue,
            "missed_due": _iso(self.missed_due),
        }


def _iso(value: datetime.datetime | None) -> str | None:
    return value.isoformat() if value else None


def _parse(value: str | None) -> datetime.datetime | None:
    return datetime.datetime.fromisoformat(value) if value else None


def record_start(name: str, now: datetime.datetime) -> None:
    record = cache.get(RUN_KEY.format(name)) or {}
    record.update(started=now.isoformat(), finished=None, outcome=Outcome.RUNNING)
    cache.set(RUN_KEY.format(name), record, timeout=None)


def record_end(name: str, now: datetime.datetime, outcome: str) -> None:
    record = cache.get(RUN_KEY.format(name)) or {"started": now.isoformat()}
    record.update(finished=now.isoformat(), outcome=outcome)
    if outcome != Outcome.LOCKED:
        # Only a run that got past its lock counts as the job having run.
        record["ran"] = record["started"]
    cache.set(RUN_KEY.format(name), record, timeout=None)


def record_consumer_started(now: datetime.datetime) -> None:
    cache.add(WATCH_SINCE_KEY, now.isoformat(), timeout=None)


def periodic_tasks() -> list[Any]:
    """huey's periodic tasks; the web process imports the apps' `tasks` modules as the consumer does."""
    from huey.contrib.djhuey import HUEY

    autodiscover_modules("tasks")
    return sorted(HUEY._registry.periodic_tasks, key=lambda task: task.name)


def missed_due(
    task: Any, since: datetime.datetime | None, now: datetime.datetime
) -> datetime.datetime | None:
    """The latest time `task` was due in (since, now − GRACE], or None.

    huey matches its crontab against naive UTC minutes (`utc=True`), so the scan does too. It walks back
    minute by minute and stops at the first due time or at `since`: one step for a job due every minute,
    at most an hour for an hourly job.
    """
    # "More than GRACE ago": a job due exactly GRACE ago is not overdue yet.
    latest = now - GRACE - datetime.timedelta(microseconds=1)
    moment = latest.astimezone(datetime.UTC).replace(second=0, microsecond=0)
    floor = max(since, now - LOOKBACK) if since else now - LOOKBACK
    while moment > floor:
        if task.validate_datetime(moment.replace(tzinfo=None)):
            return moment
        moment -= MINUTE
    return None


def latest_due(task: Any, now: datetime.datetime) -> datetime.datetime | None:
    """The latest minute at or before `now` at which `task`'s crontab was due (UTC, as huey matches it), or
    None within LOOKBACK: the period a run started at `now` belongs to."""
    moment = now.astimezone(datetime.UTC).replace(second=0, microsecond=0)
    floor = now - LOOKBACK
    while moment > floor:
        if task.validate_datetime(moment.replace(tzinfo=None)):
            return moment
        moment -= MINUTE
    return None


def job_statuses(now: datetime.datetime) -> list[JobStatus]:
    """Every periodic job with its last run and whether it is overdue. Reads the cache: may raise when it
    is Redis and Redis is down."""
    tasks = periodic_tasks()
    records: dict[str, dict[str, Any]] = cache.get_many([RUN_KEY.format(t.name) for t in tasks])
    watch_since = _parse(cache.get(WATCH_SINCE_KEY))
    statuses = []
    for task in tasks:
        record = records.get(RUN_KEY.format(task.name)) or {}
        started = _parse(record.get("started"))
        outcome = record.get("outcome")
        # A run in progress counts from its start; otherwise the last run that got past its lock.
        since = started if outcome == Outcome.RUNNING else _parse(record.get("ran"))
        statuses.append(
            JobStatus(
                name=task.name,
                label=str(LABELS.get(task.name, task.name)),
                last_started=started,
                last_finished=_parse(record.get("finished")),
                outcome=outcome,
                missed_due=missed_due(task, since or watch_since, now),
            )
        )
    return statuses
