"""Every change in control: `check_*` validate, `do_*` save and audit in one transaction.

Public actions other apps (and the lead's wiring of the testing app) call: `do_start_order`,
`do_start_for_measure`, `do_record_test_results`, `do_start_orders_for_pool`, `do_find_again`.
"""

from __future__ import annotations

import datetime
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any
from typing import Protocol as TypingProtocol

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils.translation import gettext as _

from fangkong.accounts.access import within
from fangkong.accounts.models import User
from fangkong.accounts.permissions import Role
from fangkong.audit.actions import record, record_many
from fangkong.audit.models import AuditAction
from fangkong.control import counts
from fangkong.control.models import (
    FEVER,
    STAGE_RANK,
    SYMPTOMS,
    ContactKind,
    ContactLink,
    ControlOrder,
    ControlSettings,
    DueTest,
    FollowUp,
    IsolationSite,
    OrderStatus,
    PlaceKind,
    PlaceType,
    Protocol,
    ProtocolStage,
    Reason,
    RetroTask,
    Room,
    SiteStatus,
    StageKind,
    Stay,
    TestResult,
    Transfer,
    Trigger,
)
from fangkong.lib.dates import event_day_error
from fangkong.lib.reporting_day import local_date
from fangkong.people.models import Person
from fangkong.regions.models import Level, Region

# ---------------------------------------------------------------------------------------------------
# Protocols

_KIND_WORDS = {
    "集中隔离": (StageKind.CENTRAL_ISOLATION, PlaceKind.SITE),
    "central_isolation": (StageKind.CENTRAL_ISOLATION, PlaceKind.SITE),
    "居家隔离": (StageKind.HOME_ISOLATION, PlaceKind.HOME),
    "home_isolation": (StageKind.HOME_ISOLATION, PlaceKind.HOME),
    "居家健康监测": (StageKind.HEALTH_MONITORING, PlaceKind.HOME),
    "健康监测": (StageKind.HEALTH_MONITORING, PlaceKind.ANYWHERE),
    "health_monitoring": (StageKind.HEALTH_MONITORING, PlaceKind.ANYWHERE),
}
_STAGE_LINE = re.compile(r"^\s*(\S+)\s+(\d{1,3})\s*(?:天|d)?\s*([\d,，\s]*?)\s*(?:[/／]\s*(\d))?\s*$")


@dataclass(frozen=True)
class StageInput:
    kind: str
    place: str
    days: int
    test_days: tuple[int, ...]
    follow_ups_per_day: int


def parse_stages(text: str) -> list[StageInput]:
    """One stage per line: `集中隔离 14 1,4,7,14` or `居家隔离 7 2,7 /2` (kind, days, test days, follow-ups a day).

    Home stages default to one follow-up a day, centralized isolation to none (the site staff check)."""
    stages: list[StageInput] = []
    errors: list[str] = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        match = _STAGE_LINE.match(line)
        kind_place = _KIND_WORDS.get(match.group(1)) if match else None
        if match is None or kind_place is None:
            errors.append(
                _("Line %(n)d: write the kind (集中隔离, 居家隔离, 健康监测), the days and the test days.")
                % {"n": number}
            )
            continue
        days = int(match.group(2))
        tests = tuple(sorted({int(t) for t in re.split(r"[,，\s]+", match.group(3)) if t}))
        if not 1 <= days <= 60:
            errors.append(_("Line %(n)d: a stage lasts 1 to 60 days.") % {"n": number})
        elif any(t < 1 or t > days for t in tests):
            errors.append(_("Line %(n)d: test days must lie within the stage.") % {"n": number})
        kind, place = kind_place
        follow = int(match.group(4)) if match.group(4) else (0 if place == PlaceKind.SITE else 1)
        stages.append(StageInput(kind, place, days, tests, min(follow, 2)))
    if not stages and not errors:
        errors.append(_("Enter at least one stage."))
    if errors:
        raise ValidationError({"stages": errors})
    return stages


@transaction.atomic
def do_create_protocol(
    actor: User | None,
    *,
    code: str,
    name: str,
    edition: str,
    lookback_days: int,
    stages: list[StageInput],
) -> Protocol:
    """A new protocol, or a new version of the protocol `code`; versions are never changed afterwards."""
    code, name = code.strip(), name.strip()
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]{1,39}", code):
        raise ValidationError({"code": _("Use 2 to 40 lower-case letters, digits and hyphens.")})
    if not name:
        raise ValidationError({"name": _("Enter the name.")})
    if not 1 <= lookback_days <= 60:
        raise ValidationError({"lookback_days": _("The lookback is 1 to 60 days.")})
    last = Protocol.objects.select_for_update().filter(code=code).aggregate(v=Max("version"))["v"] or 0
    protocol = Protocol.objects.create(
        code=code,
        version=last + 1,
        name=name,
        edition=edition.strip(),
        lookback_days=lookback_days,
        created_by=actor,
    )
    for position, stage in enumerate(stages):
        ProtocolStage.objects.create(
            protocol=protocol,
            position=position,
            kind=stage.kind,
            place=stage.place,
            days=stage.days,
            test_days=list(stage.test_days),
            follow_ups_per_day=stage.follow_ups_per_day,
        )
    record(
        actor,
        AuditAction.CREATE,
        obj=protocol,
        changes={"code": [None, code], "version": [None, protocol.version], "stages": [None, len(stages)]},
    )
    return protocol


TRIGGER_KEYS = {
    **{f"reason:{r.value}": r.label for r in Reason},
    "measure:centralized_isolation": "集中隔离",
    "measure:home_isolation": "居家隔离",
    "measure:health_monitoring": "健康监测",
}


