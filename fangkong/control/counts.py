"""Pre-aggregated counts per unit and day (`ControlDay`), kept by the actions so the overview never scans orders.

An order contributes to every day it is under control (as `days.on_day` defines it: from the start day to the
last day, until it closed; a cancelled order never): one person in the stage kind of that day, the follow-ups the
stage asks that day, the planned tests of that day, and the follow-ups recorded that day (at most what was
asked). Every action that changes an order's dates or status takes the old contribution away and adds the new one
(`apply`), in its own transaction; `rebuild()` computes the whole table from the orders — the bulk path (the
benchmark) and the proof in the tests that the two agree.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, F, Q

from fangkong.control.models import (
    ControlDay,
    ControlOrder,
    FollowUp,
    OrderStatus,
    Plan,
    StageKind,
)

DAY = datetime.timedelta(days=1)
KIND_FIELD = {
    StageKind.CENTRAL_ISOLATION.value: "central",
    StageKind.HOME_ISOLATION.value: "home",
    StageKind.HEALTH_MONITORING.value: "monitoring",
}
FIELDS = ("central", "home", "monitoring", "asked", "done", "tests")


@dataclass(frozen=True)
class Snapshot:
    """What of an order decides its contribution."""

    order_id: int
    region_id: int
    protocol_id: int
    start_day: datetime.date
    end_day: datetime.date
    status: str
    closed_on: datetime.date | None

    @classmethod
    def of(cls, order: ControlOrder) -> Snapshot:
        return cls(
            order.pk,
            order.region_id,
            order.protocol_id,
            order.start_day,
            order.end_day,
            order.status,
            order.closed_on,
        )

    @property
    def last_day(self) -> datetime.date | None:
        """The last day the order counts (None: it never counts)."""
        if self.status == OrderStatus.CANCELLED:
            return None
        last = self.end_day
        if self.closed_on is not None:
            last = min(last, self.closed_on - DAY)
        return last if last >= self.start_day else None


Deltas = dict[tuple[int, datetime.date], dict[str, int]]


def _spans(snap: Snapshot, plan: Plan) -> Iterable[tuple[datetime.date, datetime.date, str, int]]:
    """(first, last, kind field, follow-ups a day) of each stage range the order counts."""
    last = snap.last_day
    if last is None or not plan.stages:
        return
    starts = plan.stage_starts(snap.start_day)
    for index, stage in enumerate(plan.stages):
        first = starts[index]
        # The last stage runs to the end day (an extension lengthens it).
        stage_last = snap.end_day if index == len(plan.stages) - 1 else starts[index + 1] - DAY
        stage_last = min(stage_last, last)
        if first <= stage_last:
            yield first, stage_last, KIND_FIELD[stage.kind], stage.follow_ups_per_day


def _asked_on(snap: Snapshot, plan: Plan, day: datetime.date) -> int:
    last = snap.last_day
    if last is None or day > last:
        return 0
    index = plan.stage_index(snap.start_day, day, snap.end_day)
    return 0 if index is None else plan.stages[index].follow_ups_per_day


def _add_order(deltas: Deltas, snap: Snapshot, plan: Plan, sign: int, done: dict[datetime.date, int]) -> None:
    for first, last, field, follow in _spans(snap, plan):
        day = first
        while day <= last:
            row = deltas[(snap.region_id, day)]
            row[field] += sign
            row["asked"] += sign * follow
            day += DAY
    last_day = snap.last_day
    if last_day is not None:
        for _stage, day in plan.test_dates(snap.start_day):
            if snap.start_day <= day <= last_day:
                deltas[(snap.region_id, day)]["tests"] += sign
    for day, n in done.items():
        if capped := min(n, _asked_on(snap, plan, day)):
            deltas[(snap.region_id, day)]["done"] += sign * capped


def _done_by_day(order_id: int) -> dict[datetime.date, int]:
    rows = FollowUp.objects.filter(order_id=order_id).order_by().values("day").annotate(n=Count("id"))
    return {r["day"]: r["n"] for r in rows}


def _write(deltas: Deltas) -> None:
    rows = {key: values for key, values in deltas.items() if any(values.values())}
    if not rows:
        return
    ControlDay.objects.bulk_create(
        [ControlDay(region_id=region, day=day) for region, day in rows], ignore_conflicts=True
    )
    # One UPDATE per run of days with the same change (a stage range), not one per day.
    runs: dict[tuple[int, tuple[tuple[str, int], ...]], list[datetime.date]] = defaultdict(list)
    for (region, day), values in rows.items():
        runs[(region, tuple(sorted((k, v) for k, v in values.items() if v)))].append(day)
    updates: list[tuple[int, datetime.date, datetime.date, tuple[tuple[str, int], ...]]] = []
    for (region, changes), day_list in runs.items():
        day_list.sort()
        ranges: list[list[datetime.date]] = []
        for day in day_list:
            if ranges and day == ranges[-1][1] + DAY:
                ranges[-1][1] = day
            else:
                ranges.append([day, day])
        updates += [(region, first, last, changes) for first, last in ranges]
    # Rows are locked in one order (unit, then day) by every writer, so two actions never wait on each other
    # in a circle (a deadlock on PostgreSQL).
    for region, first, last, changes in sorted(updates, key=lambda u: (u[0], u[1])):
        ControlDay.objects.filter(region_id=region, day__gte=first, day__lte=last).update(
            **{field: F(field) + value for field, value in changes}
        )


def apply(before: Snapshot | None, after: Snapshot | None) -> None:
    """Move the counts from an order's old state to its new one (either may be None). Call inside the
    action's transaction, after the order row is saved."""
    from fangkong.control.days import plans

    if before == after:
        return
    all_plans = plans()
    deltas: Deltas = defaultdict(lambda: dict.fromkeys(FIELDS, 0))
    order_id = (after or before).order_id  # type: ignore[union-attr]
    done = _done_by_day(order_id)
    if before is not None:
        _add_order(deltas, before, all_plans[before.protocol_id], -1, done)
    if after is not None:
        _add_order(deltas, after, all_plans[after.protocol_id], +1, done)
    _write(deltas)


