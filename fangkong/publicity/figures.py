"""宣传次数: the publicity items of a unit's subtree on a Beijing day (reporting source `publicity.items`)."""

from __future__ import annotations

import datetime

from django.db.models import Sum

from fangkong.accounts.access import within
from fangkong.publicity.models import PublicityTally
from fangkong.regions.models import Region


def publicity_items(region: Region, day: datetime.date) -> int:
    total = PublicityTally.objects.filter(within(region), day=day).aggregate(n=Sum("count"))["n"]
    return int(total or 0)
