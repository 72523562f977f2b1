"""Every change to testing records: `check_*` validates, `do_*` saves and audits in one transaction.

Time-dependent actions take `now`. The bulk paths (`do_register_pools`, `do_import_results`) call the same
checks as the scanner page and the API, on whole batches at a time.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
import re
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from fangkong.accounts.access import has_perm, in_jurisdiction, jurisdiction
from fangkong.accounts.models import User
from fangkong.accounts.permissions import Perm
from fangkong.audit.actions import record
from fangkong.audit.models import AuditAction
from fangkong.lib.reporting_day import local_date
from fangkong.people.actions import check_document
from fangkong.people.models import DocumentType, Person
from fangkong.regions.models import Level, Region
from fangkong.testing import counters, signals
from fangkong.testing.models import (
    CAPACITIES,
    BatchStatus,
    KeyGroup,
    KeyGroupMember,
    PointKind,
    PointStatus,
    Purpose,
    Recall,
    Result,
    ResultBatch,
    RoundKind,
    TestingPoint,
    TestingRound,
    Tube,
    TubeMember,
    TubeStatus,
)
from fangkong.testing.public import PersonResult

log = logging.getLogger(__name__)
BARCODE_RE = re.compile(r"^[A-Za-z0-9-]{4,40}$")
CHUNK = 2000
# A round lasts days, not months: a longer one is a typing mistake.
MAX_ROUND_DAYS = 31


def _require(actor: User, perm: Perm, region: Region | None, field: str = "region") -> None:
    if not has_perm(actor, perm) or region is None or not in_jurisdiction(actor, region):
        raise ValidationError({field: _("This unit is outside your jurisdiction.")})


# --- Points and rounds -------------------------------------------------------------------------------------


@transaction.atomic
def do_create_point(
    actor: User,
    *,
    region: Region,
    name: str,
    address: str,
    opening_hours: str,
    desks: int = 1,
    kind: str = PointKind.FIXED,
    now: datetime.datetime,
) -> TestingPoint:
    """Open a testing point (采样点) in a township or village of the actor's jurisdiction."""
    _require(actor, Perm.TESTING_MANAGE, region)
    errors: dict[str, str] = {}
    if region.level not in (Level.TOWNSHIP, Level.VILLAGE):
        errors["region"] = _("A testing point belongs to a township or a village.")
    if not name.strip():
        errors["name"] = _("Enter the name.")
    if not address.strip():
        errors["address"] = _("Enter the address.")
    if not opening_hours.strip():
        errors["opening_hours"] = _("Enter the opening hours, e.g. 08:00–12:00, 14:00–18:00.")
    if not 1 <= desks <= 50:
        errors["desks"] = _("A point has 1 to 50 sampling desks.")
    if kind not in PointKind.values:
        errors["kind"] = _("Choose the kind of point.")
    if errors:
        raise ValidationError(errors)
    point = TestingPoint.objects.create(
        region=region,
        name=name.strip(),
        address=address.strip(),
        opening_hours=opening_hours.strip(),
        desks=desks,
        kind=kind,
        created_at=now,
        created_by=actor,
    )
    record(actor, AuditAction.CREATE, obj=point, changes={"name": [None, point.name]}, now=now)
    return point


@transaction.atomic
def do_set_point_status(
    actor: User, point: TestingPoint, status: str, *, now: datetime.datetime
) -> TestingPoint:
    _require(actor, Perm.TESTING_MANAGE, point.region)
    if status not in PointStatus.values:
        raise ValidationError({"status": _("Choose open or closed.")})
    before = point.status
    point.status = status
    point.save(update_fields=["status"])
    record(actor, AuditAction.UPDATE, obj=point, changes={"status": [before, status]}, now=now)
    return point


def _common_unit(units: Sequence[Region]) -> Region:
    """The lowest unit containing all of `units`."""
    parts = [u.ancestor_codes() for u in units]
    common: list[str] = []
    for codes in zip(*parts, strict=False):
        if len(set(codes)) != 1:
            break
        common.append(codes[0])
    return Region.objects.get(code=common[-1])


@transaction.atomic
def do_create_round(
    actor: User,
    *,
    name: str,
    units: Sequence[Region],
    starts_on: datetime.date,
    ends_on: datetime.date,
    kind: str = RoundKind.EVERYONE,
    min_age: int | None = None,
    max_age: int | None = None,
    exclude_away: bool = False,
    exclude_isolated: bool = False,
    now: datetime.datetime,
) -> TestingRound:
    """Start a testing round (轮次) over `units`: its target is everyone registered there in the age band,
    optionally without the people away (reported in another unit) or in centralized isolation."""
    errors: dict[str, str] = {}
    units = list(units)
    if not units:
        errors["units"] = _("Choose at least one unit.")
    for unit in units:
        if not has_perm(actor, Perm.TESTING_MANAGE) or not in_jurisdiction(actor, unit):
            errors["units"] = _("This unit is outside your jurisdiction.")
    if not name.strip():
        errors["name"] = _("Enter the name.")
    if kind not in RoundKind.values:
        errors["kind"] = _("Choose the kind of round.")
    if ends_on < starts_on:
        errors["ends_on"] = _("The last day cannot be before the first day.")
    elif (ends_on - starts_on).days >= MAX_ROUND_DAYS:
        errors["ends_on"] = _("A round lasts at most 31 days.")
    if min_age is not None and max_age is not None and max_age < min_age:
        errors["max_age"] = _("The upper age cannot be below the lower age.")
    if errors:
        raise ValidationError(errors)
    rnd = TestingRound.objects.create(
        region=_common_unit(units),
        name=name.strip(),
        kind=kind,
        starts_on=starts_on,
        ends_on=ends_on,
        min_age=min_age,
        max_age=max_age,
        exclude_away=exclude_away,
        exclude_isolated=exclude_isolated,
        created_at=now,
        created_by=actor,
    )
    rnd.units.set(units)
    record(
        actor,
        AuditAction.CREATE,
        obj=rnd,
        changes={"units": [None, [u.name for u in units]], "days": [None, f"{starts_on}..{ends_on}"]},
        now=now,
    )
    return rnd