@transaction.atomic
def do_point_trigger(actor: User, key: str, protocol: Protocol) -> Trigger:
    if key not in TRIGGER_KEYS and not key.startswith("measure:"):
        raise ValidationError({"key": _("Unknown trigger.")})
    trigger, _created = Trigger.objects.select_for_update().get_or_create(
        key=key, defaults={"protocol": protocol}
    )
    before = trigger.protocol_id
    trigger.protocol = protocol
    trigger.save(update_fields=["protocol"])
    record(actor, AuditAction.UPDATE, obj=protocol, changes={key: [before, protocol.pk]}, label=key)
    return trigger


def protocol_for(key: str) -> Protocol | None:
    trigger = Trigger.objects.select_related("protocol").filter(key=key).first()
    return trigger.protocol if trigger else None


# ---------------------------------------------------------------------------------------------------
# Orders


def _stage_rank(
    order_like: tuple[Protocol, datetime.date, datetime.date], day: datetime.date
) -> tuple[int, int]:
    protocol, start, end = order_like
    index = protocol.plan.stage_index(start, day, end)
    if index is None:
        # Not yet started (a start ahead) counts by its first stage; over counts as nothing.
        rank = STAGE_RANK[StageKind(protocol.plan.stages[0].kind)] if day < start else 0
    else:
        rank = STAGE_RANK[StageKind(protocol.plan.stages[index].kind)]
    return rank, end.toordinal()


def _plan_tests(order: ControlOrder) -> None:
    """(Re)create the planned pending tests of `order`; results already recorded stay."""
    order.tests.filter(planned=True, result="").delete()
    have = set(order.tests.values_list("day", flat=True))
    DueTest.objects.bulk_create(
        DueTest(order=order, stage=stage, day=day)
        for stage, day in order.protocol.plan.test_dates(order.start_day)
        if day not in have
    )


def grid_worker_for(region: Region) -> User | None:
    """The first active grid worker of a grid (a person at village level has none yet)."""
    if region.level != Level.GRID:
        return None
    return User.objects.filter(region=region, role=Role.GRID_WORKER, is_active=True).order_by("id").first()


@transaction.atomic
def do_start_order(
    actor: User | None,
    person: Person,
    *,
    reason: str,
    protocol: Protocol,
    start_day: datetime.date,
    now: datetime.datetime,
    source_ref: str = "",
    grid_worker: User | None = None,
) -> ControlOrder:
    """Put `person` under `protocol` from `start_day` (which may lie in the past), or upgrade/extend the
    person's active order: the stricter measure on today wins (then the later end), dates are recomputed,
    and there is never a second active order."""
    if reason not in Reason.values:
        raise ValidationError({"reason": _("Choose a reason.")})
    if error := event_day_error(start_day, today=local_date(now)):
        raise ValidationError({"start_day": error})
    if not protocol.plan.stages:
        raise ValidationError({"protocol": _("This protocol has no stages.")})
    today = local_date(now)
    end_day = protocol.plan.end_day(start_day)
    person = Person.objects.select_for_update().get(pk=person.pk)  # serialises two starts for one person
    current = ControlOrder.objects.filter(person=person, status=OrderStatus.ACTIVE).first()
    if current is not None:
        old = (current.protocol, current.start_day, current.end_day)
        if _stage_rank((protocol, start_day, end_day), today) <= _stage_rank(old, today):
            record(
                actor,
                AuditAction.UPDATE,
                obj=current,
                changes={"reason": [current.reason, reason]},
                note=_("New reason recorded; the current measure is as strict or stricter."),
                now=now,
            )
            return current
        snapshot = counts.Snapshot.of(current)
        before = {
            "protocol": str(current.protocol),
            "start_day": str(current.start_day),
            "end": str(current.end_day),
        }
        current.protocol, current.start_day, current.end_day = protocol, start_day, end_day
        current.extra_days, current.reason = 0, reason
        current.source_ref = (source_ref or current.source_ref)[:120]
        current.held, current.held_note = False, ""
        current.save()
        counts.apply(snapshot, counts.Snapshot.of(current))
        _plan_tests(current)
        after = {"protocol": str(protocol), "start_day": str(start_day), "end": str(end_day)}
        record(
            actor,
            AuditAction.UPDATE,
            obj=current,
            changes={k: [before[k], after[k]] for k in before},
            note=_("Upgraded by a stricter reason."),
            now=now,
        )
        return current
    order = ControlOrder(
        person=person,
        region=person.region,
        grid_worker=grid_worker or grid_worker_for(person.region),
        reason=reason,
        source_ref=source_ref[:120],
        protocol=protocol,
        start_day=start_day,
        end_day=end_day,
        created_at=now,
        created_by=actor,
    )
    if end_day < today:
        # A start so far back that the whole protocol lies in the past: nothing left to control.
        raise ValidationError({"start_day": _("The whole protocol would already be over.")})
    try:
        with transaction.atomic():
            order.save()
    except IntegrityError:  # pragma: no cover - the person row lock makes this unreachable
        raise ValidationError({"person": _("This person already has an active control order.")}) from None
    counts.apply(None, counts.Snapshot.of(order))
    _plan_tests(order)
    record(
        actor,
        AuditAction.CREATE,
        obj=order,
        region=order.region,
        changes={
            "reason": [None, reason],
            "protocol": [None, str(protocol)],
            "start_day": [None, str(start_day)],
        },
        now=now,
    )
    return order


