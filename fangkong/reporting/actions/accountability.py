"""Accountability (问责): records opened for late, missing or flagged reports, settled by a filing that
proves the sweep wrong, explained by the unit and decided once by the command office."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from fangkong.accounts.models import User
from fangkong.audit.actions import record
from fangkong.audit.models import AuditAction
from fangkong.reporting.actions.notifications import day_label
from fangkong.reporting.models import (
    AccountabilityReason,
    AccountabilityRecord,
    AccountabilityState,
    AccountabilityTopic,
    DailyReport,
    Decision,
)


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
    if record_.state == AccountabilityState.WITHDRAWN:
        raise ValidationError({"explanation": _("This record was withdrawn: the report came in on time.")})
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
    if record_.state == AccountabilityState.WITHDRAWN:
        raise ValidationError({"decision": _("This record was withdrawn: the report came in on time.")})
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
        "day": day_label(record_.day),
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


def open_accountability(
    report: DailyReport, topic: AccountabilityTopic, reason: AccountabilityReason, now: datetime.datetime
) -> AccountabilityRecord:
    """The record of `report`'s unit, day and topic, opened now unless it exists."""
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


def settle_timeliness(report: DailyReport, now: datetime.datetime) -> AccountabilityRecord | None:
    """After a first filing: correct the timeliness record a sweep opened from what it could see.

    The sweep judges from what is committed when it runs, the filing from when its request was received; a
    filing received at 11:59:59 whose transaction commits after the 12:00 sweep is on time, so the sweep's
    LATE record is withdrawn, and one received before midnight that commits after the day-end sweep is late,
    not missing. A decided record is history and stays as it is. Returns the record changed, if any.
    """
    record_ = (
        AccountabilityRecord.objects.select_for_update()
        .filter(region_id=report.region_id, day=report.day, topic=AccountabilityTopic.TIMELINESS)
        .exclude(state__in=[AccountabilityState.DECIDED, AccountabilityState.WITHDRAWN])
        .first()
    )
    if record_ is None:
        return None
    before = {"state": record_.state, "reason": record_.reason}
    if not report.is_late:
        record_.state = AccountabilityState.WITHDRAWN
    elif record_.reason == AccountabilityReason.MISSING:
        record_.reason = AccountabilityReason.LATE
    else:
        return None
    record_.report = report
    record_.save(update_fields=["state", "reason", "report"])
    after = {"state": record_.state, "reason": record_.reason}
    record(
        None,
        AuditAction.UPDATE,
        obj=record_,
        changes={k: [before[k], v] for k, v in after.items() if before[k] != v},
        note=_("Settled by the filing received at %(time)s.") % {"time": now.isoformat()},
        now=now,
    )
    return record_