# --- Key groups -----------------------------------------------------------------------------------------------


@transaction.atomic
def do_add_key_group_member(
    actor: User | None, group: KeyGroup, person: Person, *, now: datetime.datetime
) -> KeyGroupMember:
    """Put `person` in key group `group`; their first test is due today."""
    if actor is not None:
        _require(actor, Perm.TESTING_MANAGE, person.region, "person")
    if KeyGroupMember.objects.filter(group=group, person=person, is_active=True).exists():
        raise ValidationError({"person": _("This person is already in this key group.")})
    today = local_date(now)
    member = KeyGroupMember.objects.create(
        group=group, person=person, region=person.region, joined_on=today, next_due_on=today
    )
    record(actor, AuditAction.CREATE, obj=member, region=person.region, now=now)
    return member


COLD_CHAIN = "cold_chain"


def cold_chain_group() -> KeyGroup:
    """The cold-chain workers' key group (seeded by migration; made from data here if someone removed it)."""
    group, _created = KeyGroup.objects.get_or_create(
        code=COLD_CHAIN, defaults={"name": "冷链从业人员", "cycle_days": 3}
    )
    return group


def do_set_key_group_people(
    group: KeyGroup, person_ids: Iterable[int], active: bool, *, now: datetime.datetime
) -> int:
    """Put people in `group` (first test due today) or take them out (membership deactivated, kept):
    idempotent, a handful of queries whatever the number. Returns how many memberships changed."""
    ids = set(person_ids)
    if not ids:
        return 0
    today = local_date(now)
    if not active:
        changed = KeyGroupMember.objects.filter(group=group, person_id__in=ids, is_active=True).update(
            is_active=False
        )
        if changed:
            record(
                None, AuditAction.UPDATE, label=f"{group.name}: {changed} left", changes={"left": [None, changed]},
                now=now,
            )  # fmt: skip
        return changed
    present = set(
        KeyGroupMember.objects.filter(group=group, person_id__in=ids, is_active=True).values_list(
            "person_id", flat=True
        )
    )
    people = Person.objects.active().filter(pk__in=ids - present).values_list("id", "region_id")
    rows = [
        KeyGroupMember(group=group, person_id=pid, region_id=rid, joined_on=today, next_due_on=today)
        for pid, rid in people
    ]
    KeyGroupMember.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)
    if rows:
        record(
            None, AuditAction.CREATE, label=f"{group.name}: {len(rows)} joined", changes={"joined": [None, len(rows)]},
            now=now,
        )  # fmt: skip
    return len(rows)


def do_sync_cold_chain_group(now: datetime.datetime) -> tuple[int, int]:
    """The cold-chain key group = the workers of cold-chain enterprises now (`coldchain.public`): (joined, left).
    Idempotent; for workers registered before the signal existed, and as a nightly check."""
    from fangkong.coldchain.public import worker_person_ids

    group = cold_chain_group()
    workers = worker_person_ids()
    members = set(
        KeyGroupMember.objects.filter(group=group, is_active=True).values_list("person_id", flat=True)
    )
    with transaction.atomic():
        joined = do_set_key_group_people(group, workers - members, True, now=now)
        left = do_set_key_group_people(group, members - workers, False, now=now)
    return joined, left


def _key_group_sampled(group: KeyGroup | None, person_ids: Iterable[int], day: datetime.date) -> None:
    if group is None:
        return
    KeyGroupMember.objects.filter(group=group, person_id__in=list(person_ids), is_active=True).update(
        last_sampled_on=day, next_due_on=day + datetime.timedelta(days=group.cycle_days)
    )


# --- Tested counters -------------------------------------------------------------------------------------

# The nightly recount looks at the rounds that ended at most this long ago (older ones no longer change).
RECOUNT_DAYS = 7


def do_recount_rounds(
    now: datetime.datetime, rounds: Iterable[TestingRound] | None = None
) -> tuple[int, int]:
    """Rebuild the tested counters (`counters`) of `rounds` (default: the rounds running in the last week)
    from their samples: (rounds recounted, rounds whose counters had drifted and were corrected)."""
    if rounds is None:
        since = local_date(now) - datetime.timedelta(days=RECOUNT_DAYS)
        rounds = TestingRound.objects.filter(ends_on__gte=since).order_by("id")
    done = drifted = 0
    for rnd in rounds:
        done += 1
        if counters.recount(rnd):
            drifted += 1
            log.warning("tested counters of round %s had drifted; recounted", rnd.uuid)
    return done, drifted


def do_recount_sample_days(now: datetime.datetime, *, every_day: bool = False) -> bool:
    """Rebuild the samples and results per unit and day (`counters.recount_days`) of the days sampled in the
    last week (or `every_day`) from the samples; whether they had drifted (logged, then corrected)."""
    today = local_date(now)
    days = None if every_day else (today - datetime.timedelta(days=RECOUNT_DAYS), today)
    drifted = counters.recount_days(days)
    if drifted:
        log.warning("samples of a day had drifted from their samples; recounted")
    return drifted


# --- Samples and pools -------------------------------------------------------------------------------------


def check_barcode(raw: str) -> str:
    barcode = (raw or "").strip()
    if not BARCODE_RE.match(barcode):
        raise ValidationError({"barcode": _("A tube barcode has 4 to 40 letters, digits or dashes.")})
    return barcode


def check_capacity(capacity: int) -> int:
    if capacity not in CAPACITIES:
        raise ValidationError({"capacity": _("A tube holds 1 person or a pool of 5, 10 or 20.")})
    return capacity


def check_purpose(purpose: str, rnd: TestingRound | None, group: KeyGroup | None, day: datetime.date) -> None:
    if purpose not in Purpose.values:
        raise ValidationError({"purpose": _("Choose what the sample is for.")})
    if purpose == Purpose.ROUND:
        if rnd is None:
            raise ValidationError({"round": _("Choose the round.")})
        if not rnd.is_running(day):
            raise ValidationError({"round": _("This round is not running today.")})
    if purpose == Purpose.KEY_GROUP and group is None:
        raise ValidationError({"key_group": _("Choose the key group.")})


