"""Every change to venues, venue notices and family events: validate, save and audit in one transaction."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from fangkong.accounts.access import has_perm, in_jurisdiction, jurisdiction
from fangkong.accounts.models import User
from fangkong.accounts.permissions import Perm
from fangkong.audit.actions import diff, record, snapshot
from fangkong.audit.models import AuditAction
from fangkong.lib import phones
from fangkong.lib.dates import event_day_error
from fangkong.lib.masking import mask_phone
from fangkong.lib.reporting_day import local_date
from fangkong.regions.models import Region
from fangkong.venues.access import may_decide
from fangkong.venues.models import (
    EventKind,
    EventRule,
    EventStatus,
    FamilyEvent,
    Venue,
    VenueKind,
    VenueNotice,
    VenueStatus,
)

EVENT_FIELDS = [
    "kind",
    "host_name",
    "host_phone",
    "day",
    "place",
    "expected_guests",
    "status",
    "refusal_reason",
]
EVENT_MASKS = {"host_phone": mask_phone}


@transaction.atomic
def do_register_venue(
    actor: User, *, region: Region, kind: str, name: str, address: str = "", capacity: int | None = None
) -> Venue:
    if not has_perm(actor, Perm.VENUES_MANAGE) or not in_jurisdiction(actor, region):
        raise ValidationError({"region": _("You cannot manage the venues of this unit.")})
    if kind not in VenueKind.values:
        raise ValidationError({"kind": _("Choose the kind of venue.")})
    if not (name or "").strip():
        raise ValidationError({"name": _("Name the venue.")})
    venue = Venue.objects.create(
        region=region,
        kind=kind,
        name=name.strip()[:100],
        address=(address or "").strip()[:200],
        capacity=capacity,
    )
    record(
        actor, AuditAction.CREATE, obj=venue, changes=diff({}, snapshot(venue, ["region", "kind", "name"]))
    )
    return venue


@transaction.atomic
def do_issue_venue_notice(
    actor: User,
    *,
    number: str,
    title: str,
    kinds: Sequence[str],
    status: str,
    capacity_percent: int | None,
    starts_on: datetime.date,
    ends_on: datetime.date | None,
    now: datetime.datetime,
) -> VenueNotice:
    """A notice for the venues below the actor's unit: from `starts_on` they are open, limited or closed."""
    root = jurisdiction(actor)
    if root is None or not has_perm(actor, Perm.VENUES_MANAGE):
        raise ValidationError({"__all__": _("You cannot issue venue notices.")})
    if not (number or "").strip() or not (title or "").strip():
        raise ValidationError({"title": _("Give the notice its number and title.")})
    if any(k not in VenueKind.values for k in kinds):
        raise ValidationError({"kinds": _("Choose kinds of venue.")})
    if status not in VenueStatus.values:
        raise ValidationError({"status": _("Choose open, limited or closed.")})
    if status == VenueStatus.LIMITED:
        if capacity_percent is None or not 1 <= capacity_percent <= 99:
            raise ValidationError({"capacity_percent": _("A limit is a capacity between 1 and 99 per cent.")})
    else:
        capacity_percent = None
    for name, day in (("starts_on", starts_on), ("ends_on", ends_on)):
        if day is not None and (error := event_day_error(day, today=local_date(now))):
            raise ValidationError({name: error})
    if ends_on is not None and ends_on < starts_on:
        raise ValidationError({"ends_on": _("The notice must end on or after the day it starts.")})
    notice = VenueNotice.objects.create(
        region=root,
        number=number.strip()[:60],
        title=title.strip()[:200],
        kinds=sorted(set(kinds)),
        status=status,
        capacity_percent=capacity_percent,
        starts_on=starts_on,
        ends_on=ends_on,
        issued_at=now,
        issued_by=actor,
    )
    fields = ["number", "title", "kinds", "status", "capacity_percent", "starts_on", "ends_on"]
    record(actor, AuditAction.CREATE, obj=notice, changes=diff({}, snapshot(notice, fields)), now=now)
    return notice


def rule_refusal(rule: EventRule | None, expected_guests: int) -> str:
    """The reason the rule refuses an event, naming the rule; "" when the rule allows it."""
    if rule is None:
        return ""
    if not rule.allowed:
        return _("Refused under the rule “%(rule)s”: such events are not to be held.") % {"rule": rule.name}
    if rule.max_guests is not None and expected_guests > rule.max_guests:
        return _("Refused under the rule “%(rule)s”: at most %(max)d guests, %(n)d expected.") % {
            "rule": rule.name,
            "max": rule.max_guests,
            "n": expected_guests,
        }
    return ""


