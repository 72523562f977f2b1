"""The deadline sweep: the 10:00 and 11:30 reminders, the 12:00 late marking and the closing of each day.

Every step is claimed once in `SweepRun(day, kind)` and done in its own short transaction, so the sweep can run
every minute, be retried, and be replayed for any instant. Days are closed in order from the day after the
last closed one, so a consumer that was down for days catches every one of them up.
"""

from __future__ import annotations

import datetime
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Min, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from fangkong.accounts.models import User
from fangkong.accounts.permissions import Perm, Role
from fangkong.audit.actions import record
from fangkong.audit.models import AuditAction
from fangkong.lib import reporting_day
from fangkong.regions.models import Region
from fangkong.reporting.actions.notifications import day_label, notify, roles_with, user_ids_with
from fangkong.reporting.models import (
    AccountabilityReason,
    AccountabilityRecord,
    AccountabilityState,
    AccountabilityTopic,
    DailyReport,
    Notification,
    ReportForm,
    ReportStatus,
    SweepKind,
    SweepRun,
)

REMINDER_TIMES = {
    SweepKind.REMINDER_1000: datetime.time(10, 0),
    SweepKind.REMINDER_1130: datetime.time(11, 30),
}
# Days closed by one call at most; after a longer outage the next calls (one a minute) close the rest, in order.
MAX_DAYS_PER_SWEEP = 62


@dataclass
class SweepResult:
    """What one sweep did, for logs and `run_deadline_sweep`."""

    now: datetime.datetime
    reminded: dict[str, int] = field(default_factory=dict)
    late: dict[str, int] = field(default_factory=dict)
    missing: dict[str, int] = field(default_factory=dict)
    caught_up: list[str] = field(default_factory=list)
    escalated: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "now": self.now.isoformat(),
            "reminded": self.reminded,
            "late": self.late,
            "missing": self.missing,
            "caught_up": self.caught_up,
            "escalated": self.escalated,
        }


def _claim(day: datetime.date, kind: SweepKind, now: datetime.datetime) -> SweepRun | None:
    """The run row for (day, kind) if this caller is the first to claim it; None when already done."""
    run, created = SweepRun.objects.get_or_create(day=day, kind=kind, defaults={"ran_at": now})
    return run if created else None


def _unfiled_units(form: ReportForm, day: datetime.date) -> QuerySet[Region]:
    filed = DailyReport.objects.filter(day=day, first_submitted_at__isnull=False).values("region_id")
    return form.units_due(day).exclude(id__in=filed)


@transaction.atomic
def _send_reminders(form: ReportForm, day: datetime.date, kind: SweepKind, now: datetime.datetime) -> int:
    run = _claim(day, kind, now)
    if run is None:
        return 0
    users = user_ids_with(Perm.REPORT_FILE, _unfiled_units(form, day))
    text = _("Reminder: the daily report of %(day)s is due at 12:00 and your unit has not filed it.") % {
        "day": day_label(day)
    }
    sent = notify(users, text, reverse("reporting:file") + f"?day={day.isoformat()}", now)
    # The SMS copy (notify listens) goes after commit: a failing gateway never holds up the in-app notice.
    from fangkong.reporting.signals import reminders_sent

    transaction.on_commit(
        lambda: reminders_sent.send_robust(sender=SweepRun, user_ids=users, day=day, kind=str(kind), now=now)
    )
    run.units = sent
    run.save(update_fields=["units"])
    return sent


def not_filed_by_deadline(day: datetime.date) -> Q:
    """Reports of `day` that were not in by 12:00: never submitted, or first submitted after the deadline
    (`reporting_day.is_past_deadline`, as SQL). Lateness is judged at 12:00 whenever the sweep runs."""
    return Q(first_submitted_at__isnull=True) | Q(first_submitted_at__gt=reporting_day.deadline(day))


