"""Every change in reporting: filing and correcting reports, review, the deadline sweep, accountability,
urgent reports, notifications and form maintenance. `check_*` validates, `do_*` saves and audits."""

from __future__ import annotations

import datetime
import importlib
import logging
import re
import uuid
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import QuerySet, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from fangkong.accounts.models import User
from fangkong.accounts.permissions import ROLE_PERMISSIONS, Perm, Role
from fangkong.audit.actions import record
from fangkong.audit.models import AuditAction
from fangkong.lib import reporting_day
from fangkong.regions.models import Level, Region
from fangkong.reporting import sources
from fangkong.reporting.models import (
    MAX_FIGURE,
    AccountabilityReason,
    AccountabilityRecord,
    AccountabilityState,
    AccountabilityTopic,
    DailyReport,
    Decision,
    Indicator,
    IndicatorKind,
    IndicatorUnit,
    Notification,
    ReportForm,
    ReportRevision,
    ReportState,
    ReportStatus,
    ReportValue,
    SweepKind,
    SweepRun,
    UrgentAttachment,
    UrgentKind,
    UrgentReport,
)

log = logging.getLogger(__name__)

REMINDER_TIMES = {
    SweepKind.REMINDER_1000: datetime.time(10, 0),
    SweepKind.REMINDER_1130: datetime.time(11, 30),
}
MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024
CODE_RE = re.compile(r"^[a-z][a-z0-9_]{1,39}$")


def roles_with(perm: Perm) -> list[str]:
    return [role.value for role, perms in ROLE_PERMISSIONS.items() if perm in perms]


