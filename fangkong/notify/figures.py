"""SMS figures per unit (the people's units) and Beijing day, for the daily report and the briefing."""

from __future__ import annotations

import datetime

from django.db.models import Q

from fangkong.accounts.access import within
from fangkong.notify.models import Message, MessageStatus
from fangkong.regions.models import Region


def _recipients_in(region: Region) -> Q:
    """A message counts in its recipient's unit: the person's, or the user's (a cadre's reminder)."""
    return within(region, via="person__region") | within(region, via="user__region")


def sms_sent(region: Region, day: datetime.date) -> int:
    return (
        Message.objects.filter(_recipients_in(region), sent_on=day)
        .filter(status__in=[MessageStatus.SENT, MessageStatus.DELIVERED])
        .count()
    )


def sms_delivered(region: Region, day: datetime.date) -> int:
    return Message.objects.filter(_recipients_in(region), sent_on=day, status=MessageStatus.DELIVERED).count()