@transaction.atomic
def _mark_late(form: ReportForm, day: datetime.date, now: datetime.datetime) -> int:
    """After 12:00: every unit without a submitted report is late; open its accountability record and tell
    the unit and its superior. Set-based: a handful of queries whatever the number of units.

    Run after the day has ended (catching up), the silent units are told they are missing."""
    run = _claim(day, SweepKind.DEADLINE, now)
    if run is None:
        return 0
    DailyReport.objects.bulk_create(
        (
            DailyReport(uuid=uuid.uuid4(), region_id=rid, day=day, form=form, status=ReportStatus.OVERDUE)
            for rid in form.units_due(day)
            .exclude(id__in=DailyReport.objects.filter(day=day).values("region_id"))
            .values_list("id", flat=True)
        ),
        batch_size=2000,
        ignore_conflicts=True,
    )
    # Lock the silent rows: a filing still in flight holds its row, so the sweep waits for it and then sees
    # it filed (PostgreSQL re-reads the row); a filing that starts later waits for the sweep and settles
    # what the sweep opened (accountability.settle_timeliness).
    silent = list(
        DailyReport.objects.select_for_update()
        .filter(day=day, first_submitted_at__isnull=True, region__in=form.units_due(day))
        .values_list("id", "region_id")
    )
    DailyReport.objects.filter(id__in=[report_id for report_id, _rid in silent]).update(
        status=ReportStatus.OVERDUE
    )
    AccountabilityRecord.objects.bulk_create(
        (
            AccountabilityRecord(
                uuid=uuid.uuid4(),
                region_id=rid,
                day=day,
                topic=AccountabilityTopic.TIMELINESS,
                reason=AccountabilityReason.LATE,
                report_id=report_id,
                opened_at=now,
            )
            for report_id, rid in silent
        ),
        batch_size=2000,
        ignore_conflicts=True,
    )
    late = list(
        DailyReport.objects.filter(not_filed_by_deadline(day), day=day, region__in=form.units_due(day))
        .order_by("region__path")
        .values_list("region_id", "region__parent_id", "region__name", "first_submitted_at")
    )
    _tell_late(late, day, now)
    run.units = len(late)
    run.save(update_fields=["units"])
    if late:
        record(
            None,
            AuditAction.UPDATE,
            label=f"deadline sweep {day.isoformat()}",
            changes={"late_units": [None, len(late)]},
            note="12:00",
            now=now,
        )
    return len(late)


def _tell_late(
    late: list[tuple[int, int | None, str, datetime.datetime | None]],
    day: datetime.date,
    now: datetime.datetime,
) -> None:
    """One notice to each unit's people and one to each superior, for the units not in by 12:00."""
    if not late:
        return
    over = reporting_day.is_day_over(day, now)
    values = {"day": day_label(day)}
    silent_text = (
        _("Your unit's daily report of %(day)s was not filed and is missing.")
        if over
        else _("Your unit's daily report of %(day)s was not filed by 12:00 and is late.")
    ) % values
    late_text = _("Your unit's daily report of %(day)s was filed after 12:00 and is late.") % values
    file_link = reverse("reporting:file") + f"?day={day.isoformat()}"
    silent_units = [rid for rid, _parent, _name, filed_at in late if filed_at is None]
    late_units = [rid for rid, _parent, _name, filed_at in late if filed_at is not None]
    notify(user_ids_with(Perm.REPORT_FILE, silent_units), silent_text, file_link, now)
    notify(user_ids_with(Perm.REPORT_FILE, late_units), late_text, file_link, now)

    link = reverse("reporting:completeness") + f"?start={day.isoformat()}&end={day.isoformat()}"
    by_parent: dict[int, list[str]] = defaultdict(list)
    for _region, parent_id, name, _filed_at in late:
        if parent_id is not None:
            by_parent[parent_id].append(name)
    rows = []
    for uid, region_id in User.objects.filter(
        is_active=True, role__in=roles_with(Perm.REPORT_REVIEW), region_id__in=list(by_parent)
    ).values_list("id", "region_id"):
        names = by_parent[region_id]
        shown = "、".join(names[:10]) + ("…" if len(names) > 10 else "")
        text = ngettext(
            "%(count)d unit below you did not file the daily report of %(day)s by 12:00: %(names)s",
            "%(count)d units below you did not file the daily report of %(day)s by 12:00: %(names)s",
            len(names),
        ) % {"count": len(names), "day": day_label(day), "names": shown}
        rows.append(Notification(user_id=uid, text=text[:500], link=link, created_at=now))
    Notification.objects.bulk_create(rows, batch_size=1000)


@transaction.atomic
def _mark_missing(form: ReportForm, day: datetime.date, now: datetime.datetime) -> int:
    """At the end of the day: a report still not submitted is missing; its record is upgraded."""
    run = _claim(day, SweepKind.DAY_END, now)
    if run is None:
        return 0
    silent = list(
        DailyReport.objects.select_for_update()
        .filter(day=day, first_submitted_at__isnull=True, region__in=form.units_due(day))
        .values_list("id", flat=True)
    )
    count = DailyReport.objects.filter(id__in=silent).update(status=ReportStatus.MISSING)
    AccountabilityRecord.objects.filter(
        day=day,
        topic=AccountabilityTopic.TIMELINESS,
        reason=AccountabilityReason.LATE,
        report_id__in=silent,
    ).exclude(state__in=[AccountabilityState.DECIDED, AccountabilityState.WITHDRAWN]).update(
        reason=AccountabilityReason.MISSING
    )
    run.units = count
    run.save(update_fields=["units"])
    if count:
        record(
            None,
            AuditAction.UPDATE,
            label=f"day-end sweep {day.isoformat()}",
            changes={"missing_units": [None, count]},
            note="24:00",
            now=now,
        )
    return count