def _notify(user_ids: Iterable[int], text: str, link: str, now: datetime.datetime) -> int:
    rows = [
        Notification(user_id=uid, text=text[:500], link=link, created_at=now)
        for uid in dict.fromkeys(user_ids)
    ]
    Notification.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def _day_label(day: datetime.date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


# --- Filing ---------------------------------------------------------------------------------------


def check_unit(form: ReportForm, unit: Region) -> None:
    if unit.level not in form.levels or not unit.is_active:
        raise ValidationError({"region": _("This unit does not file this report.")})


def check_day(day: datetime.date, now: datetime.datetime, *, first_submission: bool) -> None:
    if day > reporting_day.reporting_day(now):
        raise ValidationError({"day": _("A report cannot be filed for a future day.")})
    if first_submission and now >= reporting_day.day_end(day):
        raise ValidationError({"day": _("That day is over: the report is recorded as missing.")})


def check_values(indicators: list[Indicator], values: Mapping[str, Any], *, is_zero: bool) -> dict[str, int]:
    """Clean figures for every active indicator. A zero report fills them all with 0."""
    if is_zero:
        return {ind.code: 0 for ind in indicators}
    clean: dict[str, int] = {}
    errors: dict[str, str] = {}
    for ind in indicators:
        raw = values.get(ind.code)
        try:
            number = int(str(raw).strip()) if raw is not None and str(raw).strip() != "" else None
        except ValueError:
            number = None
            errors[ind.code] = _("Enter a whole number.")
            continue
        if number is None:
            errors[ind.code] = _("Enter a figure (0 if none).")
        elif number < 0:
            errors[ind.code] = _("A figure cannot be negative.")
        elif number > MAX_FIGURE:
            errors[ind.code] = _("A figure cannot be larger than %(max)s.") % {"max": f"{MAX_FIGURE:,}"}
        else:
            clean[ind.code] = number
    if errors:
        raise ValidationError(errors)
    if indicators and not any(clean.values()):
        # 零报告 must be an explicit choice, so that "nothing happened" is a statement, not a default.
        raise ValidationError({"is_zero": _("Every figure is 0: file a zero report instead.")})
    return clean


def rollup(region: Region, day: datetime.date) -> dict[str, int]:
    """The sum of the submitted reports of the units directly below `region` (township ← villages,
    district ← townships), by indicator code."""
    rows = (
        ReportValue.objects.filter(
            report__day=day, report__submitted_at__isnull=False, report__region__parent=region
        )
        .values("indicator__code")
        .annotate(total=Sum("value"))
    )
    return {row["indicator__code"]: int(row["total"] or 0) for row in rows}


def prefill(region: Region, day: datetime.date, form: ReportForm | None = None) -> dict[str, int]:
    """What the form shows before the reporter confirms: the records where a source exists, else the
    roll-up of the units below."""
    form = form or ReportForm.current()
    if form is None:
        return {}
    indicators = list(form.active_indicators())
    values = sources.source_values({i.code: i.source for i in indicators if i.source}, region, day)
    below = rollup(region, day)
    for ind in indicators:
        if ind.code not in values and ind.code in below:
            values[ind.code] = below[ind.code]
    return values


@transaction.atomic
def do_file_report(
    actor: User,
    unit: Region,
    day: datetime.date,
    values: Mapping[str, Any],
    *,
    now: datetime.datetime,
    is_zero: bool = False,
    reason: str = "",
) -> DailyReport:
    """File the unit's report for `day`, or correct it (a new revision) if it was already submitted."""
    form = ReportForm.current()
    if form is None:
        raise ValidationError({"form": _("No report form is active.")})
    check_unit(form, unit)
    # Create the row if it does not exist yet, then hold its lock: two first filings, or a filing racing
    # the 12:00 sweep's placeholder rows, would otherwise both insert and break one_report_per_unit_day.
    # get_or_create retries the read when its insert loses the race. A refused filing rolls the row back.
    report, _created = DailyReport.objects.select_for_update().get_or_create(
        region=unit, day=day, defaults={"form": form}
    )
    first = report.first_submitted_at is None
    check_day(day, now, first_submission=first)
    if report is not None and not first and report.form_id != form.pk:
        form = report.form
    indicators = list(form.active_indicators())
    clean = check_values(indicators, values, is_zero=is_zero)
    records = sources.source_values({i.code: i.source for i in indicators if i.source}, unit, day)

    before: dict[str, Any] = {}
    if not first:
        old = {v.indicator.code: v.value for v in report.values.select_related("indicator")}
        before = {"values": old, "is_zero": report.is_zero, "revision": report.revision}
        assert report.submitted_at is not None  # noqa: S101 - not first means submitted
        ReportRevision.objects.create(
            report=report,
            number=report.revision,
            values=old,
            is_zero=report.is_zero,
            submitted_at=report.submitted_at,
            submitted_by=report.submitted_by,
            replaced_at=now,
            replaced_by=actor,
            reason=reason.strip(),
        )
        report.revision += 1
    else:
        report.first_submitted_at = now
        report.is_late = reporting_day.is_late(day, now)
    report.submitted_at = now
    report.submitted_by = actor
    report.is_zero = is_zero
    report.state = ReportState.SUBMITTED
    report.reviewed_by, report.reviewed_at = None, None
    report.has_discrepancy = any(code in records and records[code] != value for code, value in clean.items())
    report.status = report.current_status(now)
    report.save()

    report.values.all().delete()  # the previous figures live on in the ReportRevision above
    ReportValue.objects.bulk_create(
        ReportValue(report=report, indicator=ind, value=clean[ind.code], source_value=records.get(ind.code))
        for ind in indicators
    )
    if report.is_late:
        _open_accountability(report, AccountabilityTopic.TIMELINESS, AccountabilityReason.LATE, now)
    if report.has_discrepancy:
        _open_accountability(report, AccountabilityTopic.ACCURACY, AccountabilityReason.DISCREPANCY, now)
    after = {"values": clean, "is_zero": is_zero, "revision": report.revision}
    record(
        actor,
        AuditAction.CREATE if first else AuditAction.UPDATE,
        obj=report,
        changes={k: [before.get(k), v] for k, v in after.items() if before.get(k) != v},
        note=reason.strip(),
        now=now,
    )
    return report


def _open_accountability(
    report: DailyReport, topic: AccountabilityTopic, reason: AccountabilityReason, now: datetime.datetime
) -> AccountabilityRecord:
    record_, created = AccountabilityRecord.objects.get_or_create(
        region=report.region,
        day=report.day,
        topic=topic,
        defaults={"reason": reason, "report": report, "opened_at": now},
    )
    if created:
        record(None, AuditAction.CREATE, obj=record_, now=now)
    elif record_.report_id is None:
        AccountabilityRecord.objects.filter(pk=record_.pk).update(report=report)
    return record_


def can_review(actor: User, report: DailyReport) -> bool:
    """A superior reviews: the report's unit lies strictly inside the reviewer's jurisdiction."""
    region = actor.region
    return (
        region is not None
        and actor.has_role_perm(Perm.REPORT_REVIEW)
        and region.contains(report.region)
        and region.pk != report.region_id
    )


@transaction.atomic
def do_review_report(
    actor: User, report: DailyReport, *, approve: bool, comment: str, now: datetime.datetime
) -> DailyReport:
    """Approve a submitted report, or return it with a comment for correction."""
    if not can_review(actor, report):
        raise ValidationError({"report": _("Only a superior unit reviews this report.")})
    if report.state != ReportState.SUBMITTED:
        raise ValidationError({"report": _("Only a submitted report awaiting review can be reviewed.")})
    comment = comment.strip()
    if not approve and not comment:
        raise ValidationError({"comment": _("Say what must be corrected.")})
    old_state = report.state
    report.state = ReportState.APPROVED if approve else ReportState.RETURNED
    report.reviewed_by, report.reviewed_at, report.review_comment = actor, now, comment
    report.save(update_fields=["state", "reviewed_by", "reviewed_at", "review_comment"])
    record(
        actor,
        AuditAction.UPDATE,
        obj=report,
        changes={"state": [old_state, report.state]},
        note=comment,
        now=now,
    )
    if not approve and report.submitted_by_id:
        _notify(
            [report.submitted_by_id],
            _("Your report of %(day)s was returned: %(comment)s")
            % {"day": _day_label(report.day), "comment": comment},
            reverse("reporting:detail", args=[report.uuid]),
            now,
        )
    return report


# --- The deadline sweep -----------------------------------------------------------------------------


@dataclass
class SweepResult:
    """What one sweep did, for logs and `run_deadline_sweep`."""

    now: datetime.datetime
    reminded: dict[str, int] = field(default_factory=dict)
    late: dict[str, int] = field(default_factory=dict)
    missing: dict[str, int] = field(default_factory=dict)
    escalated: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "now": self.now.isoformat(),
            "reminded": self.reminded,
            "late": self.late,
            "missing": self.missing,
            "escalated": self.escalated,
        }