def find_person(actor: User, raw: str) -> Person:
    """The registered person holding this resident ID number (scanned or typed); the same message for one not
    registered and one outside the collector's jurisdiction, so nothing leaks."""
    try:
        doc = check_document(DocumentType.RESIDENT_ID, raw)
    except ValidationError:
        raise ValidationError({"id_number": _("This is not a valid resident ID number.")}) from None
    # people.actions.find_by_document's query with the person's unit loaded for the jurisdiction check.
    person = (
        Person.objects.active()
        .select_related("region")
        .filter(document_type=doc.document_type, document_number=doc.number)
        .first()
        if doc.number
        else None
    )
    if person is None or not in_jurisdiction(actor, person.region):
        raise ValidationError(
            {"id_number": _("No resident with this ID number is registered in your jurisdiction.")}
        )
    return person


FIND_LIMIT = 20


def find_people(actor: User, q: str) -> list[Person]:
    """The people a collector may sample matching a name (characters, pinyin initials or full pinyin) or a
    phone number (the whole number or its last four digits): at most `FIND_LIMIT`, inside the collector's
    jurisdiction; the page shows them masked. The same search as the people list (`people.access.search`)."""
    from fangkong.accounts.access import scoped
    from fangkong.people.access import search

    q = (q or "").strip()
    if not q:
        raise ValidationError({"q": _("Type a name or a phone number.")})
    if len(q) < 2:
        raise ValidationError({"q": _("Type at least two characters.")})
    people = scoped(Person.objects.active().select_related("region"), actor, Perm.TESTING_SAMPLE)
    return list(search(people, q).order_by("name_pinyin", "id")[:FIND_LIMIT])


def person_by_uuid(actor: User, person_uuid: str) -> Person:
    """The person picked from `find_people`'s list; the same message as an ID number not found."""
    from fangkong.accounts.access import scoped

    people = scoped(Person.objects.active().select_related("region"), actor, Perm.TESTING_SAMPLE)
    try:
        return people.get(uuid=person_uuid)
    except (Person.DoesNotExist, ValueError, ValidationError):
        raise ValidationError(
            {"id_number": _("No resident with this ID number is registered in your jurisdiction.")}
        ) from None


def _already_in_round(rnd: TestingRound, person_ids: Iterable[int]) -> set[int]:
    """Who of `person_ids` has a (first) sample in the round: the partial unique index answers."""
    ids = [int(pid) for pid in person_ids]
    if len(ids) <= 50:
        return set(
            TubeMember.objects.filter(round=rnd, person_id__in=ids, resample_reason="").values_list(
                "person_id", flat=True
            )
        )
    # A batch of thousands: plain SQL, without preparing each id as a lookup value (most of a batch's time).
    table = TubeMember._meta.db_table
    found: set[int] = set()
    with connection.cursor() as cur:
        for start in range(0, len(ids), CHUNK):
            part = ids[start : start + CHUNK]
            marks = ", ".join(["%s"] * len(part))
            cur.execute(
                f"SELECT person_id FROM {table} WHERE round_id = %s AND resample_reason = ''"  # noqa: S608
                f" AND person_id IN ({marks})",
                [rnd.pk, *part],
            )
            found.update(row[0] for row in cur.fetchall())
    return found


def _open_recall(person: Person) -> Recall | None:
    return Recall.objects.filter(person=person, resampled_at__isnull=True).order_by("created_at").first()


@transaction.atomic
def do_register_sample(
    actor: User,
    *,
    point: TestingPoint,
    barcode: str,
    person: Person,
    capacity: int = 1,
    purpose: str = Purpose.ROUND,
    rnd: TestingRound | None = None,
    group: KeyGroup | None = None,
    reference: str = "",
    desk: int = 1,
    resample_reason: str = "",
    now: datetime.datetime,
) -> TubeMember:
    """A collector puts `person` into tube `barcode` (opened with `capacity` if new); a full pool closes.

    One person is in one tube per round unless re-sampled with a reason.
    """
    _require(actor, Perm.TESTING_SAMPLE, point.region, "point")
    if point.status != PointStatus.OPEN:
        raise ValidationError({"point": _("This testing point is closed.")})
    barcode = check_barcode(barcode)
    day = local_date(now)
    resample_reason = (resample_reason or "").strip()[:200]
    tube = Tube.objects.select_for_update().filter(barcode=barcode).first()
    if tube is None:
        check_capacity(capacity)
        check_purpose(purpose, rnd, group, day)
        if purpose == Purpose.RECALL and capacity != 1:
            raise ValidationError({"capacity": _("A recall re-test is a single tube.")})
        tube = Tube.objects.create(
            barcode=barcode,
            capacity=capacity,
            purpose=purpose,
            round=rnd if purpose == Purpose.ROUND else None,
            key_group=group if purpose == Purpose.KEY_GROUP else None,
            reference=reference[:100],
            point=point,
            region=point.region,
            desk=desk,
            collector=actor,
            opened_at=now,
            sampled_on=day,
        )
        record(actor, AuditAction.CREATE, obj=tube, changes={"capacity": [None, capacity]}, now=now)
    elif tube.status != TubeStatus.OPEN:
        raise ValidationError({"barcode": _("Tube %(barcode)s is already closed.") % {"barcode": barcode}})
    elif tube.point_id != point.pk:
        raise ValidationError(
            {"barcode": _("Tube %(barcode)s was opened at another point.") % {"barcode": barcode}}
        )
    if rnd is not None and tube.round_id == rnd.pk:
        tube.round = rnd  # the round already read, not once more
    in_tube, already = _sampled(tube, person)
    if in_tube:
        raise ValidationError({"id_number": _("This person is already in this tube.")})
    # A re-sample is a second sample: the first one in a round never carries a reason, so the round's first
    # samples (resample_reason "") are exactly its distinct tested people (the coverage counts them).
    if not already:
        resample_reason = ""
    if already and not resample_reason:
        raise ValidationError(
            {
                "id_number": _(
                    "%(name)s has already been sampled in this round; give a reason to sample again."
                )
                % {"name": person.name}
            }
        )
    recall = _open_recall(person) if tube.purpose == Purpose.RECALL else None
    if tube.purpose == Purpose.RECALL and recall is None:
        raise ValidationError({"id_number": _("This person has no recall waiting for a re-test.")})
    member = TubeMember(
        tube=tube,
        person=person,
        position=tube.member_count + 1,
        round=tube.round,
        sampled_at=now,
        sampled_on=day,
        resample_reason=resample_reason if tube.round is not None else "",
    )
    try:
        with transaction.atomic():
            member.save()
    except IntegrityError:  # a second desk sampled the same person in this round at the same moment
        raise ValidationError(
            {
                "id_number": _(
                    "%(name)s has already been sampled in this round; give a reason to sample again."
                )
                % {"name": person.name}
            }
        ) from None
    if tube.round is not None and not member.resample_reason:
        counters.count_sample(tube.round, person, day)
    counters.count_taken(tube.region_id, day, 1, now)
    # The tube is locked (FOR UPDATE; SQLite's write lock is taken at BEGIN): its count is exact, and one UPDATE
    # moves it and closes a full pool.
    tube.member_count += 1
    moves: dict[str, Any] = {"member_count": tube.member_count}
    if tube.is_full:
        tube.status, tube.closed_at = TubeStatus.CLOSED, now
        moves |= {"status": tube.status, "closed_at": now}
    Tube.objects.filter(pk=tube.pk).update(**moves)
    if tube.status == TubeStatus.CLOSED:
        draw_sampling_tubes(actor, point.region, 1, ref=f"tube:{tube.uuid}", now=now)
    if recall is not None:
        recall.retest_tube, recall.resampled_at = tube, now
        recall.save(update_fields=["retest_tube", "resampled_at"])
    _key_group_sampled(tube.key_group, [person.pk], day)
    record(
        actor,
        AuditAction.UPDATE,
        obj=tube,
        changes={"members": [tube.member_count - 1, tube.member_count]},
        label=f"{tube.barcode} · {person.name} {person.masked_document}",
        region=point.region,  # the tube's unit (it was opened at this point): no reading it back
        now=now,
    )
    return member


