"""SMS figures per unit (the people's units) and Beijing day, for the daily report and the briefing."""

from __future__ import annotations

import datetime

from fangkong.accounts.access import within
from fangkong.notify.models import Message, MessageStatus
from fangkong.regions.models import Region


def sms_sent(region: Region, day: datetime.date) -> int:
    return (
        Message.objects.filter(within(region, via="person__region"), sent_on=day)
        .filter(status__in=[MessageStatus.SENT, MessageStatus.DELIVERED])
        .count()
    )


def sms_delivered(region: Region, day: datetime.date) -> int:
    return Message.objects.filter(
        within(region, via="person__region"), sent_on=day, status=MessageStatus.DELIVERED
    ).count()