def _claim(day: datetime.date, kind: SweepKind, now: datetime.datetime) -> SweepRun | None:
    """The run row for (day, kind) if this caller is the first to claim it; None when already done."""
    run, created = SweepRun.objects.get_or_create(day=day, kind=kind, defaults={"ran_at": now})
    return run if created else None


def _unfiled_units(form: ReportForm, day: datetime.date) -> QuerySet[Region]:
    filed = DailyReport.objects.filter(day=day, first_submitted_at__isnull=False).values("region_id")
    return form.units().exclude(id__in=filed)


def _filer_ids(regions: QuerySet[Region] | list[int]) -> list[int]:
    return list(
        User.objects.filter(
            is_active=True, role__in=roles_with(Perm.REPORT_FILE), region__in=regions
        ).values_list("id", flat=True)
    )


def _send_reminders(form: ReportForm, day: datetime.date, kind: SweepKind, now: datetime.datetime) -> int:
    run = _claim(day, kind, now)
    if run is None:
        return 0
    users = _filer_ids(_unfiled_units(form, day))
    text = _("Reminder: the daily report of %(day)s is due at 12:00 and your unit has not filed it.") % {
        "day": _day_label(day)
    }
    sent = _notify(users, text, reverse("reporting:file"), now)
    # SMS goes out here too once the SMS module exists; the in-app notice is the record.
    run.units = sent
    run.save(update_fields=["units"])
    return sent


def _mark_late(form: ReportForm, day: datetime.date, now: datetime.datetime) -> int:
    """At 12:00: every unit without a submitted report is late; open its accountability record and tell
    the unit and its superior. Set-based: a handful of queries whatever the number of units."""
    run = _claim(day, SweepKind.DEADLINE, now)
    if run is None:
        return 0
    DailyReport.objects.filter(day=day, first_submitted_at__isnull=True).update(status=ReportStatus.LATE)
    missing_ids = list(
        form.units()
        .exclude(id__in=DailyReport.objects.filter(day=day).values("region_id"))
        .values_list("id", flat=True)
    )
    DailyReport.objects.bulk_create(
        (
            DailyReport(uuid=uuid.uuid4(), region_id=rid, day=day, form=form, status=ReportStatus.LATE)
            for rid in missing_ids
        ),
        batch_size=2000,
        ignore_conflicts=True,
    )
    late = list(
        DailyReport.objects.filter(day=day, first_submitted_at__isnull=True).values_list(
            "id", "region_id", "region__parent_id", "region__name"
        )
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
            for report_id, rid, _parent, _name in late
        ),
        batch_size=2000,
        ignore_conflicts=True,
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
    late: list[tuple[int, int, int | None, str]], day: datetime.date, now: datetime.datetime
) -> None:
    if not late:
        return
    link = reverse("reporting:completeness") + f"?start={day.isoformat()}&end={day.isoformat()}"
    unit_users = defaultdict(list)
    for uid, region_id in User.objects.filter(
        is_active=True, role__in=roles_with(Perm.REPORT_FILE), region_id__in={r[1] for r in late}
    ).values_list("id", "region_id"):
        unit_users[region_id].append(uid)
    text = _("Your unit's daily report of %(day)s was not filed by 12:00 and is late.") % {
        "day": _day_label(day)
    }
    _notify([uid for users in unit_users.values() for uid in users], text, reverse("reporting:file"), now)

    by_parent: dict[int, list[str]] = defaultdict(list)
    for _report, _region, parent_id, name in late:
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
        ) % {"count": len(names), "day": _day_label(day), "names": shown}
        rows.append(Notification(user_id=uid, text=text[:500], link=link, created_at=now))
    Notification.objects.bulk_create(rows, batch_size=1000)