def do_start_for_measure(
    actor: User | None,
    person_id: int,
    *,
    measure_code: str,
    reason: str,
    start_day: datetime.date,
    source_ref: str,
    now: datetime.datetime,
    grid_worker_id: int | None = None,
) -> ControlOrder | None:
    """Start the protocol a classification measure points to (none for "no control needed")."""
    protocol = protocol_for(f"measure:{measure_code}")
    if protocol is None:
        return None
    person = Person.objects.get(pk=person_id)
    worker = User.objects.filter(pk=grid_worker_id, is_active=True).first() if grid_worker_id else None
    today = local_date(now)
    if protocol.plan.end_day(start_day) < today:
        return None  # came back long ago: the protocol is over
    return do_start_order(
        actor,
        person,
        reason=reason,
        protocol=protocol,
        start_day=min(start_day, today),
        now=now,
        source_ref=source_ref,
        grid_worker=worker,
    )


def do_start_orders_for_pool(
    person_ids: Iterable[int],
    reason: str = Reason.POOL_POSITIVE,
    source_ref: str = "",
    *,
    now: datetime.datetime,
) -> list[ControlOrder]:
    """Every member of a positive pool is put under the protocol of `reason` from today (contract with the
    testing app: the lead connects `testing.signals.pool_positive` here)."""
    protocol = protocol_for(f"reason:{reason}")
    if protocol is None:
        raise ValidationError({"reason": _("No protocol is set for this reason.")})
    orders = []
    for person in Person.objects.filter(pk__in=list(person_ids)).order_by("pk"):
        orders.append(
            do_start_order(
                None,
                person,
                reason=reason,
                protocol=protocol,
                start_day=local_date(now),
                now=now,
                source_ref=str(source_ref),
            )
        )
    return orders


# People locked and read per statement in the bulk start (well under SQLite's variable limit).
BULK_CHUNK = 2000


@transaction.atomic
def do_start_orders_for_pools(
    pools: Mapping[str, Iterable[int]], *, now: datetime.datetime, reason: str = Reason.POOL_POSITIVE
) -> int:
    """The members of several positive pools (source reference → person ids) put under the protocol of
    `reason` from today, in one transaction: the same rules and audit as `do_start_order` for each person.

    The people without an active order (nearly all) get theirs in a handful of statements whatever their
    number; a person who has one goes through `do_start_order` (upgraded, or the new reason recorded). A person
    in two pools gets one order, with the first pool as its source. Returns the number of people handled."""
    protocol = protocol_for(f"reason:{reason}")
    if protocol is None:
        raise ValidationError({"reason": _("No protocol is set for this reason.")})
    if not protocol.plan.stages:
        raise ValidationError({"protocol": _("This protocol has no stages.")})
    source_of: dict[int, str] = {}
    for ref, person_ids in pools.items():
        for pid in person_ids:
            source_of.setdefault(int(pid), str(ref)[:120])
    ids = sorted(source_of)
    today = local_date(now)
    people: dict[int, Person] = {}
    current: set[int] = set()
    for start in range(0, len(ids), BULK_CHUNK):
        part = ids[start : start + BULK_CHUNK]
        # Locked in id order, as `do_start_order` locks one: two starts for a person never interleave.
        people.update(
            (p.pk, p) for p in Person.objects.select_for_update().filter(pk__in=part).order_by("pk")
        )
        current.update(
            ControlOrder.objects.filter(person_id__in=part, status=OrderStatus.ACTIVE).values_list(
                "person_id", flat=True
            )
        )
    for pid in sorted(current):
        do_start_order(
            None,
            people[pid],
            reason=reason,
            protocol=protocol,
            start_day=today,
            now=now,
            source_ref=source_of[pid],
        )
    fresh = [people[pid] for pid in ids if pid in people and pid not in current]
    if not fresh:
        return len(current)
    regions = Region.objects.in_bulk({p.region_id for p in fresh})
    grids = {rid for rid, region in regions.items() if region.level == Level.GRID}
    workers: dict[int, User] = {}
    for worker in User.objects.filter(region_id__in=grids, role=Role.GRID_WORKER, is_active=True).order_by(
        "-id"
    ):
        if worker.region_id is not None:  # the first (lowest id) of each grid wins, as in `grid_worker_for`
            workers[worker.region_id] = worker
    end_day = protocol.plan.end_day(today)
    orders = [
        ControlOrder(
            person=person,
            region=regions[person.region_id],
            grid_worker=workers.get(person.region_id),
            reason=reason,
            source_ref=source_of[person.pk],
            protocol=protocol,
            start_day=today,
            end_day=end_day,
            created_at=now,
            created_by=None,
        )
        for person in fresh
    ]
    ControlOrder.objects.bulk_create(orders, batch_size=500)
    counts.apply_new(orders)
    dates = list(protocol.plan.test_dates(today))
    DueTest.objects.bulk_create(
        (DueTest(order=order, stage=stage, day=day) for order in orders for stage, day in dates),
        batch_size=1000,
    )
    record_many(
        None,
        AuditAction.CREATE,
        (
            (
                order,
                {
                    "reason": [None, reason],
                    "protocol": [None, str(protocol)],
                    "start_day": [None, str(today)],
                },
            )
            for order in orders
        ),
        now=now,
    )
    return len(current) + len(orders)


def _close(
    actor: User, order: ControlOrder, status: str, reason: str, now: datetime.datetime, label: str
) -> ControlOrder:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason.")})
    order = ControlOrder.objects.select_for_update().get(pk=order.pk)
    if order.status != OrderStatus.ACTIVE:
        raise ValidationError({"reason": _("This order is no longer active.")})
    snapshot = counts.Snapshot.of(order)
    order.status, order.closed_on, order.closed_at = status, local_date(now), now
    order.close_reason, order.held = reason[:200], False
    order.save()
    counts.apply(snapshot, counts.Snapshot.of(order))
    order.stays.filter(checked_out_at__isnull=True).update(checked_out_at=now)
    record(
        actor,
        AuditAction.UPDATE,
        obj=order,
        changes={"status": ["active", status]},
        note=reason,
        now=now,
    )
    return order


