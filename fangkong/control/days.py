"""What a day means for many orders at once: stage kinds, tomorrow's transfers, releases, follow-ups due.

A stage is a range of start days for each protocol (an order of protocol P is in stage i on day D when
D - offset(i+1) < start <= D - offset(i)), so every question here is one indexed query over orders, however
many there are, with one CASE arm per protocol stage (protocols are few).
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db.models import (
    Case,
    Count,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Least

from fangkong.control.models import (
    ControlOrder,
    FollowUp,
    OrderStatus,
    Plan,
    ProtocolStage,
    StagePlan,
    TestResult,
)

DAY = datetime.timedelta(days=1)


def plans() -> dict[int, Plan]:
    """Every protocol's plan, from one query."""
    stages: dict[int, list[StagePlan]] = defaultdict(list)
    for stage in ProtocolStage.objects.order_by("protocol_id", "position"):
        stages[stage.protocol_id].append(StagePlan.of(stage))
    return {pid: Plan(s) for pid, s in stages.items()}


def on_day(day: datetime.date) -> Q:
    """Orders under control on `day` (as it was then: closed ones count until they closed; cancelled never)."""
    return (
        Q(start_day__lte=day, end_day__gte=day)
        & ~Q(status=OrderStatus.CANCELLED)
        & (Q(closed_on__isnull=True) | Q(closed_on__gt=day))
    )


def _stage_whens(day: datetime.date, value: str, all_plans: dict[int, Plan]) -> list[When]:
    whens = []
    for pid, plan in all_plans.items():
        # Last stage first: the first arm whose lower bound holds is the order's stage.
        for index in range(len(plan.stages) - 1, -1, -1):
            stage = plan.stages[index]
            result = {"kind": stage.kind, "index": index, "follow": stage.follow_ups_per_day}[value]
            whens.append(
                When(Q(protocol_id=pid, start_day__lte=day - plan.offsets[index] * DAY), then=Value(result))
            )
    return whens


def with_stage(
    qs: QuerySet[ControlOrder], day: datetime.date, all_plans: dict[int, Plan] | None = None
) -> QuerySet[ControlOrder]:
    """`qs` narrowed to orders under control on `day`, annotated `stage_kind`, `stage_index`, `asked` (follow-ups a day)."""
    all_plans = all_plans if all_plans is not None else plans()
    return qs.filter(on_day(day)).annotate(
        stage_kind=Case(*_stage_whens(day, "kind", all_plans), default=Value("")),
        stage_index=Case(
            *_stage_whens(day, "index", all_plans), default=Value(0), output_field=IntegerField()
        ),
        asked=Case(*_stage_whens(day, "follow", all_plans), default=Value(0), output_field=IntegerField()),
    )


def kind_counts(qs: QuerySet[ControlOrder], day: datetime.date) -> dict[str, int]:
    rows = with_stage(qs, day).order_by().values("stage_kind").annotate(n=Count("id"))  # type: ignore[misc]
    return {r["stage_kind"]: r["n"] for r in rows}


def transfer_arms(day: datetime.date) -> list[Q]:
    """One condition per protocol stage that starts tomorrow at another place than the stage before."""
    tomorrow = day + DAY
    arms = []
    for pid, plan in plans().items():
        for index in range(1, len(plan.stages)):
            if plan.stages[index].place != plan.stages[index - 1].place:
                arms.append(Q(protocol_id=pid, start_day=tomorrow - plan.offsets[index] * DAY))
    return arms


def transfers_tomorrow(qs: QuerySet[ControlOrder], day: datetime.date) -> QuerySet[ControlOrder]:
    """Active orders whose next stage, starting tomorrow, is at another place (集中隔离 → 居家隔离)."""
    cond = Q(pk__in=[])
    for arm in transfer_arms(day):
        cond |= arm
    # No test of the end day: a stage starting tomorrow lies before the end (an extension only adds days), and
    # without it each arm is three equalities on the (status, protocol, start_day) index.
    return qs.filter(cond, status=OrderStatus.ACTIVE)


def first_transfers_tomorrow(
    qs: QuerySet[ControlOrder], day: datetime.date, limit: int
) -> list[ControlOrder]:
    """The first `limit` of `transfers_tomorrow` by id, one indexed query per arm (each walks its index range in
    id order and stops at `limit`), merged: a page needs a few names, not every match sorted."""
    found: list[ControlOrder] = []
    for arm in transfer_arms(day):
        found.extend(qs.filter(arm, status=OrderStatus.ACTIVE).order_by("id")[:limit])
    return sorted(found, key=lambda o: o.pk)[:limit]


def releases_due(qs: QuerySet[ControlOrder], day: datetime.date) -> QuerySet[ControlOrder]:
    """Active orders whose last day is over, annotated `missing` (planned tests without a negative result)."""
    return qs.filter(status=OrderStatus.ACTIVE, end_day__lt=day).annotate(
        missing=Count("tests", filter=Q(tests__planned=True) & ~Q(tests__result=TestResult.NEGATIVE))
    )


def _asked_and_done(qs: QuerySet[ControlOrder], day: datetime.date) -> QuerySet[ControlOrder]:
    """The orders of `qs` asked for follow-ups on `day`, annotated `asked` and `done` (recorded that day)."""
    done = (
        FollowUp.objects.filter(order=OuterRef("pk"), day=day)
        .order_by()
        .values("order")
        .annotate(n=Count("id"))
        .values("n")
    )
    return (
        with_stage(qs, day)
        .filter(asked__gt=0)  # type: ignore[misc]
        .annotate(done=Coalesce(Subquery(done, output_field=IntegerField()), Value(0)))
    )


def follow_ups_due(qs: QuerySet[ControlOrder], day: datetime.date) -> QuerySet[ControlOrder]:
    """Active orders that need follow-ups on `day`, annotated `asked` and `done` (recorded)."""
    return _asked_and_done(qs.filter(status=OrderStatus.ACTIVE), day)


def follow_up_totals(qs: QuerySet[ControlOrder], day: datetime.date) -> tuple[int, int]:
    """(asked, done) follow-ups of `day` over `qs` (done counts at most what was asked of each order)."""
    _, asked, done = _summary(_asked_and_done(qs, day))
    return asked, done


def follow_ups_due_summary(qs: QuerySet[ControlOrder], day: datetime.date) -> tuple[int, int, int]:
    """(orders, asked, done) of `follow_ups_due(qs, day)` in one query: the follow-up page's length and totals."""
    return _summary(follow_ups_due(qs, day))


def _summary(due: QuerySet[ControlOrder]) -> tuple[int, int, int]:
    rows = due.order_by().aggregate(
        orders=Count("id"), total_asked=Sum("asked"), total_done=Sum(Least("done", "asked"))
    )
    return int(rows["orders"] or 0), int(rows["total_asked"] or 0), int(rows["total_done"] or 0)


def follow_up_totals_by_region(qs: QuerySet[ControlOrder], day: datetime.date) -> dict[int, tuple[int, int]]:
    """{region id: (asked, done)} of `day` over `qs`, from one grouped query (a page breaks it down by unit)."""
    rows = (
        _asked_and_done(qs, day)
        .order_by()
        .values("region_id")
        .annotate(total_asked=Sum("asked"), total_done=Sum(Least("done", "asked")))
    )
    return {r["region_id"]: (int(r["total_asked"] or 0), int(r["total_done"] or 0)) for r in rows}
