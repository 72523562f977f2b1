"""Every change to campaigns and messages.

Sending is at most once per message: a batch of queued messages is claimed (→ sending) and committed before the
gateway is called, then each is marked sent or failed. A job retried after a crash finds nothing queued to
claim for what it already sent. The per-number daily cap is checked when a message is claimed.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils.translation import gettext as _

from fangkong.accounts.access import has_perm, in_jurisdiction
from fangkong.accounts.models import User
from fangkong.accounts.permissions import Perm
from fangkong.audit.actions import record
from fangkong.audit.models import AuditAction
from fangkong.lib.reporting_day import local_date
from fangkong.notify.backends import BaseBackend, Outgoing, get_backend
from fangkong.notify.models import (
    Campaign,
    CampaignStatus,
    Message,
    MessageStatus,
    SmsTemplate,
)
from fangkong.people.models import Person
from fangkong.regions.models import Region

# Eighteen characters of an ID number (or fifteen digits): never in a message.
_ID_NUMBER = re.compile(r"\d{17}[\dXx]|\d{15}")
# A message claimed by a job that then died is not resent (the gateway may have it): failed after this.
STALE_SENDING = datetime.timedelta(minutes=30)


def check_params(template: SmsTemplate, params: dict[str, Any]) -> dict[str, str]:
    clean = {k: str(params.get(k, "")) for k in template.params}
    for value in clean.values():
        if _ID_NUMBER.search(value):
            raise ValidationError({"params": _("A message must not carry an ID number.")})
    return clean


@transaction.atomic
def do_create_campaign(
    actor: User | None,
    *,
    region: Region,
    kind: str,
    title: str,
    template: SmsTemplate,
    people: Iterable[Person],
    params: dict[str, Any] | None = None,
    per_person: dict[int, dict[str, Any]] | None = None,
    source_ref: str = "",
    once: bool = False,
    now: datetime.datetime,
) -> Campaign:
    """A campaign of one message per person with a phone (people without one are left out); queued for sending.

    `once`: people already sent (or being sent) a message by a campaign of the same kind and `source_ref` are
    left out — a reminder started twice (two cadres, a double click) reaches each person once."""
    campaign = _new_campaign(actor, region, kind, title, template, params, source_ref, now)
    common = campaign.params
    already = _already_reached(kind, source_ref, "person_id") if once and source_ref else set()
    seen: set[int] = set()
    rows = []
    for person in people:
        if not person.phone or person.pk in seen or person.pk in already:
            continue
        seen.add(person.pk)
        own = check_params(template, {**common, **(per_person or {}).get(person.pk, {})})
        rows.append(Message(campaign=campaign, person=person, phone=person.phone, params=own, queued_at=now))
    return _queue(actor, campaign, rows, now)


@transaction.atomic
def do_create_staff_campaign(
    actor: User | None,
    *,
    region: Region,
    kind: str,
    title: str,
    template: SmsTemplate,
    users: Iterable[User],
    params: dict[str, Any] | None = None,
    per_user: dict[int, dict[str, Any]] | None = None,
    source_ref: str = "",
    once: bool = True,
    now: datetime.datetime,
) -> Campaign:
    """A campaign to users (cadres: the daily report's reminders), one message per active user with a valid
    phone; the same rules as `do_create_campaign` otherwise (sending, caps, receipts)."""
    from fangkong.lib import phones

    campaign = _new_campaign(actor, region, kind, title, template, params, source_ref, now)
    already = _already_reached(kind, source_ref, "user_id") if once and source_ref else set()
    seen: set[int] = set()
    rows = []
    for user in users:
        if not user.is_active or not user.phone or user.pk in seen or user.pk in already:
            continue
        try:
            phone = phones.normalise(user.phone)
        except phones.PhoneError:
            continue
        seen.add(user.pk)
        own = check_params(template, {**campaign.params, **(per_user or {}).get(user.pk, {})})
        rows.append(Message(campaign=campaign, user=user, phone=phone, params=own, queued_at=now))
    return _queue(actor, campaign, rows, now)


def _already_reached(kind: str, source_ref: str, field: str) -> set[int]:
    return set(
        Message.objects.filter(campaign__kind=kind, campaign__source_ref=source_ref[:100])
        .exclude(status=MessageStatus.FAILED)
        .values_list(field, flat=True)
    ) - {None}


def _new_campaign(
    actor: User | None,
    region: Region,
    kind: str,
    title: str,
    template: SmsTemplate,
    params: dict[str, Any] | None,
    source_ref: str,
    now: datetime.datetime,
) -> Campaign:
    if actor is not None and (not has_perm(actor, Perm.SMS_SEND) or not in_jurisdiction(actor, region)):
        raise ValidationError({"region": _("You cannot send SMS to this unit.")})
    if not template.is_active:
        raise ValidationError({"template": _("This template is not active.")})
    common = check_params(template, params or {})
    return Campaign.objects.create(
        region=region,
        kind=kind,
        title=title[:200],
        template=template,
        params=common,
        source_ref=source_ref[:100],
        created_by=actor,
        created_at=now,
    )


def _queue(actor: User | None, campaign: Campaign, rows: list[Message], now: datetime.datetime) -> Campaign:
    Message.objects.bulk_create(rows, batch_size=2000)
    record(actor, AuditAction.CREATE, obj=campaign, changes={"messages": [None, len(rows)]}, now=now)
    campaign_id = campaign.pk
    transaction.on_commit(lambda: queue_campaign(campaign_id))
    return campaign


def queue_campaign(campaign_id: int) -> None:
    from fangkong.notify.tasks import send_campaign

    try:
        send_campaign(campaign_id)
    except Exception:  # the broker is down: the periodic job picks queued campaigns up
        import logging

        logging.getLogger(__name__).exception("could not queue campaign %s", campaign_id)


def _claim(campaign: Campaign, size: int, now: datetime.datetime) -> list[Message]:
    """Claim the next `size` queued messages (→ sending) in a short transaction of their own; refuse over-cap."""
    day = local_date(now)
    cap = settings.SMS_DAILY_CAP_PER_NUMBER
    with transaction.atomic():
        batch = list(
            Message.objects.select_for_update()
            .filter(campaign=campaign, status=MessageStatus.QUEUED)
            .order_by("id")[:size]
        )
        if not batch:
            return []
        phones = {m.phone for m in batch}
        counts = dict(
            Message.objects.filter(phone__in=phones, sent_on=day)
            .exclude(status=MessageStatus.FAILED)
            .values_list("phone")
            .annotate(n=Count("id"))
        )
        claimed, over = [], []
        for m in batch:
            if counts.get(m.phone, 0) >= cap:
                over.append(m.pk)
                continue
            counts[m.phone] = counts.get(m.phone, 0) + 1
            claimed.append(m)
        if over:
            Message.objects.filter(pk__in=over).update(
                status=MessageStatus.FAILED, error=_("Daily limit for this number reached.")
            )
        Message.objects.filter(pk__in=[m.pk for m in claimed]).update(
            status=MessageStatus.SENDING, sent_on=day, sent_at=now
        )
    return claimed


def do_send_campaign(
    campaign: Campaign,
    *,
    now: datetime.datetime,
    backend: BaseBackend | None = None,
    max_batches: int | None = None,
) -> int:
    """Send a campaign's queued messages in batches within the gateway's limits; returns how many were sent."""
    backend = backend or get_backend()
    Campaign.objects.filter(pk=campaign.pk, status=CampaignStatus.QUEUED).update(
        status=CampaignStatus.SENDING
    )
    template = campaign.template
    sent = batches = 0
    while max_batches is None or batches < max_batches:
        claimed = _claim(campaign, backend.batch_size, now)
        if not claimed:
            break
        batches += 1
        outgoing = [
            Outgoing(
                ref=str(m.uuid),
                phone=m.phone,
                sign_name=template.sign_name,
                template_code=template.provider_code,
                params=m.params,
                param_order=list(template.params),
                text=template.render(m.params),
            )
            for m in claimed
        ]
        try:
            results = backend.send(outgoing)
        except Exception as exc:  # the whole call failed: these messages are not resent automatically
            results = []
            Message.objects.filter(pk__in=[m.pk for m in claimed]).update(
                status=MessageStatus.FAILED, error=str(exc)[:200]
            )
        for m, result in zip(claimed, results, strict=False):
            if result.ok:
                Message.objects.filter(pk=m.pk).update(
                    status=MessageStatus.SENT, provider_id=result.provider_id
                )
                sent += 1
            else:
                Message.objects.filter(pk=m.pk).update(status=MessageStatus.FAILED, error=result.error[:200])
    if not Message.objects.filter(campaign=campaign, status=MessageStatus.QUEUED).exists():
        Campaign.objects.filter(pk=campaign.pk).update(status=CampaignStatus.DONE, finished_at=now)
    return sent


def do_fail_stale_sending(now: datetime.datetime) -> int:
    """Messages claimed by a job that died before marking them: failed (the gateway may have them), never resent."""
    return Message.objects.filter(status=MessageStatus.SENDING, sent_at__lt=now - STALE_SENDING).update(
        status=MessageStatus.FAILED, error=_("The sending job stopped; check by hand before resending.")
    )


DELIVERED_CODES = {"DELIVERED", "DELIVRD", "SUCCESS", "0"}


def do_record_receipts(items: Iterable[dict[str, Any]], *, now: datetime.datetime) -> int:
    """Delivery receipts (Alibaba `SmsReport` items or Tencent callback items): sent → delivered or failed.

    Matched by our reference (`out_id` / `SessionContext`) or the gateway's id (`biz_id` / `sid`). Returns the
    messages updated; unknown receipts are ignored (the gateway must not retry them forever)."""
    updated = 0
    for item in items:
        if not isinstance(item, dict):
            continue
        ref = str(item.get("out_id") or item.get("SessionContext") or item.get("ref") or "")
        provider_id = str(item.get("biz_id") or item.get("sid") or item.get("SerialNo") or "")
        success = item.get("success")
        if success is None:
            success = str(item.get("report_status") or item.get("err_code") or "").upper() in DELIVERED_CODES
        qs = Message.objects.none()
        if ref:
            try:
                qs = Message.objects.filter(uuid=ref)
            except ValidationError:
                qs = Message.objects.none()
        if not qs.exists() and provider_id:
            qs = Message.objects.filter(provider_id=provider_id)
        qs = qs.filter(status__in=[MessageStatus.SENT, MessageStatus.SENDING])
        if success in (True, "true", "True", 1):
            updated += qs.update(status=MessageStatus.DELIVERED, delivered_at=now)
        else:
            code = str(item.get("err_code") or item.get("errmsg") or item.get("description") or "")
            updated += qs.update(
                status=MessageStatus.FAILED, error=(_("Not delivered: %(code)s") % {"code": code})[:200]
            )
    return updated
