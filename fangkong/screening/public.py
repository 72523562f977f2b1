"""What other apps may read about a person's screening, without this app's internals (like duty/public.py)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from fangkong.screening.actions import FoundAgain
from fangkong.screening.models import Channel, ReturneeReport


@dataclass(frozen=True)
class DoubleReport:
    """双报告 of one person: whether they reported themself and whether the grid reported them."""

    has_self: bool
    has_grid: bool

    @property
    def is_complete(self) -> bool:
        return self.has_self and self.has_grid


def double_report_of(person_id: int | None) -> DoubleReport | None:
    """The person's 双报告 state, or None when no returnee report names them (not a returnee)."""
    if person_id is None:
        return None
    channels = set(ReturneeReport.objects.filter(person_id=person_id).values_list("channel", flat=True))
    if not channels:
        return None
    return DoubleReport(has_self=Channel.SELF in channels, has_grid=Channel.GRID in channels)


def find_again(
    actor: object, area_ids: list[int], lookback_days: int, now: datetime.datetime
) -> list[FoundAgain]:
    """Returnees from newly published areas within the lookback, classified again (see the action)."""
    from fangkong.accounts.models import User
    from fangkong.screening.actions import do_reclassify_for_areas

    return do_reclassify_for_areas(actor if isinstance(actor, User) else None, area_ids, lookback_days, now)