def _sampled(tube: Tube, person: Person) -> tuple[bool, bool]:
    """(the person is in this tube, the person has a first sample in the tube's round) by one query."""
    members = TubeMember.objects.filter(person_id=person.pk)
    if tube.round_id is None:
        return members.filter(tube_id=tube.pk).exists(), False
    rows = members.filter(Q(tube_id=tube.pk) | Q(round_id=tube.round_id, resample_reason="")).values_list(
        "tube_id", "round_id", "resample_reason"
    )
    in_tube = already = False
    for tube_id, round_id, reason in rows:
        in_tube |= tube_id == tube.pk
        already |= round_id == tube.round_id and reason == ""
    return in_tube, already


@transaction.atomic
def do_close_tube(actor: User, tube: Tube, *, now: datetime.datetime) -> Tube:
    """Close a tube by hand (a pool that will not fill: the end of the day, the last people)."""
    _require(actor, Perm.TESTING_SAMPLE, tube.region, "tube")
    tube = Tube.objects.select_for_update().get(pk=tube.pk)
    if tube.status != TubeStatus.OPEN:
        raise ValidationError({"tube": _("This tube is already closed.")})
    if tube.member_count == 0:
        raise ValidationError({"tube": _("An empty tube cannot be closed; use it for the next person.")})
    tube.status, tube.closed_at = TubeStatus.CLOSED, now
    tube.save(update_fields=["status", "closed_at"])
    draw_sampling_tubes(actor, tube.point.region, 1, ref=f"tube:{tube.uuid}", now=now)
    record(
        actor, AuditAction.UPDATE, obj=tube, changes={"status": [TubeStatus.OPEN, TubeStatus.CLOSED]}, now=now
    )
    return tube


def draw_sampling_tubes(actor: User, region: Region, count: int, *, ref: str, now: datetime.datetime) -> bool:
    """Closing pools uses sampling tubes: draw them from the warehouse serving the testing point's unit.

    Sampling never waits for the store's books: with no warehouse, or too few tubes on the books, the draw is
    skipped and logged (the supplies page shows the shortage), and the sample stands. Returns whether it was drawn.
    """
    from fangkong.supplies.public import NoWarehouse, draw_items

    if count <= 0:
        return False
    try:
        with transaction.atomic():
            draw_items(
                region=region,
                item_code="sampling_tube",
                quantity=count,
                reason=str(_("Pools closed at a testing point")),
                ref=ref,
                now=now,
                actor=actor,
            )
    except (NoWarehouse, ValidationError) as exc:
        log.warning("sampling tubes not drawn for %s (%s): %s", region.code, ref, exc)
        return False
    return True


@dataclass(frozen=True)
class PoolIn:
    barcode: str
    capacity: int
    person_ids: list[int]


