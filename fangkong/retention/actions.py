"""Every change of the retention app: declaring and closing outbreaks, and running the policy."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fangkong.audit.actions import record
from fangkong.audit.models import AuditAction
from fangkong.lib.reporting_day import SHANGHAI
from fangkong.retention import policy, registry
from fangkong.retention.models import Outbreak, RetentionRun


@dataclass(frozen=True)
class Line:
    """One kind in a run or a preview."""

    key: str
    label: str
    how: str
    days: int
    cutoff: datetime.datetime
    count: int


def _lines(now: datetime.datetime, *, dry_run: bool, run: RetentionRun | None) -> list[Line]:
    chunk = settings.RETENTION["CHUNK"]
    lines = []
    for kind in registry.kinds():
        cut = policy.cutoff(kind.key, now)
        count = kind.purge(cut, dry_run, chunk)
        lines.append(
            Line(kind.key, str(kind.label), str(kind.how), settings.RETENTION["DAYS"][kind.key], cut, count)
        )
        if run is not None:
            # Saved after each kind, so a run that dies half-way still says what it did.
            run.counts[kind.key] = {"cutoff": cut.isoformat(), "count": count}
            run.save(update_fields=["counts"])
    return lines


def preview(now: datetime.datetime) -> list[Line]:
    """What a run at `now` would remove, per kind; changes nothing."""
    return _lines(now, dry_run=True, run=None)


def do_apply_retention(actor: Any, now: datetime.datetime) -> tuple[RetentionRun, list[Line]]:
    """Anonymise or delete every record past its period at `now`, kind by kind in short chunks; record the run and
    one audit row with the counts. Idempotent: a second run at the same `now` finds nothing left to remove."""
    run = RetentionRun.objects.create(started_at=timezone.now(), as_of=now, actor=actor, counts={})
    lines = _lines(now, dry_run=False, run=run)
    with transaction.atomic():
        run.finished_at = timezone.now()
        run.save(update_fields=["finished_at"])
        record(
            actor,
            AuditAction.OTHER,
            obj=run,
            label=_("Retention run %(at)s") % {"at": run},
            changes={line.key: [None, line.count] for line in lines},
            note=_("Personal data past its retention period removed"),
        )
    return run, lines


def do_apply_retention_once_a_day(now: datetime.datetime) -> RetentionRun | None:
    """The scheduled job's run: at most one per Beijing day (None when today's already ran)."""
    day_start = datetime.datetime.combine(now.astimezone(SHANGHAI).date(), datetime.time(), tzinfo=SHANGHAI)
    if RetentionRun.objects.filter(actor__isnull=True, as_of__gte=day_start, as_of__lte=now).exists():
        return None
    run, _lines = do_apply_retention(None, now)
    return run


def check_outbreak(name: str, started_on: datetime.date | None, today: datetime.date) -> None:
    if not name.strip():
        raise ValidationError(_("Give the outbreak a name."))
    if started_on is None or started_on > today:
        raise ValidationError(_("The start of an outbreak is a day not after today."))
    if Outbreak.objects.filter(ended_on__isnull=True).exists():
        raise ValidationError(_("An outbreak is open: close it before declaring another."))


def do_declare_outbreak(
    actor: Any, name: str, started_on: datetime.date | None, now: datetime.datetime
) -> Outbreak:
    today = timezone.localdate(now)
    with transaction.atomic():
        check_outbreak(name, started_on, today)
        assert started_on is not None  # noqa: S101 - checked above
        outbreak = Outbreak.objects.create(name=name.strip(), started_on=started_on, declared_by=actor)
        record(
            actor,
            AuditAction.CREATE,
            obj=outbreak,
            changes={"started_on": [None, started_on.isoformat()]},
            now=now,
        )
    return outbreak


def do_close_outbreak(
    actor: Any, outbreak: Outbreak, ended_on: datetime.date | None, now: datetime.datetime
) -> None:
    today = timezone.localdate(now)
    with transaction.atomic():
        outbreak = Outbreak.objects.select_for_update().get(pk=outbreak.pk)
        if outbreak.ended_on is not None:
            raise ValidationError(_("This outbreak is already closed."))
        if ended_on is None or ended_on > today or ended_on < outbreak.started_on:
            raise ValidationError(_("The end of an outbreak is a day between its start and today."))
        outbreak.ended_on = ended_on
        outbreak.closed_by = actor
        outbreak.save(update_fields=["ended_on", "closed_by"])
        record(
            actor,
            AuditAction.UPDATE,
            obj=outbreak,
            changes={"ended_on": [None, ended_on.isoformat()]},
            now=now,
        )
