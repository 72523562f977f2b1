"""Every change to duty shifts and leave requests: `check_*` validates, `do_*` saves and audits in one
transaction. Time-dependent actions take `now`."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from fangkong.accounts.access import has_perm, in_jurisdiction
from fangkong.accounts.models import User
from fangkong.accounts.permissions import Perm
from fangkong.audit.actions import diff, record, snapshot
from fangkong.audit.models import AuditAction
from fangkong.duty.access import is_superior
from fangkong.duty.models import DutyShift, LeaveRequest, LeaveStatus
from fangkong.lib import phones
from fangkong.lib.reporting_day import local_date
from fangkong.lib.versions import check_version, field_labels
from fangkong.people.actions import missed_updates
from fangkong.regions.models import Region

SHIFT_FIELDS = ["region", "starts_at", "ends_at", "person_on_duty", "leader_on_call", "phone", "is_active"]
# A duty phone is a work number meant to be called: the audit log shows it in full, as people dial it.
SHIFT_MASKS = {"phone": phones.display}
LEAVE_FIELDS = [
    "starts_on",
    "ends_on",
    "reason",
    "destination",
    "status",
    "decided_by",
    "decided_at",
    "decision_note",
]
# A shift longer than this is a data-entry mistake, not a roster (a 24-hour shift is the longest in use).
MAX_SHIFT = datetime.timedelta(hours=48)
# The person on duty may check in a little before the shift starts, as they arrive for the hand-over.
EARLY_CHECKIN = datetime.timedelta(minutes=30)


def beijing_days(start: datetime.datetime, end: datetime.datetime) -> list[datetime.date]:
    """The Beijing calendar days that the half-open interval [start, end) touches."""
    first = local_date(start)
    last = local_date(end - datetime.timedelta(microseconds=1))
    return [first + datetime.timedelta(days=i) for i in range((last - first).days + 1)]


def approved_leave_during(
    user: User, start: datetime.datetime, end: datetime.datetime
) -> LeaveRequest | None:
    days = beijing_days(start, end)
    return (
        LeaveRequest.objects.approved()
        .filter(requester=user)
        .overlapping(days[0], days[-1])
        .order_by("starts_on")
        .first()
    )


def check_shift(
    actor: User,
    *,
    region: Region,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    person_on_duty: User,
    leader_on_call: User | None,
    phone: str,
    exclude: DutyShift | None = None,
) -> str:
    """Validate a shift; returns the duty phone in E.164 (the person's own phone when left blank)."""
    if not has_perm(actor, Perm.DUTY_MANAGE) or not in_jurisdiction(actor, region):
        raise ValidationError({"region": _("You cannot manage the roster of this unit.")})
    if starts_at.tzinfo is None or ends_at.tzinfo is None:
        raise ValueError("naive datetime")
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": _("The shift must end after it starts.")})
    if ends_at - starts_at > MAX_SHIFT:
        raise ValidationError({"ends_at": _("A shift lasts at most 48 hours.")})
    for field, user in (("person_on_duty", person_on_duty), ("leader_on_call", leader_on_call)):
        if user is not None and (not user.is_active or not in_jurisdiction(actor, user.region)):
            raise ValidationError({field: _("Choose an active user of your jurisdiction.")})
    if leader_on_call is not None and leader_on_call.pk == person_on_duty.pk:
        raise ValidationError(
            {"leader_on_call": _("The leader on call must be someone other than the person on duty.")}
        )
    for field, user in (("person_on_duty", person_on_duty), ("leader_on_call", leader_on_call)):
        if user is None:
            continue
        leave = approved_leave_during(user, starts_at, ends_at)
        if leave is not None:
            raise ValidationError(
                {
                    field: _("%(name)s is on approved leave from %(start)s to %(end)s.")
                    % {"name": user, "start": leave.starts_on.isoformat(), "end": leave.ends_on.isoformat()}
                }
            )
    clash = DutyShift.objects.active().filter(person_on_duty=person_on_duty).overlapping(starts_at, ends_at)
    if exclude is not None:
        clash = clash.exclude(pk=exclude.pk)
    if clash.exists():
        raise ValidationError(
            {"person_on_duty": _("%(name)s already has a shift at that time.") % {"name": person_on_duty}}
        )
    phone = (phone or "").strip()
    if not phone:
        return person_on_duty.phone
    try:
        return phones.normalise_work(phone)
    except phones.PhoneError as exc:
        raise ValidationError({"phone": exc.message}) from None


@transaction.atomic
def do_create_shift(
    actor: User,
    *,
    region: Region,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    person_on_duty: User,
    leader_on_call: User | None = None,
    phone: str = "",
) -> DutyShift:
    """Put a person on duty (and a leader on call) for a unit over [starts_at, ends_at)."""
    phone_e164 = check_shift(
        actor,
        region=region,
        starts_at=starts_at,
        ends_at=ends_at,
        person_on_duty=person_on_duty,
        leader_on_call=leader_on_call,
        phone=phone,
    )
    shift = DutyShift.objects.create(
        region=region,
        starts_at=starts_at,
        ends_at=ends_at,
        person_on_duty=person_on_duty,
        leader_on_call=leader_on_call,
        phone=phone_e164,
        created_by=actor,
    )
    record(actor, AuditAction.CREATE, obj=shift, changes=diff({}, snapshot(shift, SHIFT_FIELDS, SHIFT_MASKS)))
    return shift


@transaction.atomic
def do_update_shift(
    actor: User,
    shift: DutyShift,
    *,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    person_on_duty: User,
    leader_on_call: User | None = None,
    phone: str = "",
    expected_version: int | None = None,
) -> DutyShift:
    """Change a shift's times or people. Once someone has checked in, the person on duty stays.

    A form passes the version it was opened at: if someone saved since, nothing is saved (StaleEditError)."""
    shift = DutyShift.objects.select_for_update().select_related("region").get(pk=shift.pk)
    if not shift.is_active:
        raise ValidationError({"__all__": _("This shift has been cancelled.")})
    check_version(shift.version, expected_version, missed_updates(shift), field_labels(DutyShift))
    if shift.checked_in_at is not None and person_on_duty.pk != shift.person_on_duty_id:
        raise ValidationError(
            {"person_on_duty": _("The person on duty has checked in and cannot be replaced.")}
        )
    before = snapshot(shift, SHIFT_FIELDS, SHIFT_MASKS)
    shift.phone = check_shift(
        actor,
        region=shift.region,
        starts_at=starts_at,
        ends_at=ends_at,
        person_on_duty=person_on_duty,
        leader_on_call=leader_on_call,
        phone=phone,
        exclude=shift,
    )
    shift.starts_at, shift.ends_at = starts_at, ends_at
    shift.person_on_duty, shift.leader_on_call = person_on_duty, leader_on_call
    changed = diff(before, snapshot(shift, SHIFT_FIELDS, SHIFT_MASKS))
    if changed:
        shift.version += 1
        shift.save()
        record(actor, AuditAction.UPDATE, obj=shift, changes=changed)
    return shift


@transaction.atomic
def do_cancel_shift(actor: User, shift: DutyShift, reason: str = "") -> DutyShift:
    """Take a shift off the roster; the record stays (deactivate rather than delete)."""
    if not has_perm(actor, Perm.DUTY_MANAGE) or not in_jurisdiction(actor, shift.region):
        raise ValidationError({"__all__": _("You cannot manage the roster of this unit.")})
    if shift.checked_in_at is not None:
        raise ValidationError(
            {"__all__": _("The person on duty has checked in; the shift cannot be cancelled.")}
        )
    shift.is_active = False
    shift.save(update_fields=["is_active", "updated_at"])
    record(actor, AuditAction.DEACTIVATE, obj=shift, changes={"is_active": [True, False]}, note=reason)
    return shift


@transaction.atomic
def do_check_in(actor: User, shift: DutyShift, *, now: datetime.datetime, note: str = "") -> DutyShift:
    """The person on duty reports for their shift. After the grace period the check-in is marked late."""
    shift = DutyShift.objects.select_for_update().get(pk=shift.pk)
    if shift.person_on_duty_id != actor.pk:
        raise ValidationError({"__all__": _("Only the person on duty can check in for this shift.")})
    if not shift.is_active:
        raise ValidationError({"__all__": _("This shift has been cancelled.")})
    if shift.checked_in_at is not None:
        raise ValidationError({"__all__": _("You have already checked in for this shift.")})
    if now < shift.starts_at - EARLY_CHECKIN:
        raise ValidationError({"__all__": _("This shift has not started yet.")})
    if now >= shift.ends_at:
        raise ValidationError({"__all__": _("This shift is over.")})
    shift.checked_in_at = now
    shift.checkin_late = now > shift.checkin_deadline()
    shift.checkin_note = (note or "").strip()
    shift.save(update_fields=["checked_in_at", "checkin_late", "checkin_note", "updated_at"])
    record(
        actor,
        AuditAction.UPDATE,
        obj=shift,
        now=now,
        note="check-in",
        changes={"checked_in_at": [None, now.isoformat()], "checkin_late": [False, shift.checkin_late]},
    )
    return shift


@transaction.atomic
def do_write_handover(actor: User, shift: DutyShift, *, note: str, now: datetime.datetime) -> DutyShift:
    """The outgoing person on duty writes the hand-over note (交接班记录) for the next shift."""
    shift = DutyShift.objects.select_for_update().get(pk=shift.pk)
    if shift.person_on_duty_id != actor.pk:
        raise ValidationError({"handover_note": _("Only the person on duty writes the hand-over note.")})
    if not shift.is_active:
        raise ValidationError({"handover_note": _("This shift has been cancelled.")})
    if now < shift.starts_at:
        raise ValidationError({"handover_note": _("This shift has not started yet.")})
    note = (note or "").strip()
    if not note:
        raise ValidationError({"handover_note": _("Write the hand-over note.")})
    before = shift.handover_note
    shift.handover_note, shift.handed_over_at = note, now
    shift.save(update_fields=["handover_note", "handed_over_at", "updated_at"])
    record(
        actor,
        AuditAction.UPDATE,
        obj=shift,
        now=now,
        note="hand-over",
        changes={"handover_note": [before, note]},
    )
    return shift


@transaction.atomic
def do_record_missed_checkins(now: datetime.datetime) -> int:
    """Record every shift that ended by `now` without a check-in; returns how many were recorded.

    Runs every 10 minutes; a shift is recorded once (the flag is set under a row lock)."""
    shifts = list(
        DutyShift.objects.active()
        .select_for_update()
        .filter(checked_in_at__isnull=True, missed=False, ends_at__lte=now)
        .select_related("region", "person_on_duty")
    )
    for shift in shifts:
        shift.missed, shift.missed_recorded_at = True, now
        shift.save(update_fields=["missed", "missed_recorded_at", "updated_at"])
        record(
            None,
            AuditAction.OTHER,
            obj=shift,
            now=now,
            note="missed check-in",
            changes={"missed": [False, True]},
        )
    return len(shifts)


def check_leave_dates(
    requester: User, starts_on: datetime.date, ends_on: datetime.date, exclude: LeaveRequest | None = None
) -> None:
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("The last day cannot be before the first day.")})
    overlap = LeaveRequest.objects.approved().filter(requester=requester).overlapping(starts_on, ends_on)
    if exclude is not None:
        overlap = overlap.exclude(pk=exclude.pk)
    other = overlap.first()
    if other is not None:
        raise ValidationError(
            {
                "starts_on": _("These dates overlap your approved leave from %(start)s to %(end)s.")
                % {"start": other.starts_on.isoformat(), "end": other.ends_on.isoformat()}
            }
        )