def _mark_missing(form: ReportForm, day: datetime.date, now: datetime.datetime) -> int:
    """At the end of the day: a report still not submitted is missing; its record is upgraded."""
    run = _claim(day, SweepKind.DAY_END, now)
    if run is None:
        return 0
    count = DailyReport.objects.filter(day=day, first_submitted_at__isnull=True).update(
        status=ReportStatus.MISSING
    )
    AccountabilityRecord.objects.filter(
        day=day,
        topic=AccountabilityTopic.TIMELINESS,
        reason=AccountabilityReason.LATE,
        report__first_submitted_at__isnull=True,
    ).exclude(state=AccountabilityState.DECIDED).update(reason=AccountabilityReason.MISSING)
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


def _was_live(day: datetime.date) -> bool:
    """Whether the system was in use on `day`; a fresh install does not mark the day before it missing."""
    return SweepRun.objects.filter(day=day).exists() or DailyReport.objects.filter(day=day).exists()


@transaction.atomic
def do_deadline_sweep(now: datetime.datetime) -> SweepResult:
    """Whatever is due at `now` and not done yet: the 10:00 / 11:30 reminder, the 12:00 late marking, and
    yesterday's end-of-day missing marking. Safe to run every minute and to replay for any instant."""
    result = SweepResult(now=now)
    form = ReportForm.current()
    if form is None:
        return result
    today = reporting_day.reporting_day(now)
    yesterday = today - datetime.timedelta(days=1)
    if (
        now >= reporting_day.day_end(yesterday)
        and _was_live(yesterday)
        and not SweepRun.objects.filter(day=yesterday, kind=SweepKind.DAY_END).exists()
    ):
        # A consumer that was down at 12:00 yesterday still marks late before missing.
        result.late[yesterday.isoformat()] = _mark_late(form, yesterday, now)
        result.missing[yesterday.isoformat()] = _mark_missing(form, yesterday, now)
    if now >= reporting_day.deadline(today):
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


# --- Accountability ---------------------------------------------------------------------------------


@transaction.atomic
def do_explain(
    actor: User, record_: AccountabilityRecord, text: str, *, now: datetime.datetime
) -> AccountabilityRecord:
    """The unit's written explanation (情况说明); it can be amended until the office decides."""
    text = text.strip()
    if not text:
        raise ValidationError({"explanation": _("Write the explanation.")})
    if record_.state == AccountabilityState.DECIDED:
        raise ValidationError({"explanation": _("A decision has been made; the explanation is closed.")})
    old = record_.explanation
    record_.explanation, record_.explained_by, record_.explained_at = text, actor, now
    record_.state = AccountabilityState.EXPLAINED
    record_.save(update_fields=["explanation", "explained_by", "explained_at", "state"])
    record(actor, AuditAction.UPDATE, obj=record_, changes={"explanation": [old, text]}, now=now)
    return record_