@transaction.atomic
def do_register_pools(
    actor: User,
    *,
    point: TestingPoint,
    pools: Sequence[PoolIn],
    purpose: str,
    rnd: TestingRound | None = None,
    group: KeyGroup | None = None,
    now: datetime.datetime,
) -> int:
    """Register whole tubes at once (a desk's offline batch, the benchmark): the same rules as
    `do_register_sample`, checked per batch; closed tubes are written with a few statements. Returns the count."""
    _require(actor, Perm.TESTING_SAMPLE, point.region, "point")
    if point.status != PointStatus.OPEN:
        raise ValidationError({"point": _("This testing point is closed.")})
    day = local_date(now)
    check_purpose(purpose, rnd, group, day)
    barcodes = [check_barcode(p.barcode) for p in pools]
    for p in pools:
        check_capacity(p.capacity)
        if not 1 <= len(p.person_ids) <= p.capacity or len(set(p.person_ids)) != len(p.person_ids):
            raise ValidationError(
                {"barcode": _("Tube %(barcode)s holds a wrong number of people.") % {"barcode": p.barcode}}
            )
    if len(set(barcodes)) != len(barcodes) or Tube.objects.filter(barcode__in=barcodes).exists():
        raise ValidationError({"barcode": _("A barcode is used twice.")})
    everyone = [pid for p in pools for pid in p.person_ids]
    if rnd is not None and (len(set(everyone)) != len(everyone) or _already_in_round(rnd, everyone)):
        raise ValidationError({"id_number": _("Someone has already been sampled in this round.")})
    ops = connection.ops
    at, on = ops.adapt_datetimefield_value(now), ops.adapt_datefield_value(day)
    sqlite = connection.vendor == "sqlite"
    _insert_closed_tubes(
        [
            (
                uuid.uuid4().hex if sqlite else uuid.uuid4(),
                p.barcode,
                p.capacity,
                TubeStatus.CLOSED.value,
                purpose,
                rnd.pk if rnd else None,
                group.pk if group else None,
                "",
                point.pk,
                point.region_id,
                1,
                actor.pk,
                at if sqlite else now,
                on if sqlite else day,
                at if sqlite else now,
                len(p.person_ids),
                "",
                "",
            )
            for p in pools
        ]
    )
    ids = dict(Tube.objects.filter(barcode__in=barcodes).values_list("barcode", "id"))
    _insert_members(
        [
            (ids[p.barcode], pid, n, rnd.pk if rnd else None, now, day)
            for p in pools
            for n, pid in enumerate(p.person_ids, start=1)
        ]
    )
    if rnd is not None:
        counters.count_samples(rnd, Q(tube_id__in=list(ids.values())))
    counters.count_taken(point.region_id, day, len(everyone), now)
    _key_group_sampled(group, everyone, day)
    draw_sampling_tubes(
        actor, point.region, len(pools), ref=f"pools:{pools[0].barcode}:{len(pools)}", now=now
    )
    record(
        actor,
        AuditAction.CREATE,
        obj=point,
        label=f"{point.name}: {len(pools)} tubes",
        changes={"tubes": [None, len(pools)], "samples": [None, len(everyone)]},
        now=now,
    )
    return len(pools)


MEMBER_COLUMNS = [
    "tube_id",
    "person_id",
    "position",
    "round_id",
    "sampled_at",
    "sampled_on",
    "resample_reason",
    "result",
]