def missing_tests(order: ControlOrder) -> list[DueTest]:
    """Planned tests up to the end without a negative result (what holds a release)."""
    return [t for t in order.tests.filter(planned=True).order_by("day") if t.result != TestResult.NEGATIVE]


def has_positive(order: ControlOrder) -> bool:
    return order.tests.filter(result=TestResult.POSITIVE).exists()


def do_release(actor: User | None, order: ControlOrder, *, now: datetime.datetime) -> ControlOrder:
    """Release at the end: only with every required test negative. Otherwise the order is held and flagged
    (that flag is saved) and a ValidationError says which tests are missing."""
    order, held_note = _release(actor, order, now)
    if held_note:
        raise ValidationError({"order": held_note})
    return order


@transaction.atomic
def _release(actor: User | None, order: ControlOrder, now: datetime.datetime) -> tuple[ControlOrder, str]:
    order = ControlOrder.objects.select_for_update().get(pk=order.pk)
    today = local_date(now)
    if order.status != OrderStatus.ACTIVE:
        raise ValidationError({"order": _("This order is no longer active.")})
    if today < order.release_day:
        raise ValidationError({"order": _("The protocol runs until %(day)s.") % {"day": order.end_day}})
    missing = missing_tests(order)
    if missing:
        note = _("Missing negative tests: %(days)s") % {"days": ", ".join(str(t.day) for t in missing)}
        if not order.held or order.held_note != note[:200]:
            order.held, order.held_note = True, note[:200]
            order.save(update_fields=["held", "held_note"])
            record(actor, AuditAction.UPDATE, obj=order, changes={"held": [False, True]}, note=note, now=now)
        return order, note
    snapshot = counts.Snapshot.of(order)
    order.status, order.closed_on, order.closed_at = OrderStatus.RELEASED, today, now
    order.held, order.held_note, order.close_reason = False, "", _("Protocol completed")
    order.save()
    counts.apply(snapshot, counts.Snapshot.of(order))
    order.stays.filter(checked_out_at__isnull=True).update(checked_out_at=now)
    record(actor, AuditAction.UPDATE, obj=order, changes={"status": ["active", "released"]}, now=now)
    return order, ""


def do_release_due(now: datetime.datetime) -> tuple[int, int]:
    """The daily sweep: release every order past its end whose tests are all negative; hold the rest.
    Returns (released, held). Safe to run again."""
    today = local_date(now)
    released = held = 0
    for order in ControlOrder.objects.filter(status=OrderStatus.ACTIVE, end_day__lt=today).order_by("pk"):
        try:
            do_release(None, order, now=now)
            released += 1
        except ValidationError:
            held += 1
    return released, held


@transaction.atomic
def do_release_early(
    actor: User, order: ControlOrder, reason: str, *, now: datetime.datetime
) -> ControlOrder:
    return _close(actor, order, OrderStatus.RELEASED, reason, now, "early release")


@transaction.atomic
def do_transfer_to_hospital(
    actor: User, order: ControlOrder, reason: str, *, now: datetime.datetime
) -> ControlOrder:
    order = _close(actor, order, OrderStatus.HOSPITAL, reason, now, "hospital")
    Transfer.objects.create(
        order=order,
        region=order.region,
        from_place=PlaceType.SITE if order.stays.exists() else PlaceType.HOME,
        to_place=PlaceType.HOSPITAL,
        left_at=now,
        created_at=now,
    )
    return order


@transaction.atomic
def do_cancel(actor: User, order: ControlOrder, reason: str, *, now: datetime.datetime) -> ControlOrder:
    return _close(actor, order, OrderStatus.CANCELLED, reason, now, "cancel")


@transaction.atomic
def do_extend(
    actor: User, order: ControlOrder, days: int, reason: str, *, now: datetime.datetime
) -> ControlOrder:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason.")})
    if not 1 <= days <= 30:
        raise ValidationError({"days": _("Extend by 1 to 30 days.")})
    order = ControlOrder.objects.select_for_update().get(pk=order.pk)
    if order.status != OrderStatus.ACTIVE:
        raise ValidationError({"reason": _("This order is no longer active.")})
    before = order.end_day
    snapshot = counts.Snapshot.of(order)
    order.extra_days += days
    order.end_day = order.plan.end_day(order.start_day, order.extra_days)
    order.held, order.held_note = False, ""
    order.save()
    counts.apply(snapshot, counts.Snapshot.of(order))
    record(
        actor,
        AuditAction.UPDATE,
        obj=order,
        changes={"end_day": [str(before), str(order.end_day)]},
        note=reason,
        now=now,
    )
    return order


class ResultLike(TypingProtocol):
    """The attributes of `testing.public.PersonResult` (duck-typed: control does not import testing)."""

    @property
    def person_id(self) -> int: ...

    @property
    def sampled_on(self) -> datetime.date: ...

    @property
    def result(self) -> str: ...

    @property
    def resulted_at(self) -> datetime.datetime: ...

    @property
    def sample_uuid(self) -> Any: ...