def days_to_close(today: datetime.date) -> list[datetime.date]:
    """The days before `today` not yet closed, oldest first: from the day after the last closed day, or
    from the first day the system was in use (a fresh install does not mark days before it missing)."""
    last_closed = (
        SweepRun.objects.filter(kind=SweepKind.DAY_END, day__lt=today)
        .order_by("-day")
        .values_list("day", flat=True)
        .first()
    )
    if last_closed is not None:
        first = last_closed + datetime.timedelta(days=1)
    else:
        starts = [
            SweepRun.objects.aggregate(first=Min("day"))["first"],
            DailyReport.objects.aggregate(first=Min("day"))["first"],
        ]
        known = [d for d in starts if d is not None]
        if not known:
            return []
        first = min(known)
    closed = set(
        SweepRun.objects.filter(kind=SweepKind.DAY_END, day__gte=first, day__lt=today).values_list(
            "day", flat=True
        )
    )
    days = [first + datetime.timedelta(days=i) for i in range((today - first).days)]
    return [d for d in days if d not in closed][:MAX_DAYS_PER_SWEEP]


def _tell_caught_up(days: list[datetime.date], missing: int, now: datetime.datetime) -> None:
    """The command office learns that the sweep closed days late, after an outage of the job consumer."""
    first, last = days[0], days[-1]
    values = {"first": day_label(first), "last": day_label(last), "count": len(days), "missing": missing}
    if len(days) == 1:
        text = (
            _(
                "The deadline sweep did not run on %(first)s and closed that day only now: %(missing)d unit "
                "reports missing."
            )
            % values
        )
    else:
        text = (
            _(
                "The deadline sweep did not run from %(first)s to %(last)s and closed those %(count)d days only "
                "now: %(missing)d unit reports missing."
            )
            % values
        )
    link = reverse("reporting:completeness") + f"?start={first.isoformat()}&end={last.isoformat()}"
    office = User.objects.filter(is_active=True, role=Role.COMMAND_OFFICE).values_list("id", flat=True)
    notify(office, text, link, now)
    record(
        None,
        AuditAction.UPDATE,
        label=f"deadline sweep catch-up {first.isoformat()}..{last.isoformat()}",
        changes={"days": [None, len(days)], "missing_units": [None, missing]},
        now=now,
    )


def do_deadline_sweep(now: datetime.datetime) -> SweepResult:
    """Whatever is due at `now` and not done yet: every past day not yet closed (its 12:00 late marking if
    that never ran, then its end-of-day missing marking), in order; today's 10:00 / 11:30 reminder or 12:00
    late marking. Safe to run every minute and to replay for any instant."""
    result = SweepResult(now=now)
    form = ReportForm.current()
    if form is None:
        return result
    today = reporting_day.reporting_day(now)
    caught_up: list[datetime.date] = []
    for day in days_to_close(today):
        # A day whose 12:00 step never ran was missed by the consumer: it is closed now, late, in order.
        if not SweepRun.objects.filter(day=day, kind=SweepKind.DEADLINE).exists():
            caught_up.append(day)
        result.late[day.isoformat()] = _mark_late(form, day, now)
        result.missing[day.isoformat()] = _mark_missing(form, day, now)
    if caught_up:
        result.caught_up = [d.isoformat() for d in caught_up]
        with transaction.atomic():
            _tell_caught_up(caught_up, sum(result.missing[d] for d in result.caught_up), now)
    if reporting_day.is_past_deadline(today, now):
        result.late[today.isoformat()] = _mark_late(form, today, now)
    else:
        # Only the latest reminder that is due: a 10:00 reminder at 11:40 would only repeat the 11:30 one.
        due = [
            k
            for k, t in REMINDER_TIMES.items()
            if now >= datetime.datetime.combine(today, t, tzinfo=reporting_day.SHANGHAI)
        ]
        if due:
            kind = due[-1]
            result.reminded[kind.value] = _send_reminders(form, today, kind, now)
    return result
