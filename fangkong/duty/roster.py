"""The roster of one unit for a week, read in a fixed number of queries: shifts, coverage gaps per Beijing
day, and who is away (外出) on approved leave."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from fangkong.accounts.access import within
from fangkong.duty.models import DutyShift, Interval, LeaveRequest, day_bounds, uncovered
from fangkong.regions.models import Region


def week_start(day: datetime.date) -> datetime.date:
    """The Monday of `day`'s week."""
    return day - datetime.timedelta(days=day.weekday())


@dataclass
class RosterDay:
    day: datetime.date
    shifts: list[DutyShift] = field(default_factory=list)
    gaps: list[Interval] = field(default_factory=list)
    away: list[LeaveRequest] = field(default_factory=list)
    # Users rostered this day who are on approved leave (leave approved after the shift was assigned).
    away_user_ids: set[int] = field(default_factory=set)

    @property
    def is_covered(self) -> bool:
        return not self.gaps

    @property
    def entries(self) -> list[tuple[DutyShift | None, Interval]]:
        """Shifts and gaps in time order: (shift, its span) or (None, the gap)."""
        items: list[tuple[DutyShift | None, Interval]] = [(s, (s.starts_at, s.ends_at)) for s in self.shifts]
        items += [(None, gap) for gap in self.gaps]
        return sorted(items, key=lambda item: item[1][0])


def roster_days(
    shifts: list[DutyShift], leaves: list[LeaveRequest], days: list[datetime.date]
) -> list[RosterDay]:
    """Group already-fetched shifts and approved leaves by Beijing day and compute each day's gaps."""
    result = []
    for day in days:
        window = day_bounds(day)
        todays = [s for s in shifts if s.starts_at < window[1] and s.ends_at > window[0]]
        away = [lv for lv in leaves if lv.starts_on <= day <= lv.ends_on]
        away_ids = {lv.requester_id for lv in away}
        rostered_away = {s.person_on_duty_id for s in todays if s.person_on_duty_id in away_ids}
        rostered_away |= {s.leader_on_call_id for s in todays if s.leader_on_call_id in away_ids}
        result.append(
            RosterDay(
                day=day,
                shifts=todays,
                gaps=uncovered(window, [(s.starts_at, s.ends_at) for s in todays]),
                away=away,
                away_user_ids={i for i in rostered_away if i is not None},
            )
        )
    return result


def unit_roster(shifts_qs: QuerySet[DutyShift], unit: Region, days: list[datetime.date]) -> list[RosterDay]:
    """The roster of `unit` for `days` (consecutive), from `shifts_qs` (already scoped to the viewer)."""
    start, end = day_bounds(days[0])[0], day_bounds(days[-1])[1]
    shifts = list(
        shifts_qs.filter(region=unit, starts_at__lt=end, ends_at__gt=start).order_by("starts_at", "id")
    )
    person_ids = {s.person_on_duty_id for s in shifts} | {
        s.leader_on_call_id for s in shifts if s.leader_on_call_id
    }
    leaves = list(
        LeaveRequest.objects.approved()
        .overlapping(days[0], days[-1])
        .filter(within(unit) | Q(requester_id__in=person_ids))
        .select_related("requester", "region")
        .order_by("starts_on", "id")
    )
    return roster_days(shifts, leaves, days)