@transaction.atomic
@transaction.atomic
def do_record_test_results(
    results: Iterable[ResultLike], now: datetime.datetime, actor: User | None = None
) -> int:
    """File results against the due tests of each person's active order (a result for another day is kept as
    an unplanned test). Returns how many results landed on an order. Safe to replay.

    Set-based: the orders and their tests are read a chunk of people at a time, the changed tests written with
    one bulk update and one bulk insert, their audit events in one statement (an import brings 100,000 results,
    most of them for people under no order)."""
    results = [r for r in results if r.result in TestResult.values]
    people = sorted({r.person_id for r in results})
    orders: dict[int, ControlOrder] = {}
    for start in range(0, len(people), BULK_CHUNK):
        orders.update(
            (o.subject_id, o)
            for o in ControlOrder.objects.filter(
                person_id__in=people[start : start + BULK_CHUNK], status=OrderStatus.ACTIVE
            ).select_related("person", "protocol", "region")
        )
    if not orders:
        return 0
    order_ids = sorted(o.pk for o in orders.values())
    tests: dict[tuple[int, datetime.date], list[DueTest]] = defaultdict(list)
    for start in range(0, len(order_ids), BULK_CHUNK):
        for test in DueTest.objects.filter(order_id__in=order_ids[start : start + BULK_CHUNK]).order_by(
            "-planned", "id"
        ):
            tests[(test.order_id, test.day)].append(test)
    changed: dict[int, DueTest] = {}
    created: list[DueTest] = []
    events: list[tuple[ControlOrder, dict[str, list[Any]]]] = []
    touched: dict[int, ControlOrder] = {}
    for r in results:
        order = orders.get(r.person_id)
        if order is None:
            continue
        same_day = tests[(order.pk, r.sampled_on)]
        if same_day:
            test = same_day[0]
        else:
            index = order.stage_index_on(r.sampled_on)
            test = DueTest(order=order, stage=index or 0, day=r.sampled_on, planned=False)
            same_day.append(test)
            created.append(test)
        if test.result == r.result and test.sample_uuid == r.sample_uuid:
            continue
        before = test.result
        test.result, test.resulted_at, test.sample_uuid, test.recorded_by = (
            r.result,
            r.resulted_at,
            r.sample_uuid,
            actor,
        )
        if test.pk is not None:
            changed[test.pk] = test
        events.append((order, {f"test {r.sampled_on}": [before, r.result]}))
        touched[order.pk] = order
    DueTest.objects.bulk_update(
        list(changed.values()), ["result", "resulted_at", "sample_uuid", "recorded_by"], batch_size=500
    )
    DueTest.objects.bulk_create(created, batch_size=1000)
    record_many(actor, AuditAction.UPDATE, events, now=now)
    for order in touched.values():
        if order.held and not missing_tests(order):
            order.held, order.held_note = False, ""
            order.save(update_fields=["held", "held_note"])
    return len(events)


@dataclass(frozen=True)
class HandResult:
    """A result typed by staff from outside the system (a hospital certificate)."""

    person_id: int
    sampled_on: datetime.date
    result: str
    resulted_at: datetime.datetime
    sample_uuid: Any = None


def check_hand_result(
    order: ControlOrder, sampled_on: datetime.date | None, result: str, now: datetime.datetime
) -> HandResult:
    if sampled_on is None:
        raise ValidationError({"sampled_on": _("Enter the sampling day.")})
    if error := event_day_error(sampled_on, today=local_date(now)):
        raise ValidationError({"sampled_on": error})
    if sampled_on > local_date(now):
        raise ValidationError({"sampled_on": _("A sample cannot be taken in the future.")})
    if result not in TestResult.values:
        raise ValidationError({"result": _("Choose the result.")})
    return HandResult(order.subject_id, sampled_on, result, now)


# ---------------------------------------------------------------------------------------------------
# Follow-ups


def check_follow_up(temperature: str, symptoms: list[str]) -> tuple[Decimal, list[str]]:
    try:
        value = Decimal(str(temperature).strip()).quantize(Decimal("0.1"))
    except (InvalidOperation, ValueError):
        raise ValidationError({"temperature": _("Enter the temperature, e.g. 36.5.")}) from None
    if not Decimal("34.0") <= value <= Decimal("43.0"):
        raise ValidationError({"temperature": _("A body temperature lies between 34.0 and 43.0 °C.")})
    known = {code for code, _label in SYMPTOMS}
    if any(s not in known for s in symptoms):
        raise ValidationError({"symptoms": _("Unknown symptom.")})
    return value, sorted(set(symptoms))


@transaction.atomic
def do_record_follow_up(
    actor: User,
    order: ControlOrder,
    *,
    temperature: str,
    symptoms: list[str],
    at_home: bool,
    note: str = "",
    now: datetime.datetime,
) -> FollowUp:
    """Record a follow-up; a fever (≥ 37.3 °C) or any symptom alerts the township and the command office at
    once (an urgent report linking the order) and proposes a transfer to a fever clinic."""
    value, symptoms = check_follow_up(temperature, symptoms)
    # Lock the order only: its person is an outer join (anonymised orders have none), which PostgreSQL cannot lock.
    order = (
        ControlOrder.objects.select_for_update(of=("self",))
        .select_related("person", "region")
        .get(pk=order.pk)
    )
    if order.status != OrderStatus.ACTIVE:
        raise ValidationError({"temperature": _("This order is no longer active.")})
    alert = value >= Decimal(str(FEVER)) or bool(symptoms)
    recorded_before = FollowUp.objects.filter(order=order, day=local_date(now)).count()
    follow_up = FollowUp.objects.create(
        order=order,
        region=order.region,
        day=local_date(now),
        temperature=value,
        symptoms=symptoms,
        at_home=at_home,
        note=(note or "").strip()[:200],
        alert=alert,
        recorded_at=now,
        recorded_by=actor,
    )
    counts.follow_up_recorded(order, follow_up.day, recorded_before)
    record(
        actor,
        AuditAction.CREATE,
        obj=follow_up,
        region=order.region,
        changes={"temperature": [None, str(value)], "symptoms": [None, ",".join(symptoms)]},
        now=now,
    )
    if alert:
        _alert(actor, order, follow_up, now)
    return follow_up