@transaction.atomic
def do_request_leave(
    actor: User,
    *,
    starts_on: datetime.date,
    ends_on: datetime.date,
    reason: str,
    destination: str,
    now: datetime.datetime,
) -> LeaveRequest:
    """A cadre asks for leave; the request belongs to their region so that their superior sees it."""
    if not has_perm(actor, Perm.LEAVE_REQUEST) or actor.region is None:
        raise ValidationError({"__all__": _("You cannot request leave.")})
    reason, destination = (reason or "").strip(), (destination or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give a reason.")})
    if not destination:
        raise ValidationError({"destination": _("Say where you are going.")})
    if starts_on < local_date(now):
        raise ValidationError({"starts_on": _("Leave cannot start in the past.")})
    check_leave_dates(actor, starts_on, ends_on)
    leave = LeaveRequest.objects.create(
        requester=actor,
        region=actor.region,
        starts_on=starts_on,
        ends_on=ends_on,
        reason=reason,
        destination=destination,
    )
    record(actor, AuditAction.CREATE, obj=leave, now=now, changes=diff({}, snapshot(leave, LEAVE_FIELDS)))
    return leave


@transaction.atomic
def do_decide_leave(
    actor: User, leave: LeaveRequest, *, approve: bool, note: str = "", now: datetime.datetime
) -> LeaveRequest:
    """The superior approves or refuses a pending request. Nobody decides their own request."""
    leave = LeaveRequest.objects.select_for_update().select_related("region", "requester").get(pk=leave.pk)
    if leave.requester_id == actor.pk:
        raise ValidationError({"__all__": _("Nobody decides their own leave request.")})
    if not is_superior(actor, leave):
        raise ValidationError({"__all__": _("Only the requester's superior decides this request.")})
    if not leave.is_pending:
        raise ValidationError({"__all__": _("This request has already been decided or cancelled.")})
    note = (note or "").strip()
    if approve:
        check_leave_dates(leave.requester, leave.starts_on, leave.ends_on, exclude=leave)
    elif not note:
        raise ValidationError({"decision_note": _("Give a reason for refusing.")})
    before = snapshot(leave, LEAVE_FIELDS)
    leave.status = LeaveStatus.APPROVED if approve else LeaveStatus.REFUSED
    leave.decided_by, leave.decided_at, leave.decision_note = actor, now, note
    leave.save()
    record(actor, AuditAction.UPDATE, obj=leave, now=now, changes=diff(before, snapshot(leave, LEAVE_FIELDS)))
    return leave


@transaction.atomic
def do_cancel_leave(actor: User, leave: LeaveRequest, *, now: datetime.datetime) -> LeaveRequest:
    """The requester withdraws a pending request, or an approved one that has not ended yet."""
    leave = LeaveRequest.objects.select_for_update().get(pk=leave.pk)
    if leave.requester_id != actor.pk:
        raise ValidationError({"__all__": _("Only the requester can cancel this request.")})
    if leave.status not in (LeaveStatus.PENDING, LeaveStatus.APPROVED) or leave.ends_on < local_date(now):
        raise ValidationError({"__all__": _("This request can no longer be cancelled.")})
    before = snapshot(leave, LEAVE_FIELDS)
    leave.status = LeaveStatus.CANCELLED
    leave.save(update_fields=["status", "updated_at"])
    record(actor, AuditAction.UPDATE, obj=leave, now=now, changes=diff(before, snapshot(leave, LEAVE_FIELDS)))
    return leave
