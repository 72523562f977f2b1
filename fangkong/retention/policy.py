"""When a record of a kind is due: the one rule, read by the run, the command and the page."""

from __future__ import annotations

import datetime

from django.conf import settings

from fangkong.lib.reporting_day import SHANGHAI
from fangkong.retention.models import Outbreak


def cutoff(key: str, now: datetime.datetime) -> datetime.datetime:
    """Records of kind `key` dated before the returned moment are due at `now`.

    A record is due `RETENTION["DAYS"][key]` days after its date; and every record dated up to the end of a closed
    outbreak is due once `AFTER_OUTBREAK_DAYS` have passed since that end — whichever comes first. Days are Beijing
    days: an outbreak ending on 3 May covers records up to 24:00 on 3 May, Beijing time."""
    moment = now - datetime.timedelta(days=settings.RETENTION["DAYS"][key])
    today = now.astimezone(SHANGHAI).date()
    after = datetime.timedelta(days=settings.RETENTION["AFTER_OUTBREAK_DAYS"])
    ended = (
        Outbreak.objects.filter(ended_on__isnull=False, ended_on__lte=today - after)
        .order_by("-ended_on")
        .values_list("ended_on", flat=True)
        .first()
    )
    if ended is not None:
        end = datetime.datetime.combine(ended + datetime.timedelta(days=1), datetime.time(), tzinfo=SHANGHAI)
        moment = max(moment, end)
    return moment