def _masked_name(name: str) -> str:
    return name[:1] + "*" * max(len(name) - 1, 1)


def _alert(actor: User, order: ControlOrder, follow_up: FollowUp, now: datetime.datetime) -> None:
    from fangkong.reporting.actions import do_send_urgent, notify

    link = reverse("control:order", args=[order.uuid])
    text = _("Follow-up alert: %(name)s, %(temp)s °C, symptoms: %(symptoms)s. Order: %(link)s") % {
        "name": order.subject.name[:1] + "*" * max(len(order.subject.name) - 1, 1),
        "temp": follow_up.temperature,
        "symptoms": "、".join(follow_up.symptom_labels) or _("none"),
        "link": link,
    }
    township = order.region.ancestor_at(Level.TOWNSHIP) or order.region
    do_send_urgent(actor, township, "abnormal", text, now=now)
    cadres = User.objects.filter(within(township), role=Role.TOWNSHIP_CADRE, is_active=True)
    notify(cadres.values_list("pk", flat=True), text, link, now)
    if not order.transfers.filter(to_place=PlaceType.FEVER_CLINIC, arrived_at__isnull=True).exists():
        Transfer.objects.create(
            order=order,
            region=order.region,
            from_place=PlaceType.HOME,
            to_place=PlaceType.FEVER_CLINIC,
            proposed=True,
            created_at=now,
        )


# ---------------------------------------------------------------------------------------------------
# Sites, rooms and transfers


@transaction.atomic
def do_create_site(
    actor: User, *, region: Region, name: str, address: str, rooms: list[str]
) -> IsolationSite:
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Enter the name.")})
    numbers = [r.strip() for r in rooms if r.strip()]
    if not numbers:
        raise ValidationError({"rooms": _("Enter at least one room.")})
    if len(set(numbers)) != len(numbers):
        raise ValidationError({"rooms": _("A room number is listed twice.")})
    site = IsolationSite.objects.create(region=region, name=name, address=(address or "").strip())
    Room.objects.bulk_create(Room(site=site, number=n) for n in numbers)
    record(actor, AuditAction.CREATE, obj=site, changes={"name": [None, name], "rooms": [None, len(numbers)]})
    return site


@transaction.atomic
def do_set_site_status(actor: User, site: IsolationSite, status: str) -> IsolationSite:
    if status not in SiteStatus.values:
        raise ValidationError({"status": _("Choose a status.")})
    before = site.status
    site.status = status
    site.save(update_fields=["status"])
    record(actor, AuditAction.UPDATE, obj=site, changes={"status": [before, status]})
    return site


@transaction.atomic
def do_set_site_staff(actor: User, site: IsolationSite, staff: Iterable[User]) -> IsolationSite:
    """Who works at the site (their shifts are rostered in the duty app): active users of the site's unit."""
    members = sorted({u.pk: u for u in staff}.values(), key=lambda u: u.pk)
    outside = [
        u
        for u in members
        if not u.is_active or u.region is None or not u.region.path.startswith(site.region.path)
    ]
    if outside:
        raise ValidationError({"staff": _("Staff must be active users of the site's unit.")})
    before = sorted(site.staff.values_list("username", flat=True))
    site.staff.set(members)
    record(
        actor,
        AuditAction.UPDATE,
        obj=site,
        changes={"staff": [before, sorted(u.username for u in members)]},
    )
    return site


ROOM_TAKEN = _("The last free room was just taken by another check-in. Choose another site.")


def do_check_in(
    actor: User,
    order: ControlOrder,
    site: IsolationSite,
    *,
    now: datetime.datetime,
    family_stay: Stay | None = None,
    family: Iterable[ControlOrder] = (),
) -> Stay:
    """Assign a free room of `site` (or join a family member's room), and put the `family` (other orders) in
    the same room. Two check-ins racing for the last room: the site row lock orders them and the unique open
    stay per room backs it, so one wins and the other gets a clear message. All or nothing."""
    members = [o for o in family if o.pk != order.pk]
    try:
        with transaction.atomic():
            stay = _check_in(actor, order, site, now=now, family_stay=family_stay)
            head = family_stay or stay
            for member in members:
                _check_in(actor, member, site, now=now, family_stay=head)
            return stay
    except IntegrityError:
        raise ValidationError({"site": str(ROOM_TAKEN)}) from None


def _check_in(
    actor: User, order: ControlOrder, site: IsolationSite, *, now: datetime.datetime, family_stay: Stay | None
) -> Stay:
    site = IsolationSite.objects.select_for_update().get(pk=site.pk)
    if site.status != SiteStatus.OPEN:
        raise ValidationError({"site": _("This site is not open.")})
    order = ControlOrder.objects.select_for_update().get(pk=order.pk)
    if order.status != OrderStatus.ACTIVE:
        raise ValidationError({"site": _("This order is no longer active.")})
    if order.stays.filter(checked_out_at__isnull=True).exists():
        raise ValidationError(
            {"site": _("%(name)s is already checked in.") % {"name": _masked_name(order.subject.name)}}
        )
    room: Room | None
    if family_stay is not None:
        if family_stay.checked_out_at is not None or family_stay.room.site_id != site.pk:
            raise ValidationError({"site": _("That family member is no longer in a room of this site.")})
        room = family_stay.room
    else:
        room = (
            Room.objects.filter(site=site)
            .exclude(pk__in=Stay.objects.filter(checked_out_at__isnull=True).values("room_id"))
            .order_by("number", "id")
            .first()
        )
        if room is None:
            raise ValidationError({"site": _("No free room is left at this site.")})
    stay = Stay.objects.create(
        order=order,
        room=room,
        region=order.region,
        checked_in_at=now,
        family_of=(family_stay.family_of or family_stay) if family_stay is not None else None,
    )
    record(
        actor, AuditAction.CREATE, obj=stay, region=order.region, changes={"room": [None, str(room)]}, now=now
    )
    return stay