def apply_new(orders: Iterable[ControlOrder]) -> None:
    """`apply(None, Snapshot.of(order))` for many orders just created (no follow-ups yet), written at once."""
    from fangkong.control.days import plans

    all_plans = plans()
    deltas: Deltas = defaultdict(lambda: dict.fromkeys(FIELDS, 0))
    for order in orders:
        snap = Snapshot.of(order)
        _add_order(deltas, snap, all_plans[snap.protocol_id], +1, {})
    _write(deltas)


def follow_up_recorded(order: ControlOrder, day: datetime.date, recorded_before: int) -> None:
    """A follow-up was saved: it counts as done when the order had fewer than asked that day."""
    snap = Snapshot.of(order)
    if recorded_before < _asked_on(snap, order.protocol.plan, day):
        deltas: Deltas = defaultdict(lambda: dict.fromkeys(FIELDS, 0))
        deltas[(snap.region_id, day)]["done"] = 1
        _write(deltas)


@transaction.atomic
def rebuild() -> int:
    """Compute every unit's days from the orders and follow-ups (the bulk path; the tests prove `apply` keeps
    the same). Returns the number of rows."""
    from fangkong.control.days import plans

    all_plans = plans()
    deltas: Deltas = defaultdict(lambda: dict.fromkeys(FIELDS, 0))
    cohorts = (
        ControlOrder.objects.exclude(status=OrderStatus.CANCELLED)
        .order_by()
        .values("region_id", "protocol_id", "start_day", "end_day", "status", "closed_on")
        .annotate(n=Count("id"))
    )
    for c in cohorts:
        snap = Snapshot(
            0, c["region_id"], c["protocol_id"], c["start_day"], c["end_day"], c["status"], c["closed_on"]
        )
        _add_order(deltas, snap, all_plans[c["protocol_id"]], c["n"], {})
    done = (
        FollowUp.objects.exclude(order__status=OrderStatus.CANCELLED)
        .order_by()
        .values(
            "order_id",
            "day",
            "order__region_id",
            "order__protocol_id",
            "order__start_day",
            "order__end_day",
            "order__status",
            "order__closed_on",
        )
        .annotate(n=Count("id"))
    )
    for r in done:
        snap = Snapshot(
            r["order_id"],
            r["order__region_id"],
            r["order__protocol_id"],
            r["order__start_day"],
            r["order__end_day"],
            r["order__status"],
            r["order__closed_on"],
        )
        if capped := min(r["n"], _asked_on(snap, all_plans[snap.protocol_id], r["day"])):
            deltas[(snap.region_id, r["day"])]["done"] += capped
    ControlDay.objects.all().delete()
    rows = [
        ControlDay(region_id=region, day=day, **values)
        for (region, day), values in deltas.items()
        if any(values.values())
    ]
    ControlDay.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def totals(q: Q, day: datetime.date) -> dict[str, int]:
    """The sums of `day` over the rows matching `q` (e.g. `within(root)`)."""
    from django.db.models import Sum

    sums = ControlDay.objects.filter(q, day=day).aggregate(**{f: Sum(f) for f in FIELDS})
    return {f: int(sums[f] or 0) for f in FIELDS}


def by_region(q: Q, day: datetime.date) -> dict[int, dict[str, int]]:
    """{region id: counts} of `day` over the rows matching `q`."""
    return {
        r["region_id"]: {f: r[f] for f in FIELDS}
        for r in ControlDay.objects.filter(q, day=day).values("region_id", *FIELDS)
    }