@transaction.atomic
def do_register_event(
    actor: User,
    *,
    region: Region,
    kind: str,
    host_name: str,
    host_phone: str = "",
    day: datetime.date,
    place: str,
    expected_guests: int,
    now: datetime.datetime,
) -> FamilyEvent:
    """Register a family event. The rule for its kind decides at once when it forbids it (refused, naming the
    rule); otherwise the event waits for the village's approval."""
    if not has_perm(actor, Perm.EVENTS_REGISTER) or not in_jurisdiction(actor, region):
        raise ValidationError({"region": _("You cannot register events of this unit.")})
    if kind not in EventKind.values:
        raise ValidationError({"kind": _("Choose the kind of event.")})
    if not (host_name or "").strip():
        raise ValidationError({"host_name": _("Name the host.")})
    if not (place or "").strip():
        raise ValidationError({"place": _("Give the place.")})
    if expected_guests < 1:
        raise ValidationError({"expected_guests": _("Give the number of guests expected.")})
    if day < local_date(now) or event_day_error(day, today=local_date(now)):
        raise ValidationError({"day": _("The day of the event must be today or later, within a year.")})
    phone = ""
    if (host_phone or "").strip():
        try:
            phone = phones.normalise(host_phone)
        except phones.PhoneError as exc:
            raise ValidationError({"host_phone": exc.message}) from None
    rule = EventRule.objects.filter(kind=kind).first()
    refusal = rule_refusal(rule, expected_guests)
    event = FamilyEvent.objects.create(
        region=region,
        kind=kind,
        host_name=host_name.strip()[:50],
        host_phone=phone,
        day=day,
        place=place.strip()[:200],
        expected_guests=expected_guests,
        status=EventStatus.REFUSED if refusal else EventStatus.VILLAGE,
        rule=rule,
        refusal_reason=refusal,
        registered_by=actor,
        registered_at=now,
    )
    record(
        actor,
        AuditAction.CREATE,
        obj=event,
        changes=diff({}, snapshot(event, EVENT_FIELDS, EVENT_MASKS)),
        now=now,
    )
    return event


@transaction.atomic
def do_decide_event(
    actor: User, event: FamilyEvent, *, approve: bool, note: str = "", now: datetime.datetime
) -> FamilyEvent:
    """The village's decision, then the township's: approve moves it on (village → township → approved)."""
    event = FamilyEvent.objects.select_for_update().select_related("region").get(pk=event.pk)
    if not may_decide(actor, event):
        raise ValidationError({"__all__": _("This event is not waiting for your decision.")})
    if not approve and not (note or "").strip():
        raise ValidationError({"note": _("Say why the event is refused.")})
    before = snapshot(event, EVENT_FIELDS, EVENT_MASKS)
    if event.status == EventStatus.VILLAGE:
        event.village_decided_by, event.village_decided_at = actor, now
        event.status = EventStatus.TOWNSHIP if approve else EventStatus.REFUSED
    else:
        event.township_decided_by, event.township_decided_at = actor, now
        event.status = EventStatus.APPROVED if approve else EventStatus.REFUSED
    if not approve:
        event.refusal_reason = note.strip()[:300]
    event.save()
    record(
        actor,
        AuditAction.UPDATE,
        obj=event,
        changes=diff(before, snapshot(event, EVENT_FIELDS, EVENT_MASKS)),
        now=now,
    )
    return event


@transaction.atomic
def do_check_event(
    actor: User,
    event: FamilyEvent,
    *,
    actual_guests: int,
    compliant: bool,
    note: str = "",
    now: datetime.datetime,
) -> FamilyEvent:
    """The follow-up check on the day (回访): how many guests were there, whether it kept to the approval."""
    event = FamilyEvent.objects.select_for_update().select_related("region").get(pk=event.pk)
    if not has_perm(actor, Perm.EVENTS_APPROVE) or not in_jurisdiction(actor, event.region):
        raise ValidationError({"__all__": _("You cannot check events of this unit.")})
    if event.status != EventStatus.APPROVED:
        raise ValidationError({"__all__": _("Only an approved event is checked on its day.")})
    if local_date(now) != event.day:
        raise ValidationError({"__all__": _("The check is made on the day of the event.")})
    event.checked_at, event.checked_by = now, actor
    event.actual_guests, event.check_compliant = actual_guests, compliant
    event.check_note = (note or "").strip()
    event.save()
    record(
        actor,
        AuditAction.UPDATE,
        obj=event,
        changes={"actual_guests": [None, actual_guests], "check_compliant": [None, compliant]},
        now=now,
    )
    return event