@transaction.atomic
def do_check_out(actor: User, stay: Stay, *, now: datetime.datetime) -> Stay:
    stay = Stay.objects.select_for_update().get(pk=stay.pk)
    if stay.checked_out_at is not None:
        raise ValidationError({"stay": _("Already checked out.")})
    stay.checked_out_at = now
    stay.save(update_fields=["checked_out_at"])
    record(actor, AuditAction.UPDATE, obj=stay, changes={"checked_out_at": [None, now.isoformat()]}, now=now)
    return stay


@transaction.atomic
def do_record_transfer(
    actor: User,
    order: ControlOrder,
    *,
    from_place: str,
    to_place: str,
    vehicle: str,
    escort: str,
    left_at: datetime.datetime | None,
    arrived_at: datetime.datetime | None,
    now: datetime.datetime,
) -> Transfer:
    if from_place not in PlaceType.values or to_place not in PlaceType.values or from_place == to_place:
        raise ValidationError({"to_place": _("Choose two different places.")})
    if left_at is None:
        raise ValidationError({"left_at": _("Enter when the transfer left.")})
    if arrived_at is not None and arrived_at < left_at:
        raise ValidationError({"arrived_at": _("Arrival cannot be before leaving.")})
    if left_at > now + datetime.timedelta(hours=1):
        raise ValidationError({"left_at": _("This time lies in the future.")})
    transfer = Transfer.objects.create(
        order=order,
        region=order.region,
        from_place=from_place,
        to_place=to_place,
        vehicle=(vehicle or "").strip()[:40],
        escort=(escort or "").strip()[:60],
        left_at=left_at,
        arrived_at=arrived_at,
        created_at=now,
    )
    record(
        actor,
        AuditAction.CREATE,
        obj=transfer,
        region=order.region,
        changes={"to": [None, to_place]},
        now=now,
    )
    return transfer


@transaction.atomic
def do_arrive(actor: User, transfer: Transfer, *, now: datetime.datetime) -> Transfer:
    transfer = Transfer.objects.select_for_update().get(pk=transfer.pk)
    if transfer.arrived_at is not None:
        raise ValidationError({"arrived_at": _("Already arrived.")})
    if transfer.left_at is None:
        transfer.left_at = now
    transfer.arrived_at, transfer.proposed = now, False
    transfer.save(update_fields=["left_at", "arrived_at", "proposed"])
    record(actor, AuditAction.UPDATE, obj=transfer, changes={"arrived_at": [None, now.isoformat()]}, now=now)
    return transfer


@transaction.atomic
def do_set_transfer_hours(actor: User, hours: int, *, now: datetime.datetime) -> ControlSettings:
    """The command office sets after how many hours an unfinished closed-loop transfer is flagged."""
    if not 1 <= hours <= 72:
        raise ValidationError({"transfer_hours": _("Set 1 to 72 hours.")})
    current = ControlSettings.objects.select_for_update().filter(pk=1).first() or ControlSettings(pk=1)
    before = current.transfer_hours if current.changed_at else None
    current.transfer_hours, current.changed_at, current.changed_by = hours, now, actor
    current.save()
    record(actor, AuditAction.UPDATE, obj=current, changes={"transfer_hours": [before, hours]}, now=now)
    return current


# ---------------------------------------------------------------------------------------------------
# Referrals from checkpoints and clinics (closed loop to a fever clinic)


def _unit_for_person(region: Region) -> Region:
    """A person belongs to a village or a grid; a checkpoint standing for a township places the traveller in
    its first village (by code), inside the township that sees and reassigns them."""
    if region.level in (Level.VILLAGE, Level.GRID):
        return region
    village = Region.objects.within(region).filter(level=Level.VILLAGE).order_by("code").first()
    if village is None:
        raise ValidationError({"region": _("No village lies under %(unit)s.") % {"unit": region.name}})
    return village


def do_find_or_register_traveller(
    actor: User | None, *, name: str, document_number: str, phone: str, region: Region
) -> Person:
    """The person a traveller is: the active person holding the document number (of any document type),
    else a new person registered through the people app."""
    from fangkong.people.actions import do_register_person
    from fangkong.people.models import DocumentType

    number = (document_number or "").strip().upper().replace(" ", "")
    if number:
        found = Person.objects.active().filter(document_number=number).order_by("pk").first()
        if found is not None:
            return found
    is_resident_id = len(number) == 18 and number[:17].isdigit()
    label = (name or "").strip() or _("Traveller %(tail)s") % {"tail": number[-4:] or "—"}
    person, _created = do_register_person(
        actor,
        name=label,
        region=_unit_for_person(region),
        document_type=DocumentType.RESIDENT_ID if is_resident_id or not number else DocumentType.OTHER,
        document_number=number,
        phone=phone,
    )
    return person