@transaction.atomic
def do_decide(
    actor: User, record_: AccountabilityRecord, decision: str, note: str, *, now: datetime.datetime
) -> AccountabilityRecord:
    """The command office's decision. Final: the trail is never rewritten."""
    if decision not in Decision.values:
        raise ValidationError({"decision": _("Choose a decision.")})
    if record_.state == AccountabilityState.DECIDED:
        raise ValidationError({"decision": _("This record has already been decided.")})
    record_.decision, record_.decision_note = decision, note.strip()
    record_.decided_by, record_.decided_at = actor, now
    record_.state = AccountabilityState.DECIDED
    record_.save(update_fields=["decision", "decision_note", "decided_by", "decided_at", "state"])
    record(actor, AuditAction.UPDATE, obj=record_, changes={"decision": [None, decision]}, note=note, now=now)
    return record_


@transaction.atomic
def do_publish_decision(
    actor: User, record_: AccountabilityRecord, notice_text: str, *, now: datetime.datetime
) -> AccountabilityRecord:
    """Publish a decision as a notice (通报) to every unit of the district."""
    if record_.state != AccountabilityState.DECIDED:
        raise ValidationError({"notice_text": _("Only a decided record can be published.")})
    if record_.published_at is not None:
        raise ValidationError({"notice_text": _("This decision has already been published.")})
    text = notice_text.strip() or _("%(unit)s, %(day)s: %(reason)s — %(decision)s.") % {
        "unit": record_.region.name,
        "day": _day_label(record_.day),
        "reason": record_.get_reason_display(),
        "decision": record_.get_decision_display(),
    }
    record_.notice_text, record_.published_at = text, now
    record_.save(update_fields=["notice_text", "published_at"])
    record(
        actor,
        AuditAction.UPDATE,
        obj=record_,
        changes={"published_at": [None, now.isoformat()]},
        note=text,
        now=now,
    )
    return record_


# --- Urgent reports ---------------------------------------------------------------------------------


def _district_of(region: Region) -> Region:
    return region.ancestor_at(Level.COUNTY) or region


def duty_recipients(region: Region, now: datetime.datetime) -> list[User]:
    """The command office's person on duty; everyone of the command office when nobody is rostered."""
    district = _district_of(region)
    users: list[User] = []
    try:
        duty = importlib.import_module("fangkong.duty.public")
        users = list(duty.on_duty(district, now))
    except Exception:  # the duty app is optional for reporting: never lose an urgent report over it
        log.exception("on_duty failed; notifying the whole command office")
    if not users:
        users = list(
            User.objects.filter(
                is_active=True, role=Role.COMMAND_OFFICE, region__path__startswith=district.path
            )
        )
    return users


@transaction.atomic
def do_send_urgent(
    actor: User,
    region: Region,
    kind: str,
    text: str,
    *,
    now: datetime.datetime,
    files: Iterable[UploadedFile] = (),
) -> UrgentReport:
    """Send an urgent report (专题报送) and notify the person on duty at once."""
    text = text.strip()
    errors = {}
    if kind not in UrgentKind.values:
        errors["kind"] = _("Choose the kind of report.")
    if not text:
        errors["text"] = _("Describe the situation.")
    files = list(files)
    if any((f.size or 0) > MAX_ATTACHMENT_BYTES for f in files):
        errors["attachments"] = _("An attachment is larger than 20 MB.")
    if errors:
        raise ValidationError(errors)
    recipients = duty_recipients(region, now)
    report = UrgentReport.objects.create(
        region=region,
        kind=kind,
        text=text,
        sent_by=actor,
        sent_at=now,
        notified=[u.get_username() for u in recipients],
    )
    for upload in files:
        UrgentAttachment.objects.create(report=report, file=upload, name=(upload.name or "")[:200])
    message = _("Urgent report from %(unit)s: %(kind)s — %(text)s") % {
        "unit": region.name,
        "kind": report.get_kind_display(),
        "text": text[:200],
    }
    _notify([u.pk for u in recipients], message, reverse("reporting:urgent_detail", args=[report.uuid]), now)
    record(actor, AuditAction.CREATE, obj=report, changes={"kind": [None, kind]}, now=now)
    return report


@transaction.atomic
def do_open_attachment(actor: User, attachment: UrgentAttachment) -> UrgentAttachment:
    """Opening an attachment of an urgent report is on the record, like every export."""
    record(actor, AuditAction.EXPORT, obj=attachment.report, label=attachment.name[:200], note="attachment")
    return attachment


