"""Every change at checkpoints: `check_*` validates, `do_*` saves and audits in one transaction; they take `now`."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from fangkong.accounts.access import has_perm, in_jurisdiction
from fangkong.accounts.models import User
from fangkong.accounts.permissions import Perm
from fangkong.audit.actions import diff, record
from fangkong.audit.models import AuditAction
from fangkong.checkpoints import lookups
from fangkong.checkpoints.models import (
    FEVER_THRESHOLD,
    FIGURE_FIELDS,
    Checkpoint,
    CheckpointKind,
    CheckpointStatus,
    CodeColour,
    Crossing,
    CrossingDay,
    CrossingKind,
    Disposition,
    Referral,
    ReferralStatus,
    ShiftStart,
    SpotCheck,
    SpotCheckPhoto,
    Traveller,
    Vaccination,
)
from fangkong.checkpoints.signals import referrals_made
from fangkong.duty.public import on_duty
from fangkong.lib import idnumbers
from fangkong.lib.masking import mask_document
from fangkong.lib.reporting_day import local_date
from fangkong.lib.versions import check_version, field_labels
from fangkong.lib.writers import serial_writer
from fangkong.people.actions import check_phone, missed_updates
from fangkong.regions.models import Level, Region
from fangkong.screening.public import CheckpointReturnee, register_checkpoint_returnee

MIN_TEMPERATURE = Decimal("34.0")
MAX_TEMPERATURE = Decimal("43.0")
MAX_TRAVELLERS = 60
MAX_PHOTO_BYTES = 8 * 1024 * 1024
# JPEG and PNG by their first bytes: a photo is checked, not trusted by its name.
PHOTO_MAGIC = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n")


# ---------------------------------------------------------------------------------------------------
# Checkpoints


def _clean_items(items: list[str]) -> list[str]:
    out: list[str] = []
    for item in items:
        item = (item or "").strip()[:40]
        if item and item not in out:
            out.append(item)
    return out


@transaction.atomic
def do_create_checkpoint(
    actor: User,
    *,
    name: str,
    kind: str,
    region: Region,
    supervising_unit: Region,
    road: str = "",
    location: str = "",
    equipment: list[str] | None = None,
    staff: list[User] | None = None,
    now: datetime.datetime,
) -> Checkpoint:
    """A new checkpoint of `region`, answering to `supervising_unit` (both inside the actor's jurisdiction)."""
    errors: dict[str, str] = {}
    if not has_perm(actor, Perm.CHECKPOINT_MANAGE) or not in_jurisdiction(actor, region):
        errors["region"] = _("You cannot manage checkpoints of this unit.")
    if not name.strip():
        errors["name"] = _("Enter the name.")
    if kind not in CheckpointKind.values:
        errors["kind"] = _("Choose the kind of checkpoint.")
    if not supervising_unit.contains(region):
        errors["supervising_unit"] = _("The supervising unit must be the unit itself or a unit above it.")
    for user in staff or []:
        if not user.is_active or not in_jurisdiction(actor, user.region):
            errors["staff"] = _("Choose active users of your jurisdiction.")
    if errors:
        raise ValidationError(errors)
    checkpoint = Checkpoint.objects.create(
        name=name.strip(),
        kind=kind,
        region=region,
        supervising_unit=supervising_unit,
        road=road.strip(),
        location=location.strip(),
        equipment=_clean_items(equipment or []),
    )
    if staff:
        checkpoint.staff.set(staff)
    record(
        actor,
        AuditAction.CREATE,
        obj=checkpoint,
        changes={"name": [None, checkpoint.name], "equipment": [None, checkpoint.equipment]},
        now=now,
    )
    return checkpoint


@transaction.atomic
def do_update_checkpoint(
    actor: User,
    checkpoint: Checkpoint,
    *,
    status: str,
    equipment: list[str],
    staff: list[User],
    now: datetime.datetime,
    expected_version: int | None = None,
) -> Checkpoint:
    """Change a checkpoint's status, equipment checklist and staff (the unit's cadres, the command office).

    Staff already on the checkpoint may stay; a new one must be an active account of the actor's jurisdiction.
    A form passes the version it was opened at: if someone saved since, nothing is saved (StaleEditError)."""
    checkpoint = Checkpoint.objects.select_for_update().select_related("region").get(pk=checkpoint.pk)
    if not has_perm(actor, Perm.CHECKPOINT_MANAGE) or not in_jurisdiction(actor, checkpoint.region):
        raise ValidationError({"__all__": _("You cannot manage checkpoints of this unit.")})
    check_version(checkpoint.version, expected_version, missed_updates(checkpoint), field_labels(Checkpoint))
    errors: dict[str, str] = {}
    if status not in CheckpointStatus.values:
        errors["status"] = _("Choose the status.")
    items = _clean_items(equipment)
    if not items:
        errors["equipment"] = _("Keep at least one item on the checklist.")
    current = {u.pk: u for u in checkpoint.staff.all()}
    for user in staff:
        if user.pk not in current and (not user.is_active or not in_jurisdiction(actor, user.region)):
            errors["staff"] = _("Choose active users of your jurisdiction.")
    if errors:
        raise ValidationError(errors)
    before = {
        "status": checkpoint.status,
        "equipment": checkpoint.equipment,
        "staff": sorted(u.get_username() for u in current.values()),
    }
    after = {"status": status, "equipment": items, "staff": sorted(u.get_username() for u in staff)}
    changed = diff(before, after)
    if not changed:
        return checkpoint
    checkpoint.status, checkpoint.equipment = status, items
    checkpoint.version += 1
    checkpoint.save(update_fields=["status", "equipment", "version"])
    if "staff" in changed:
        checkpoint.staff.set(staff)
    record(actor, AuditAction.UPDATE, obj=checkpoint, changes=changed, now=now)
    return checkpoint


@transaction.atomic
def do_start_shift(
    actor: User, checkpoint: Checkpoint, *, items_present: list[str], now: datetime.datetime
) -> ShiftStart:
    """上岗: the staff member confirms which items of the checklist are there; the rest are missing, and the
    supervising unit sees them on its checkpoint list."""
    present = [item for item in _clean_items(items_present) if item in checkpoint.equipment]
    missing = [item for item in checkpoint.equipment if item not in present]
    start = ShiftStart.objects.create(
        checkpoint=checkpoint,
        region=checkpoint.region,
        user=actor,
        started_at=now,
        day=local_date(now),
        items_present=present,
        items_missing=missing,
        on_roster=actor in on_duty(checkpoint.region, now),
    )
    record(
        actor,
        AuditAction.CREATE,
        obj=checkpoint,
        label=f"{checkpoint.name} 上岗",
        changes={"items_missing": [None, missing]},
        note="shift start",
        now=now,
    )
    return start


# ---------------------------------------------------------------------------------------------------
# Crossings (查验登记)


@dataclass
class TravellerInput:
    health_code: str
    temperature: Any
    disposition: str
    name: str = ""
    document_number: str = ""
    phone: str = ""
    is_driver: bool = False
    trip_star: bool = False
    trip_cities: str = ""
    vaccination: str = Vaccination.UNKNOWN
    temperature_again: Any = None
    wears_mask: bool = True
    clinic: str = ""


@dataclass
class CrossingInput:
    kind: str
    origin: str
    travellers: list[TravellerInput] = field(default_factory=list)
    plate: str = ""
    destination: str = ""
    # The village or grid of the district the travellers go to (needed to register them with the grid).
    destination_region: Region | None = None


def _temperature(raw: Any) -> Decimal | None:
    if raw is None or raw == "":
        return None
    try:
        value = Decimal(str(raw).strip()).quantize(Decimal("0.1"))
    except (InvalidOperation, ValueError):
        raise ValueError from None
    if not (MIN_TEMPERATURE <= value <= MAX_TEMPERATURE):
        raise ValueError
    return value


def is_fever(first: Decimal, again: Decimal | None) -> bool | None:
    """The temperature rule: below 37.3 °C no fever; at or above it a second reading decides (None: re-measure)."""
    if first < FEVER_THRESHOLD:
        return False
    if again is None:
        return None
    return again >= FEVER_THRESHOLD


def _document(raw: str) -> str:
    number = (raw or "").strip().upper().replace(" ", "")
    if len(number) == 18 and number[:17].isdigit():
        try:
            return idnumbers.parse(number).number
        except idnumbers.IdNumberError as exc:
            raise ValidationError(exc.message) from None
    if len(number) > 40:
        raise ValidationError(_("A document number has at most 40 characters."))
    return number


@dataclass
class CleanTraveller:
    traveller: Traveller
    clinic: str


def check_traveller(t: TravellerInput, index: int, colours: dict[str, CodeColour]) -> CleanTraveller:
    """Validate one traveller; errors are keyed `travellers.<index>.<field>`."""
    errors: dict[str, str] = {}

    def key(name: str) -> str:
        return f"travellers.{index}.{name}"

    name = (t.name or "").strip()[:100]
    try:
        document = _document(t.document_number)
    except ValidationError as exc:
        errors[key("document_number")] = exc.messages[0]
        document = ""
    try:
        phone = check_phone(t.phone)
    except ValidationError as exc:
        errors[key("phone")] = exc.messages[0]
        phone = ""
    if not document and not (name and (t.phone or "").strip()):
        errors.setdefault(key("document_number"), _("Enter the document number, or the name and phone."))
    colour = colours.get((t.health_code or "").strip())
    if colour is None:
        errors[key("health_code")] = _("Choose the health code colour.")
    if t.vaccination not in Vaccination.values:
        errors[key("vaccination")] = _("Choose the vaccination status.")
    first = again = None
    try:
        first = _temperature(t.temperature)
    except ValueError:
        errors[key("temperature")] = _("Enter a temperature between 34.0 and 43.0 °C.")
    if first is None and key("temperature") not in errors:
        errors[key("temperature")] = _("Enter the temperature.")
    try:
        again = _temperature(t.temperature_again)
    except ValueError:
        errors[key("temperature_again")] = _("Enter a temperature between 34.0 and 43.0 °C.")
    fever = False
    if first is not None and key("temperature_again") not in errors:
        judged = is_fever(first, again)
        if judged is None:
            errors[key("temperature_again")] = _(
                "37.3 °C or more: measure again (e.g. after a few minutes in the shade)."
            )
        else:
            fever = judged
    if t.disposition not in Disposition.values:
        errors[key("disposition")] = _("Choose what happens to the traveller.")
    elif fever and t.disposition != Disposition.REFER:
        errors[key("disposition")] = _("A traveller with a fever is referred to a fever clinic.")
    elif (
        colour is not None
        and colour.severity >= 2
        and t.disposition in (Disposition.PASS, Disposition.REGISTER)
    ):
        errors[key("disposition")] = _(
            "A red code does not pass: refer to a fever clinic or persuade to turn back."
        )
    elif t.disposition == Disposition.REGISTER and not document:
        errors[key("document_number")] = _("Registering with the grid needs the document number.")
    if errors:
        raise ValidationError(errors)
    if colour is None or first is None:  # pragma: no cover - both were refused above
        raise ValidationError({key("temperature"): _("Enter the temperature.")})
    traveller = Traveller(
        name=name,
        document_number=document,
        phone=phone,
        is_driver=t.is_driver,
        health_code=colour,
        trip_star=t.trip_star,
        trip_cities=(t.trip_cities or "").strip()[:200],
        vaccination=t.vaccination,
        temperature=first,
        temperature_again=again,
        fever=fever,
        wears_mask=t.wears_mask,
        disposition=t.disposition,
    )
    return CleanTraveller(traveller, (t.clinic or "").strip()[:100])


def code_colours() -> dict[str, CodeColour]:
    return lookups.code_colours()


def check_crossing(data: CrossingInput) -> list[CleanTraveller]:
    errors: dict[str, Any] = {}
    if data.kind not in CrossingKind.values:
        errors["kind"] = _("Choose a person or a vehicle.")
    if not (data.origin or "").strip():
        errors["origin"] = _("Enter where the traveller comes from.")
    if data.kind == CrossingKind.VEHICLE and not (data.plate or "").strip():
        errors["plate"] = _("Enter the plate number of the vehicle.")
    if not data.travellers:
        errors["travellers"] = _("Register at least one person.")
    elif data.kind == CrossingKind.PERSON and len(data.travellers) != 1:
        errors["travellers"] = _(
            "A person on foot is registered alone; register a vehicle for several people."
        )
    elif len(data.travellers) > MAX_TRAVELLERS:
        errors["travellers"] = _("At most %(n)d people per vehicle.") % {"n": MAX_TRAVELLERS}
    region = data.destination_region
    if region is not None and region.level not in (Level.VILLAGE, Level.GRID):
        errors["destination_region"] = _("Choose a village or a grid.")
    colours = code_colours()
    clean: list[CleanTraveller] = []
    for index, t in enumerate(data.travellers):
        try:
            clean.append(check_traveller(t, index, colours))
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if region is None and any(c.traveller.disposition == Disposition.REGISTER for c in clean):
        errors["destination_region"] = _(
            "Choose the village the travellers go to, to register them with the grid."
        )
    if errors:
        raise ValidationError(errors)
    return clean


def do_register_crossing(
    actor: User, checkpoint: Checkpoint, data: CrossingInput, *, now: datetime.datetime
) -> Crossing:
    """Register one crossing: the origin's risk level is looked up, travellers marked to register become grid
    returnee reports in screening, febrile ones referrals, and the day's figures move — all or nothing.

    Validation and lookups happen before the transaction, so SQLite's one write lock is held only for the
    writes: the crossing, its travellers (one insert), referrals if any, the day's counters, the audit row. The
    returned crossing has its travellers (with their colours) loaded."""
    if checkpoint.status != CheckpointStatus.OPEN:
        raise ValidationError({"__all__": _("This checkpoint is closed; it registers no crossings.")})
    clean = check_crossing(data)
    day = local_date(now)
    origin = data.origin.strip()[:100]
    risk = lookups.risk_level(origin, day)
    with serial_writer(), transaction.atomic():
        return _save_crossing(actor, checkpoint, data, clean, origin, risk, day, now)


def _save_crossing(
    actor: User,
    checkpoint: Checkpoint,
    data: CrossingInput,
    clean: list[CleanTraveller],
    origin: str,
    risk: str,
    day: datetime.date,
    now: datetime.datetime,
) -> Crossing:
    crossing = Crossing(
        checkpoint=checkpoint,
        region_id=checkpoint.region_id,
        kind=data.kind,
        plate=(data.plate or "").strip().upper()[:20],
        origin=origin,
        destination=(data.destination or "").strip()[:100],
        origin_risk_level=risk,
        registered_at=now,
        registered_by=actor,
    )
    # One INSERT … RETURNING id, without save()'s signals and checks (nothing listens to a new crossing).
    Crossing.objects.bulk_create([crossing])
    travellers = []
    for c in clean:
        c.traveller.crossing = crossing
        if c.traveller.disposition == Disposition.REGISTER:
            if data.destination_region is None:  # pragma: no cover - check_crossing refused it
                raise ValidationError({"destination_region": _("Choose a village or a grid.")})
            c.traveller.returnee_receipt = register_checkpoint_returnee(
                actor,
                region=data.destination_region,
                traveller=CheckpointReturnee(
                    name=c.traveller.name or c.traveller.document_number,
                    document_number=c.traveller.document_number,
                    phone=c.traveller.phone,
                    origin=origin,
                    plate=crossing.plate,
                    note=f"{checkpoint.name}卡口登记",
                ),
                now=now,
            )
        travellers.append(c.traveller)
    # SQLite (≥ 3.35) and PostgreSQL return the new keys: the travellers need no reading back.
    Traveller.objects.bulk_create(travellers)
    referrals = [
        Referral(
            traveller=t,
            checkpoint=checkpoint,
            region_id=checkpoint.region_id,
            clinic=c.clinic,
            referred_at=now,
        )
        for t, c in zip(travellers, clean, strict=True)
        if t.disposition == Disposition.REFER
    ]
    if referrals:
        Referral.objects.bulk_create(referrals)
    _count(checkpoint, day, crossing, travellers)
    if referrals:
        # Control turns each referral into a closed-loop transfer; a failing receiver undoes the crossing.
        referrals_made.send(sender=Referral, referrals=referrals, actor=actor, now=now)
    record(
        actor,
        AuditAction.CREATE,
        obj=crossing,
        region=checkpoint.region,
        label=f"{checkpoint.name} {crossing.plate}".strip(),
        changes={
            "travellers": [
                None,
                [
                    f"{mask_document(t.document_number)} {t.health_code.code} {t.disposition}"
                    for t in travellers
                ],
            ]
        },
        now=now,
    )
    _hold_travellers(crossing, travellers)
    return crossing


def _hold_travellers(crossing: Crossing, travellers: list[Traveller]) -> None:
    """`crossing.travellers.all()` answers from `travellers` (as prefetch_related leaves it): no query."""
    qs = crossing.travellers.all()
    qs._result_cache = travellers
    qs._prefetch_done = True  # type: ignore[attr-defined]
    crossing._prefetched_objects_cache = {"travellers": qs}  # type: ignore[attr-defined]


COUNTERS = tuple(FIGURE_FIELDS)  # the day's counters, in the order of the UPSERT's columns
_upsert_sql: dict[str, str] = {}


def _count(
    checkpoint: Checkpoint, day: datetime.date, crossing: Crossing, travellers: list[Traveller]
) -> None:
    """Move the day's counters by one statement: `INSERT … ON CONFLICT DO UPDATE` adds to the day's row, or
    creates it with the day's first crossing (SQLite ≥ 3.24 and PostgreSQL; no race to create it)."""
    increments = {
        "people": len(travellers),
        "vehicles": int(crossing.kind == CrossingKind.VEHICLE),
        "yellow_codes": sum(1 for t in travellers if t.health_code.severity == 1),
        "red_codes": sum(1 for t in travellers if t.health_code.severity >= 2),
        "fevers": sum(1 for t in travellers if t.fever),
        "referrals": sum(1 for t in travellers if t.disposition == Disposition.REFER),
        "turned_back": sum(1 for t in travellers if t.disposition == Disposition.TURN_BACK),
        "sent_to_grid": sum(1 for t in travellers if t.disposition == Disposition.REGISTER),
    }
    sql = _upsert_sql.get(connection.vendor)
    if sql is None:
        qn = connection.ops.quote_name
        table = qn(CrossingDay._meta.db_table)
        columns = ["checkpoint_id", "region_id", "day", *COUNTERS]
        moves = ", ".join(f"{qn(c)} = {table}.{qn(c)} + excluded.{qn(c)}" for c in COUNTERS)
        sql = (
            f"INSERT INTO {table} ({', '.join(qn(c) for c in columns)}) "  # noqa: S608 - names from the model
            f"VALUES ({', '.join(['%s'] * len(columns))}) "
            f"ON CONFLICT ({qn('checkpoint_id')}, {qn('day')}) DO UPDATE SET {moves}"
        )
        _upsert_sql[connection.vendor] = sql
    values = [
        checkpoint.pk,
        checkpoint.region_id,
        connection.ops.adapt_datefield_value(day),
        *(increments[c] for c in COUNTERS),
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, values)


# ---------------------------------------------------------------------------------------------------
# Referrals (closed loop)


@transaction.atomic
def do_advance_referral(
    actor: User | None, referral: Referral, *, status: str, now: datetime.datetime, outcome: str = ""
) -> Referral:
    """Move a referral on: referred → received by the clinic → closed (with an outcome). Control's transfer
    integration calls this too (public: `checkpoints.public.advance_referral`)."""
    order = [ReferralStatus.REFERRED, ReferralStatus.RECEIVED, ReferralStatus.CLOSED]
    if status not in ReferralStatus.values or order.index(ReferralStatus(status)) <= order.index(
        ReferralStatus(referral.status)
    ):
        raise ValidationError({"status": _("This referral cannot go back or stay where it is.")})
    if status == ReferralStatus.CLOSED and not outcome.strip():
        raise ValidationError({"outcome": _("Write the outcome to close the loop.")})
    before = referral.status
    referral.status = status
    if status == ReferralStatus.RECEIVED or referral.received_at is None:
        referral.received_at = now
    if status == ReferralStatus.CLOSED:
        referral.closed_at = now
        referral.outcome = outcome.strip()[:200]
    referral.save()
    record(
        actor,
        AuditAction.UPDATE,
        obj=referral,
        label=str(referral.uuid),
        changes={"status": [before, status]},
        now=now,
    )
    return referral


# ---------------------------------------------------------------------------------------------------
# Spot checks (督查)


@dataclass
class SpotCheckInput:
    staff_present: int
    off_post: bool = False
    drinking: bool = False
    registrations_complete: bool = True
    equipment_complete: bool = True
    note: str = ""
    photos: list[tuple[str, bytes]] = field(default_factory=list)


def check_photos(photos: list[tuple[str, bytes]]) -> None:
    for _name, content in photos:
        if len(content) > MAX_PHOTO_BYTES:
            raise ValidationError({"photos": _("A photo may be at most 8 MB.")})
        if not content.startswith(PHOTO_MAGIC):
            raise ValidationError({"photos": _("A photo must be a JPEG or PNG image.")})


@transaction.atomic
def do_record_spot_check(
    actor: User, checkpoint: Checkpoint, data: SpotCheckInput, *, now: datetime.datetime
) -> SpotCheck:
    """An inspector's visit; its findings are added to the checkpoint's count."""
    from django.core.files.base import ContentFile

    if not has_perm(actor, Perm.CHECKPOINT_INSPECT):
        raise ValidationError(_("You cannot record spot checks."))
    if data.staff_present < 0 or data.staff_present > 100:
        raise ValidationError({"staff_present": _("Enter the number of staff present (0–100).")})
    check_photos(data.photos)
    spot = SpotCheck(
        checkpoint=checkpoint,
        region_id=checkpoint.region_id,
        inspector=actor,
        visited_at=now,
        staff_present=data.staff_present,
        off_post=data.off_post,
        drinking=data.drinking,
        registrations_complete=data.registrations_complete,
        equipment_complete=data.equipment_complete,
        note=data.note.strip(),
    )
    spot.findings = len(spot.finding_codes())
    spot.save()
    for name, content in data.photos:
        photo = SpotCheckPhoto(spot_check=spot, uploaded_at=now)
        photo.image.save(name, ContentFile(content), save=True)
    Checkpoint.objects.filter(pk=checkpoint.pk).update(findings_count=F("findings_count") + spot.findings)
    record(
        actor,
        AuditAction.CREATE,
        obj=spot,
        label=f"{checkpoint.name} 督查",
        changes={"findings": [None, spot.finding_codes()]},
        now=now,
    )
    _open_rectification_items(actor, checkpoint, spot, now)
    return spot


# What a spot-check finding asks of the unit (边巡边改): people off post or drinking are put right on the spot;
# a register or equipment gap gets a few days.
FINDING_RECTIFICATION: dict[str, tuple[str, int]] = {
    "no_staff": ("immediate", 0),
    "off_post": ("immediate", 0),
    "drinking": ("immediate", 0),
    "registrations": ("deadline", 3),
    "equipment": ("deadline", 3),
}


def finding_label(code: str) -> str:
    labels = {
        "no_staff": _("No staff on duty"),
        "off_post": _("Staff off post (脱岗)"),
        "drinking": _("Staff drinking on duty (饮酒)"),
        "registrations": _("Registrations incomplete"),
        "equipment": _("Equipment missing"),
    }
    return str(labels.get(code, code))


def _open_rectification_items(
    actor: User, checkpoint: Checkpoint, spot: SpotCheck, now: datetime.datetime
) -> None:
    """Each finding becomes a rectification item of the checkpoint's unit in the supervision module, once per
    finding (the item is keyed by the spot check and the finding)."""
    from fangkong.supervision.public import open_item_from_finding

    today = local_date(now)
    for code in spot.finding_codes():
        kind, days = FINDING_RECTIFICATION.get(code, ("deadline", 3))
        description = finding_label(code) + (f"：{spot.note}" if spot.note else "")
        open_item_from_finding(
            actor,
            unit=checkpoint.region,
            description=description[:500],
            kind=kind,
            due_on=today + datetime.timedelta(days=days) if kind == "deadline" else None,
            place_name=checkpoint.name,
            source="checkpoints.spot_check",
            source_ref=f"{spot.uuid}:{code}",
            now=now,
        )