@transaction.atomic
def do_refer_to_fever_clinic(
    actor: User | None,
    person: Person,
    *,
    from_place: str,
    to_name: str,
    left_at: datetime.datetime | None,
    source_ref: str,
    now: datetime.datetime,
) -> ControlOrder | None:
    """A referral (checkpoint or clinic): start or upgrade the person's order with reason REFERRAL from today,
    and a closed-loop transfer to a fever clinic — started at `left_at`, or proposed when None. One open
    transfer to a fever clinic per order: a second referral does not add another. None when no protocol is
    set for referrals."""
    protocol = protocol_for(f"reason:{Reason.REFERRAL.value}")
    if protocol is None:
        return None
    order = do_start_order(
        actor,
        person,
        reason=Reason.REFERRAL,
        protocol=protocol,
        start_day=local_date(now),
        now=now,
        source_ref=source_ref,
    )
    if order.transfers.filter(to_place=PlaceType.FEVER_CLINIC, arrived_at__isnull=True).exists():
        return order
    transfer = Transfer.objects.create(
        order=order,
        region=order.region,
        from_place=from_place,
        to_place=PlaceType.FEVER_CLINIC,
        to_name=(to_name or "").strip()[:100],
        proposed=left_at is None,
        left_at=left_at,
        created_at=now,
    )
    record(
        actor,
        AuditAction.CREATE,
        obj=transfer,
        region=order.region,
        changes={"from": [None, from_place], "to": [None, PlaceType.FEVER_CLINIC.value]},
        note=source_ref,
        now=now,
    )
    return order


# ---------------------------------------------------------------------------------------------------
# Close contacts


@transaction.atomic
def do_add_contact(
    actor: User,
    index_person: Person,
    *,
    name: str,
    document_number: str,
    phone: str,
    region: Region,
    kind: str,
    last_exposure: datetime.date | None,
    place: str,
    now: datetime.datetime,
) -> ContactLink:
    """Link a contact to an index person (matched or registered through the people app) and start the
    contact's order from the last exposure."""
    from fangkong.people.actions import do_register_person

    if kind not in ContactKind.values:
        raise ValidationError({"kind": _("Choose the kind of contact.")})
    if last_exposure is None:
        raise ValidationError({"last_exposure": _("Enter the day of last exposure.")})
    if error := event_day_error(last_exposure, today=local_date(now)):
        raise ValidationError({"last_exposure": error})
    if last_exposure > local_date(now):
        raise ValidationError({"last_exposure": _("The exposure cannot lie in the future.")})
    contact, _created = do_register_person(
        actor, name=name, region=region, document_number=document_number, phone=phone
    )
    if contact.pk == index_person.pk:
        raise ValidationError({"document_number": _("A person is not their own contact.")})
    if ContactLink.objects.filter(index_person=index_person, contact=contact).exists():
        raise ValidationError({"document_number": _("This contact is already linked.")})
    link = ContactLink.objects.create(
        index_person=index_person,
        contact=contact,
        region=contact.region,
        kind=kind,
        last_exposure=last_exposure,
        place=(place or "").strip()[:200],
        created_at=now,
        created_by=actor,
    )
    record(
        actor, AuditAction.CREATE, obj=link, region=contact.region, changes={"kind": [None, kind]}, now=now
    )
    reason = Reason.CLOSE_CONTACT if kind == ContactKind.CLOSE else Reason.SECONDARY_CONTACT
    protocol = protocol_for(f"reason:{reason.value}")
    if protocol is not None and protocol.plan.end_day(last_exposure) >= local_date(now):
        do_start_order(
            actor,
            contact,
            reason=reason,
            protocol=protocol,
            start_day=last_exposure,
            now=now,
            source_ref=str(link.uuid),
        )
    return link


# ---------------------------------------------------------------------------------------------------
# Retroactive risk areas


@transaction.atomic
def do_find_again(actor: Any, area_ids: list[int], now: datetime.datetime) -> list[RetroTask]:
    """A medium/high-risk area was published: everyone who came from it within the lookback (the longest of
    the active protocols) is classified again, gets the order of the new measure and a task for their grid
    worker."""
    from fangkong.screening.public import find_again

    lookback = Protocol.objects.filter(active=True).aggregate(m=Max("lookback_days"))["m"] or 14
    tasks = []
    for found in find_again(actor, area_ids, lookback, now):
        order = do_start_for_measure(
            actor if isinstance(actor, User) else None,
            found.person_id,
            measure_code=found.measure_code,
            reason=Reason.RETURNEE,
            start_day=found.returned_on,
            source_ref=str(found.report_uuid),
            now=now,
            grid_worker_id=found.grid_worker_id,
        )
        region = Region.objects.get(pk=found.region_id)
        task = RetroTask.objects.create(
            person_id=found.person_id,
            region=region,
            grid_worker=order.grid_worker if order else grid_worker_for(region),
            area_name=found.area_name[:200],
            returned_on=found.returned_on,
            measure_code=found.measure_code,
            order=order,
            created_at=now,
        )
        record(
            actor if isinstance(actor, User) else None,
            AuditAction.CREATE,
            obj=task,
            region=region,
            changes={"measure_code": [found.previous_code, found.measure_code]},
            now=now,
        )
        tasks.append(task)
    return tasks


@transaction.atomic
def do_finish_task(actor: User, task: RetroTask, *, now: datetime.datetime) -> RetroTask:
    task = RetroTask.objects.select_for_update().get(pk=task.pk)
    if task.done_at is not None:
        raise ValidationError({"task": _("This task is already done.")})
    task.done_at = now
    task.save(update_fields=["done_at"])
    record(actor, AuditAction.UPDATE, obj=task, changes={"done_at": [None, now.isoformat()]}, now=now)
    return task
