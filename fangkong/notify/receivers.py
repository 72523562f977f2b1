"""What the notify app does when other apps announce something (connected in `apps.py`)."""

from __future__ import annotations

import datetime
import logging
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from fangkong.accounts.models import User
from fangkong.notify.actions import do_create_staff_campaign
from fangkong.notify.models import CampaignKind, SmsTemplate
from fangkong.regions.models import Region

log = logging.getLogger(__name__)
REMINDER_TIMES = {"reminder_1000": "10:00", "reminder_1130": "11:30"}


def common_region(regions: list[Region]) -> Region | None:
    """The lowest unit containing every one of `regions`."""
    parts = [r.ancestor_codes() for r in regions]
    common: list[str] = []
    for codes in zip(*parts, strict=False):
        if len(set(codes)) != 1:
            break
        common.append(codes[0])
    return Region.objects.filter(code=common[-1]).first() if common else None


def text_report_reminders(
    sender: object,
    *,
    user_ids: list[int],
    day: datetime.date,
    kind: str,
    now: datetime.datetime,
    **kwargs: Any,
) -> None:
    """The daily report's 10:00 / 11:30 reminder by SMS to the cadres of the units that have not filed, once
    per day and reminder (a second signal for the same one reaches nobody twice); caps as every campaign."""
    template = SmsTemplate.objects.filter(code="report_reminder", is_active=True).first()
    if template is None or not user_ids:
        return
    users = list(
        User.objects.filter(pk__in=user_ids, is_active=True, region__isnull=False)
        .exclude(phone="")
        .select_related("region")
    )
    region = common_region([u.region for u in users if u.region is not None])
    if region is None:
        return
    at = REMINDER_TIMES.get(kind, "")
    label = date_format(day, "SHORT_DATE_FORMAT")
    try:
        do_create_staff_campaign(
            None,
            region=region,
            kind=CampaignKind.REPORT_REMINDER,
            title=_("Daily report of %(day)s: %(time)s reminder to units not filed")
            % {"day": label, "time": at},
            template=template,
            users=users,
            params={"day": label, "deadline": "12:00"},
            per_user={u.pk: {"unit": u.region.name} for u in users if u.region is not None},
            source_ref=f"report:{day.isoformat()}:{kind}",
            once=True,
            now=now,
        )
    except Exception:  # the in-app reminder stands; the SMS copy is logged for the operator
        log.exception("the SMS copy of the %s reminder of %s failed", kind, day)