@transaction.atomic
def do_acknowledge_urgent(actor: User, report: UrgentReport, *, now: datetime.datetime) -> UrgentReport:
    if report.acknowledged_at is not None:
        raise ValidationError({"report": _("This report has already been acknowledged.")})
    report.acknowledged_at, report.acknowledged_by = now, actor
    report.save(update_fields=["acknowledged_at", "acknowledged_by"])
    record(
        actor, AuditAction.UPDATE, obj=report, changes={"acknowledged_at": [None, now.isoformat()]}, now=now
    )
    _notify(
        [report.sent_by_id],
        _("Your urgent report was acknowledged by %(name)s.") % {"name": str(actor)},
        reverse("reporting:urgent_detail", args=[report.uuid]),
        now,
    )
    return report


def escalation_delay() -> datetime.timedelta:
    return datetime.timedelta(minutes=int(getattr(settings, "URGENT_ESCALATION_MINUTES", 15)))


@transaction.atomic
def do_escalate_urgent(now: datetime.datetime) -> int:
    """Tell the whole command office and the district leaders about urgent reports nobody acknowledged in time."""
    due = list(
        UrgentReport.objects.select_for_update()
        .select_related("region")
        .filter(
            acknowledged_at__isnull=True, escalated_at__isnull=True, sent_at__lte=now - escalation_delay()
        )
    )
    for report in due:
        district = _district_of(report.region)
        users = User.objects.filter(
            is_active=True,
            role__in=[Role.COMMAND_OFFICE, Role.LEADER],
            region__path__startswith=district.path,
        ).values_list("id", flat=True)
        minutes = int((now - report.sent_at).total_seconds() // 60)
        text = _("Not acknowledged for %(minutes)d minutes — urgent report from %(unit)s: %(kind)s") % {
            "minutes": minutes,
            "unit": report.region.name,
            "kind": report.get_kind_display(),
        }
        _notify(users, text, reverse("reporting:urgent_detail", args=[report.uuid]), now)
        report.escalated_at = now
        report.save(update_fields=["escalated_at"])
        record(
            None, AuditAction.UPDATE, obj=report, changes={"escalated_at": [None, now.isoformat()]}, now=now
        )
    return len(due)


# --- Notifications ----------------------------------------------------------------------------------


def do_mark_read(user: User, notification: Notification, *, now: datetime.datetime) -> Notification:
    """Reading one's own notice is not a domain change worth an audit row."""
    if notification.user_id != user.pk:
        raise ValidationError({"notification": _("Not your notification.")})
    if notification.read_at is None:
        notification.read_at = now
        notification.save(update_fields=["read_at"])
    return notification


def do_mark_all_read(user: User, *, now: datetime.datetime) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).update(read_at=now)


# --- Form maintenance -------------------------------------------------------------------------------


@transaction.atomic
def do_add_indicator(
    actor: User,
    form: ReportForm,
    *,
    code: str,
    name_zh: str,
    name_en: str,
    kind: str,
    unit: str,
    source: str = "",
    now: datetime.datetime,
) -> Indicator:
    code = code.strip().lower()
    errors = {}
    if not CODE_RE.match(code):
        errors["code"] = _("A code is a lower-case letter, then letters, digits or _ (2–40).")
    elif form.indicators.filter(code=code).exists():
        errors["code"] = _("This form already has an indicator with this code.")
    if not name_zh.strip():
        errors["name_zh"] = _("Enter the Chinese name.")
    if kind not in IndicatorKind.values:
        errors["kind"] = _("Choose a kind.")
    if unit not in IndicatorUnit.values:
        errors["unit"] = _("Choose a unit.")
    if source and source not in sources.registered():
        errors["source"] = _("Unknown data source.")
    if errors:
        raise ValidationError(errors)
    last = form.indicators.order_by("-order").values_list("order", flat=True).first() or 0
    indicator = Indicator.objects.create(
        form=form,
        code=code,
        name_zh=name_zh.strip(),
        name_en=name_en.strip(),
        kind=kind,
        unit=unit,
        source=source,
        order=last + 10,
    )
    record(actor, AuditAction.CREATE, obj=indicator, changes={"code": [None, code]}, now=now)
    return indicator


@transaction.atomic
def do_retire_indicator(actor: User, indicator: Indicator, *, now: datetime.datetime) -> Indicator:
    if not indicator.is_active:
        raise ValidationError({"indicator": _("This indicator is already retired.")})
    indicator.is_active, indicator.retired_at = False, now
    indicator.save(update_fields=["is_active", "retired_at"])
    record(actor, AuditAction.DEACTIVATE, obj=indicator, now=now)
    return indicator


def now_or_default(now: datetime.datetime | None) -> datetime.datetime:
    return now or timezone.now()