def _insert_members(rows: list[tuple[int, int, int, int | None, datetime.datetime, datetime.date]]) -> None:
    """Member rows of whole tubes, written as a bulk load (COPY on PostgreSQL, executemany on SQLite): the
    rows were checked by the caller with the same rules as one scan, and the constraints still hold."""
    table = TubeMember._meta.db_table
    ops = connection.ops
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            raw = cur.cursor  # psycopg 3 cursor under Django's wrapper
            with raw.copy(f"COPY {table} ({', '.join(MEMBER_COLUMNS)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row((*row, "", ""))
        else:
            marks = ", ".join(["%s"] * len(MEMBER_COLUMNS))
            sql = f"INSERT INTO {table} ({', '.join(MEMBER_COLUMNS)}) VALUES ({marks})"  # noqa: S608 - constants
            # A batch shares one instant and day: adapt them once, not once per row.
            adapted: dict[Any, Any] = {}

            def once(value: Any, adapt: Callable[[Any], Any]) -> Any:
                if value not in adapted:
                    adapted[value] = adapt(value)
                return adapted[value]

            cur.executemany(
                sql,
                [
                    (
                        t,
                        pid,
                        n,
                        r,
                        once(at, ops.adapt_datetimefield_value),
                        once(d, ops.adapt_datefield_value),
                        "",
                        "",
                    )
                    for t, pid, n, r, at, d in rows
                ],
            )


TUBE_COLUMNS = [
    "uuid",
    "barcode",
    "capacity",
    "status",
    "purpose",
    "round_id",
    "key_group_id",
    "reference",
    "point_id",
    "region_id",
    "desk",
    "collector_id",
    "opened_at",
    "sampled_on",
    "closed_at",
    "member_count",
    "result",
    "lab",
]


def _insert_closed_tubes(rows: list[tuple[Any, ...]]) -> None:
    """Closed tubes of a checked batch as a bulk load, like their members (the ORM's bulk_create spends most
    of a batch preparing 500 objects field by field): rows in TUBE_COLUMNS order."""
    table = Tube._meta.db_table
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            with cur.cursor.copy(f"COPY {table} ({', '.join(TUBE_COLUMNS)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(TUBE_COLUMNS))
            sql = f"INSERT INTO {table} ({', '.join(TUBE_COLUMNS)}) VALUES ({marks})"  # noqa: S608 - constants
            cur.executemany(sql, rows)


# --- Lab results ---------------------------------------------------------------------------------------------

RESULT_WORDS = {
    "阴性": Result.NEGATIVE,
    "negative": Result.NEGATIVE,
    "neg": Result.NEGATIVE,
    "-": Result.NEGATIVE,
    "阳性": Result.POSITIVE,
    "positive": Result.POSITIVE,
    "pos": Result.POSITIVE,
    "+": Result.POSITIVE,
    # An abnormal (可疑) result is handled as a positive: the pool is recalled at once.
    "异常": Result.POSITIVE,
    "可疑": Result.POSITIVE,
    "abnormal": Result.POSITIVE,
    "无效": Result.INVALID,
    "invalid": Result.INVALID,
}


@dataclass(frozen=True, slots=True)  # slots: an import holds every row of the file at once
class ResultRow:
    row: int
    barcode: str
    result: str
    resulted_at: datetime.datetime
    lab: str = ""
    ct_orf1ab: float | None = None
    ct_n: float | None = None


class ResultErrors(ValidationError):
    """Row errors of a result import: [(row, barcode, message)]."""

    def __init__(self, rows: list[tuple[int, str, str]]) -> None:
        super().__init__(_("%(n)d rows have errors; nothing was imported.") % {"n": len(rows)})
        self.rows = rows


# (done, total) of a running import: `lib.importjobs` progress files written by the job (`tasks.import_results`).
Progress = Callable[[int, int], None]


def check_result_rows(
    rows: Sequence[ResultRow], progress: Progress | None = None
) -> list[tuple[int, str, str]]:
    """Row errors: an unknown barcode, a tube already resulted, a result for a pool still open, a barcode twice.

    Checking is the first half of an import's progress (`progress(done, 2 × rows)`), writing the second."""
    errors: list[tuple[int, str, str]] = []
    seen: set[str] = set()
    for start in range(0, len(rows), CHUNK):
        if progress is not None:
            progress(start, 2 * len(rows))
        chunk = rows[start : start + CHUNK]
        found = dict(
            Tube.objects.filter(barcode__in=[r.barcode for r in chunk]).values_list("barcode", "status")
        )
        for r in chunk:
            status = found.get(r.barcode)
            if r.barcode in seen:
                errors.append((r.row, r.barcode, _("This barcode appears twice in the file.")))
            elif status is None:
                errors.append((r.row, r.barcode, _("No tube has this barcode.")))
            elif status == TubeStatus.RESULTED:
                errors.append((r.row, r.barcode, _("This tube already has a result; it is not overwritten.")))
            elif status == TubeStatus.OPEN:
                errors.append((r.row, r.barcode, _("This pool is still open; close it before its result.")))
            seen.add(r.barcode)
    return errors


def _positive_text(tubes: list[Tube]) -> str:
    parts = []
    for tube in tubes[:50]:
        kind = _("pool of %(n)d") % {"n": tube.member_count} if tube.is_pool else _("single tube")
        parts.append(f"{tube.barcode}（{kind}，{tube.point.name}，{tube.get_result_display()}）")
    more = len(tubes) - len(parts)
    text = _("Positive or abnormal nucleic-acid results: %(tubes)s.") % {"tubes": "；".join(parts)}
    if more > 0:
        text += _(" And %(n)d more.") % {"n": more}
    return text + _(" The pools' members are recalled for single-tube re-tests.")


def _apply_results(
    actor: User,
    batch: ResultBatch,
    rows: Sequence[ResultRow],
    now: datetime.datetime,
    progress: Progress | None = None,
) -> None:
    """Write the results of checked rows: tubes, their members, recalls; then announce after commit."""
    alert: list[int] = []  # tubes whose result raises an urgent report and (pools) a recall
    # One UPDATE per result value (and time and lab) and chunk, whatever the number of rows; the Ct values (a
    # positive's own numbers) follow in one bulk update per chunk of the rows that have them.
    groups: dict[tuple[str, datetime.datetime, str], list[str]] = defaultdict(list)
    ct_rows: list[ResultRow] = []
    for r in rows:
        groups[(r.result, r.resulted_at, r.lab)].append(r.barcode)
        if r.ct_orf1ab is not None or r.ct_n is not None:
            ct_rows.append(r)
    written = 0
    for (result, resulted_at, lab), barcodes in groups.items():
        for start in range(0, len(barcodes), CHUNK):
            chunk = barcodes[start : start + CHUNK]
            if progress is not None:
                progress(len(rows) + written, 2 * len(rows))
            written += len(chunk)
            tube_ids = list(Tube.objects.filter(barcode__in=chunk).values_list("id", flat=True))
            Tube.objects.filter(id__in=tube_ids).update(
                status=TubeStatus.RESULTED,
                result=result,
                resulted_at=resulted_at,
                lab=str(lab)[:100],
                ct_orf1ab=None,
                ct_n=None,
                batch=batch,
            )
            # A negative pool makes its members negative; a single tube gives its person's result. A positive
            # or invalid pool leaves its members without a result until their single-tube re-test.
            members = TubeMember.objects.filter(tube_id__in=tube_ids).exclude(
                tube__capacity__gt=1, tube__result__in=[Result.POSITIVE, Result.INVALID]
            )
            members.update(result=result, resulted_at=resulted_at)
            counters.count_results(members, result, resulted_at)
            if result != Result.NEGATIVE:
                alert += list(
                    Tube.objects.filter(id__in=tube_ids)
                    .exclude(capacity=1, result=Result.INVALID)
                    .values_list("id", flat=True)
                )
            # Recall re-tests that came back: the recall board shows the result.
            Recall.objects.filter(retest_tube_id__in=tube_ids).update(result=result, resulted_at=resulted_at)
    for start in range(0, len(ct_rows), CHUNK):
        part = ct_rows[start : start + CHUNK]
        ids = dict(Tube.objects.filter(barcode__in=[r.barcode for r in part]).values_list("barcode", "id"))
        Tube.objects.bulk_update(
            [Tube(pk=ids[r.barcode], ct_orf1ab=r.ct_orf1ab, ct_n=r.ct_n) for r in part],
            ["ct_orf1ab", "ct_n"],
            batch_size=500,
        )
    positives = list(Tube.objects.filter(id__in=alert).select_related("point", "region").order_by("barcode"))
    pools = [t for t in positives if t.is_pool]
    if pools:
        _recall(pools, now)
    by_unit: dict[int, list[Tube]] = defaultdict(list)
    for tube in positives:
        by_unit[tube.region_id].append(tube)
    if by_unit:
        from fangkong.reporting.actions.urgent import do_send_urgent

        for unit_tubes in by_unit.values():
            # UrgentKind.POSITIVE_RESULT, named by its value: reporting's models are its own.
            do_send_urgent(
                actor, unit_tubes[0].region, "positive_result", _positive_text(unit_tubes), now=now
            )
    record(
        actor,
        AuditAction.IMPORT,
        obj=batch,
        changes={"rows": [None, len(rows)], "positive_or_abnormal": [None, len(positives)]},
        now=now,
    )
    batch_id = batch.pk
    pool_members: dict[uuid.UUID, list[int]] = {t.uuid: [] for t in pools}
    by_id = {t.pk: t.uuid for t in pools}
    for tube_id, person_id in TubeMember.objects.filter(tube__in=pools).values_list("tube_id", "person_id"):
        pool_members[by_id[tube_id]].append(person_id)
    transaction.on_commit(lambda: announce(batch_id, pool_members, now))


def _recall(pools: list[Tube], now: datetime.datetime) -> None:
    """A recall per member of each positive or abnormal pool, re-test due today."""
    members = TubeMember.objects.filter(tube__in=pools).select_related("person")
    today = local_date(now)
    Recall.objects.bulk_create(
        [
            Recall(
                pool_id=m.tube_id,
                person=m.subject,
                region_id=m.subject.region_id,
                created_at=now,
                retest_due_on=today,
            )
            for m in members
        ],
        ignore_conflicts=True,
    )


def announce(batch_id: int, pool_members: dict[uuid.UUID, list[int]], now: datetime.datetime) -> None:
    """After commit: the people whose result became known (one send per chunk), then each positive pool."""
    members = (
        TubeMember.objects.filter(tube__batch_id=batch_id, resulted_at__isnull=False)
        .exclude(result="")
        .order_by("id")
        .values_list("person_id", "sampled_on", "result", "resulted_at", "tube__uuid")
    )
    chunk: list[PersonResult] = []
    if not signals.results_recorded.has_listeners(Tube):
        members = members.none()  # nobody listens (control not installed): do not read every member
    for person_id, sampled_on, result, resulted_at, tube_uuid in members.iterator(chunk_size=CHUNK * 5):
        if resulted_at is None:  # filtered out above; for the type checker
            continue
        chunk.append(PersonResult(person_id, sampled_on, result, resulted_at, tube_uuid))
        if len(chunk) >= CHUNK * 5:
            signals.results_recorded.send(sender=Tube, results=chunk)
            chunk = []
    if chunk:
        signals.results_recorded.send(sender=Tube, results=chunk)
    if pool_members:
        signals.pools_positive.send(sender=Tube, pools=pool_members, now=now)
    for pool_uuid, person_ids in pool_members.items():
        signals.pool_positive.send(sender=Tube, pool_uuid=pool_uuid, person_ids=person_ids, now=now)


def _batch_region(actor: User) -> Region:
    region = jurisdiction(actor)
    if region is None or not has_perm(actor, Perm.TESTING_MANAGE):
        raise ValidationError({"file": _("You cannot import lab results.")})
    return region


def do_record_results(
    actor: User,
    rows: Sequence[ResultRow],
    *,
    now: datetime.datetime,
    file_name: str = "API",
    file_hash: str = "",
    batch: ResultBatch | None = None,
    progress: Progress | None = None,
) -> ResultBatch:
    """Record lab results all or nothing. Raises `ResultErrors` with the row errors; stores nothing then.

    The same content twice (same hash) returns the first import instead of importing again. `batch` is the
    queued import of a file the background job runs (`tasks.import_results`): it becomes the done import.
    """
    region = _batch_region(actor)
    if not file_hash:
        text = "\n".join(f"{r.barcode}|{r.result}|{r.resulted_at.isoformat()}|{r.lab}" for r in rows)
        file_hash = hashlib.sha256(text.encode()).hexdigest()
    done = ResultBatch.objects.filter(file_hash=file_hash, status=BatchStatus.DONE).first()
    if done is not None:
        return done
    if not rows:
        raise ValidationError({"file": _("The file holds no results.")})
    errors = check_result_rows(rows, progress)
    if errors:
        raise ResultErrors(errors)
    with transaction.atomic():
        if batch is None:
            batch = ResultBatch.objects.create(
                region=region,
                file_name=file_name[:200],
                file_hash=file_hash,
                status=BatchStatus.DONE,
                rows_total=len(rows),
                imported_by=actor,
                created_at=now,
            )
        else:
            batch.status, batch.rows_total, batch.file_hash = BatchStatus.DONE, len(rows), file_hash
            batch.save(update_fields=["status", "rows_total", "file_hash"])
        _apply_results(actor, batch, rows, now, progress)
    if progress is not None:
        progress(2 * len(rows), 2 * len(rows))
    return batch


MAX_STORED_ERRORS = 5000


def file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def do_import_results(
    actor: User,
    path: Path,
    file_name: str,
    *,
    now: datetime.datetime,
    batch: ResultBatch | None = None,
    progress: Progress | None = None,
) -> ResultBatch:
    """Import a lab's CSV/XLSX file: all rows or none. A refused file is kept as a failed import with its row
    errors (downloadable); importing the same file again is a no-op returning the first import.

    The page queues the file (`do_queue_result_import`) and the job runs this with the queued `batch`, which
    ends done or refused, and reports `progress`; called without `batch` it imports in the caller's process."""
    from fangkong.testing.reading import LayoutError, read_results

    region = _batch_region(actor)
    digest = file_digest(path)
    done = ResultBatch.objects.filter(file_hash=digest, status=BatchStatus.DONE).first()
    if done is not None:
        if batch is not None:  # queued twice before the first ran: this one is the same file
            _failed_batch(
                actor, region, file_name, digest, 0, [], _("This file was imported already."), now, batch
            )
        return done
    try:
        rows, row_errors = read_results(path, now=now)
    except LayoutError as exc:
        return _failed_batch(actor, region, file_name, digest, 0, [], exc.message, now, batch)
    if not row_errors:
        try:
            return do_record_results(
                actor, rows, now=now, file_name=file_name, file_hash=digest, batch=batch, progress=progress
            )
        except ResultErrors as exc:
            row_errors = exc.rows
        except ValidationError as exc:
            return _failed_batch(actor, region, file_name, digest, 0, [], " ".join(exc.messages), now, batch)
    else:
        row_errors = sorted(row_errors + check_result_rows(rows, progress))
    total = len(rows) + len({e[0] for e in row_errors} - {r.row for r in rows})
    return _failed_batch(
        actor,
        region,
        file_name,
        digest,
        total,
        row_errors,
        _("%(n)d rows have errors; nothing was imported.") % {"n": len({e[0] for e in row_errors})},
        now,
        batch,
    )


@transaction.atomic
def _failed_batch(
    actor: User,
    region: Region,
    file_name: str,
    digest: str,
    total: int,
    errors: list[tuple[int, str, str]],
    message: str,
    now: datetime.datetime,
    batch: ResultBatch | None = None,
) -> ResultBatch:
    if batch is not None:
        batch.status, batch.rows_total = BatchStatus.FAILED, total
        batch.rows_failed = len({e[0] for e in errors})
        batch.errors = [list(e) for e in errors[:MAX_STORED_ERRORS]]
        batch.message = message[:500]
        batch.save(update_fields=["status", "rows_total", "rows_failed", "errors", "message"])
        record(actor, AuditAction.IMPORT, obj=batch, note="refused", now=now)
        return batch
    batch = ResultBatch.objects.create(
        region=region,
        file_name=file_name[:200],
        file_hash=digest,
        status=BatchStatus.FAILED,
        rows_total=total,
        rows_failed=len({e[0] for e in errors}),
        errors=[list(e) for e in errors[:MAX_STORED_ERRORS]],
        message=message[:500],
        imported_by=actor,
        created_at=now,
    )
    record(actor, AuditAction.IMPORT, obj=batch, note="refused", now=now)
    return batch


# --- Result imports in the background ------------------------------------------------------------------------

PROGRESS_KIND = "testing"  # lib.importjobs keeps its files in var/testing-progress/
# A queued or running import whose job has not finished after this long died with its consumer.
STALE_IMPORT = datetime.timedelta(hours=1)


def upload_path(batch: ResultBatch) -> Path:
    """Where a queued lab file waits for its job (deleted when the import ends)."""
    from django.conf import settings

    folder = Path(settings.VAR_DIR) / "testing-uploads"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / str(batch.uuid)


def do_queue_result_import(
    actor: User, chunks: Iterable[bytes], file_name: str, *, now: datetime.datetime
) -> tuple[ResultBatch, bool]:
    """Keep an uploaded lab file and queue its import: (the batch, whether a job must run it).

    The same file as an import already done or under way is that import (False): nothing is queued twice."""
    region = _batch_region(actor)
    batch = ResultBatch(
        region=region,
        file_name=(file_name or "")[:200],
        status=BatchStatus.QUEUED,
        imported_by=actor,
        created_at=now,
    )
    path = upload_path(batch)
    digest = hashlib.sha256()
    with path.open("wb") as fh:
        for part in chunks:
            digest.update(part)
            fh.write(part)
    batch.file_hash = digest.hexdigest()
    same = (
        ResultBatch.objects.filter(
            file_hash=batch.file_hash,
            status__in=[BatchStatus.DONE, BatchStatus.QUEUED, BatchStatus.RUNNING],
        )
        .order_by("-created_at", "-id")
        .first()
    )
    if same is not None:
        path.unlink(missing_ok=True)
        return same, False
    batch.save()
    record(actor, AuditAction.IMPORT, obj=batch, note="queued", now=now)
    return batch, True


def run_result_import(batch: ResultBatch, actor: User, now: datetime.datetime) -> ResultBatch:
    """The job's work: import the queued file with progress in `lib.importjobs`; the file goes afterwards.

    A bad file fails its own import (refused, with its reason), never the consumer."""
    from fangkong.lib import importjobs

    claimed = ResultBatch.objects.filter(pk=batch.pk, status=BatchStatus.QUEUED).update(
        status=BatchStatus.RUNNING
    )
    if not claimed:  # a retried job: the import ran (or is running) already
        return ResultBatch.objects.get(pk=batch.pk)
    batch.status = BatchStatus.RUNNING
    path = upload_path(batch)

    def report(done: int, total: int) -> None:
        importjobs.store_progress(PROGRESS_KIND, batch.uuid, done, total)

    report(0, 1)
    try:
        if not path.exists():
            return _failed_batch(
                actor, batch.region, batch.file_name, batch.file_hash, 0, [],
                _("The uploaded file is gone; upload it again."), now, batch,
            )  # fmt: skip
        result = do_import_results(actor, path, batch.file_name, now=now, batch=batch, progress=report)
    except Exception as exc:
        log.exception("result import %s failed", batch.uuid)
        batch.refresh_from_db()
        message = _("The import stopped on an error; nothing was stored: %(error)s") % {"error": exc}
        result = _failed_batch(
            actor, batch.region, batch.file_name, batch.file_hash, 0, [], message, now, batch
        )
    finally:
        path.unlink(missing_ok=True)
        importjobs.clear_progress(PROGRESS_KIND, batch.uuid)
    return result


def do_fail_stale_imports(now: datetime.datetime) -> int:
    """Imports whose job died (the consumer stopped): refused with the reason, so the file can be sent again."""
    stale = list(
        ResultBatch.objects.filter(
            status__in=[BatchStatus.QUEUED, BatchStatus.RUNNING], created_at__lt=now - STALE_IMPORT
        )
    )
    for batch in stale:
        ResultBatch.objects.filter(pk=batch.pk, status__in=[BatchStatus.QUEUED, BatchStatus.RUNNING]).update(
            status=BatchStatus.FAILED,
            message=_("The import job stopped; nothing was stored. Upload the file again."),
        )
        upload_path(batch).unlink(missing_ok=True)
    return len(stale)


# --- Recall --------------------------------------------------------------------------------------------------


@transaction.atomic
def do_mark_reached(actor: User, recall: Recall, *, now: datetime.datetime) -> Recall:
    """The person of a recall was reached (by phone or at the door)."""
    _require(actor, Perm.TESTING_VIEW, recall.region, "recall")
    if recall.reached_at is not None:
        raise ValidationError({"recall": _("Already marked as reached.")})
    if recall.person_id is None:
        raise ValidationError({"recall": _("This recall's person was anonymised past the retention period.")})
    recall.reached_at, recall.reached_by = now, actor
    recall.save(update_fields=["reached_at", "reached_by"])
    record(actor, AuditAction.UPDATE, obj=recall, changes={"reached_at": [None, now.isoformat()]}, now=now)
    return recall
