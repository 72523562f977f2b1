"""Every change to people and households: `check_*` validates, `do_*` saves and audits in one transaction."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from fangkong.accounts.models import User
from fangkong.audit.actions import diff, record, snapshot
from fangkong.audit.models import AuditAction, AuditEvent
from fangkong.lib import exports, idnumbers, phones
from fangkong.lib.masking import mask_birth_date, mask_document, mask_phone
from fangkong.lib.names import full_pinyin, initials
from fangkong.lib.versions import check_version, field_labels
from fangkong.people.models import (
    DocumentType,
    ExportStatus,
    Household,
    PeopleExport,
    Person,
    PersonTransfer,
    Sex,
    TransferStatus,
)
from fangkong.regions.models import Level, Region

AUDITED_FIELDS = [
    "name",
    "document_type",
    "document_number",
    "sex",
    "birth_date",
    "phone",
    "address",
    "household",
    "region",
    "is_active",
]
MASKS = {
    "document_number": mask_document,
    "phone": mask_phone,
    "birth_date": mask_birth_date,
    # Grids of different villages share names (第1网格): a move between them must show, and be saved.
    "region": lambda region: region.full_name,
}
REVEALED_FIELDS = ("document_number", "phone", "birth_date")


@dataclass
class CleanDocument:
    document_type: str
    number: str
    birth_date: datetime.date | None = None
    sex: str | None = None
    warnings: list[str] = field(default_factory=list)


def check_document(document_type: str, raw: str) -> CleanDocument:
    """Validate and normalise a document number; raises ValidationError with a message for the user."""
    raw = (raw or "").strip()
    if document_type not in DocumentType.values:
        raise ValidationError({"document_type": _("Unknown document type.")})
    if not raw:
        return CleanDocument(document_type, "")
    if document_type == DocumentType.RESIDENT_ID:
        try:
            parsed = idnumbers.parse(raw)
        except idnumbers.IdNumberError as exc:
            raise ValidationError({"document_number": exc.message}) from None
        return CleanDocument(document_type, parsed.number, parsed.birth_date, parsed.sex, parsed.warnings)
    number = raw.upper().replace(" ", "")
    if len(number) > 40:
        raise ValidationError({"document_number": _("A document number has at most 40 characters.")})
    return CleanDocument(document_type, number)


def check_phone(raw: str) -> str:
    if not (raw or "").strip():
        return ""
    try:
        return phones.normalise(raw)
    except phones.PhoneError as exc:
        raise ValidationError({"phone": exc.message}) from None


def check_region(region: Region) -> Region:
    if region.level not in (Level.VILLAGE, Level.GRID):
        raise ValidationError({"region": _("A person belongs to a village or a grid.")})
    return region


def find_by_document(document_type: str, number: str) -> Person | None:
    if not number:
        return None
    return Person.objects.active().filter(document_type=document_type, document_number=number).first()


def _household(region: Region, number: str, address: str) -> Household | None:
    number = (number or "").strip()
    if not number:
        return None
    village = region.parent if region.level == Level.GRID and region.parent else region
    household, _created = Household.objects.get_or_create(
        region=village, number=number, defaults={"address": address}
    )
    return household


@transaction.atomic
def do_register_person(
    actor: User | None,
    *,
    name: str,
    region: Region,
    document_type: str = DocumentType.RESIDENT_ID,
    document_number: str = "",
    phone: str = "",
    address: str = "",
    household_number: str = "",
    sex: str | None = None,
    birth_date: datetime.date | None = None,
) -> tuple[Person, bool]:
    """Register a person, or find the active person who already holds that document.

    Returns (person, created). Registering an existing number never creates a second person.
    """
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Enter the name.")})
    doc = check_document(document_type, document_number)
    phone_e164 = check_phone(phone)
    check_region(region)
    existing = find_by_document(doc.document_type, doc.number)
    if existing is not None:
        return existing, False
    person = Person(
        name=name,
        name_initials=initials(name),
        name_pinyin=full_pinyin(name),
        document_type=doc.document_type,
        document_number=doc.number,
        sex=doc.sex or sex or Sex.UNKNOWN,
        birth_date=doc.birth_date or birth_date,
        phone=phone_e164,
        address=address.strip(),
        region=region,
        household=_household(region, household_number, address),
        created_by=actor,
    )
    try:
        with transaction.atomic():
            person.save()
    except IntegrityError:
        # A concurrent registration of the same number won the race: return that person.
        existing = find_by_document(doc.document_type, doc.number)
        if existing is None:
            raise
        return existing, False
    record(actor, AuditAction.CREATE, obj=person, changes=diff({}, snapshot(person, AUDITED_FIELDS, MASKS)))
    return person, True


def missed_updates(obj: Any) -> Any:
    """The last `n` audited updates of `obj`, newest first (what a stale form did not see)."""

    def last(n: int) -> list[AuditEvent]:
        return list(
            AuditEvent.objects.filter(object_uuid=obj.uuid, action=AuditAction.UPDATE).order_by("-at", "-id")[
                :n
            ]
        )

    return last


@transaction.atomic
def do_update_person(
    actor: User | None, person: Person, *, expected_version: int | None = None, **changes: Any
) -> Person:
    """Change a person's fields (validated as at registration) and audit before → after.

    A form passes the version it was opened at: if someone saved since, nothing is saved (StaleEditError)."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    check_version(person.version, expected_version, missed_updates(person), field_labels(Person))
    before = snapshot(person, AUDITED_FIELDS, MASKS)
    if "name" in changes:
        name = (changes["name"] or "").strip()
        if not name:
            raise ValidationError({"name": _("Enter the name.")})
        person.name, person.name_initials, person.name_pinyin = name, initials(name), full_pinyin(name)
    if "document_type" in changes or "document_number" in changes:
        doc = check_document(
            changes.get("document_type", person.document_type),
            changes.get("document_number", person.document_number),
        )
        other = find_by_document(doc.document_type, doc.number)
        if other is not None and other.pk != person.pk:
            raise ValidationError(
                {"document_number": _("Another person is already registered with this document.")}
            )
        person.document_type, person.document_number = doc.document_type, doc.number
        if doc.birth_date:
            person.birth_date, person.sex = doc.birth_date, doc.sex or person.sex
    if "phone" in changes:
        person.phone = check_phone(changes["phone"])
    for simple in ("address", "sex", "birth_date"):
        if simple in changes and changes[simple] is not None:
            setattr(
                person,
                simple,
                changes[simple].strip() if isinstance(changes[simple], str) else changes[simple],
            )
    if "region" in changes and changes["region"] is not None:
        person.region = check_region(changes["region"])
    if "household_number" in changes:
        person.household = _household(person.region, changes["household_number"], person.address)
    after = snapshot(person, AUDITED_FIELDS, MASKS)
    changed = diff(before, after)
    if changed:
        person.version += 1
        person.save()
        record(actor, AuditAction.UPDATE, obj=person, changes=changed)
    return person


@transaction.atomic
def do_deactivate_person(actor: User | None, person: Person, reason: str) -> Person:
    """Deactivate rather than delete: the record stays, its document number is free for a new one."""
    if not reason.strip():
        raise ValidationError({"reason": _("Give a reason.")})
    person.is_active = False
    person.save(update_fields=["is_active", "updated_at"])
    record(actor, AuditAction.DEACTIVATE, obj=person, changes={"is_active": [True, False]}, note=reason)
    return person


def do_reveal(actor: User, person: Person, fields: tuple[str, ...] = REVEALED_FIELDS) -> dict[str, Any]:
    """Return the full values of `fields` and audit that this user saw them.

    The birth date is revealed with the numbers: it is the part of an ID number its mask hides."""
    values = {f: getattr(person, f) for f in fields}
    record(actor, AuditAction.REVEAL, obj=person, note=",".join(fields))
    return values


EXPORT_HEADER = [
    _lazy("Name"),
    _lazy("Document type"),
    _lazy("Document number"),
    _lazy("Sex"),
    _lazy("Birth year"),
    _lazy("Phone"),
    _lazy("Address"),
    _lazy("Village or grid"),
    _lazy("Household number"),
]
EXPORT_PROGRESS_EVERY = 5000


def export_row(p: Person) -> list[Any]:
    """One person as the export shows them: masked like every page (the birth year, never the date)."""
    return [
        p.name,
        p.get_document_type_display(),
        p.masked_document,
        p.get_sex_display(),
        p.birth_year or "",
        p.masked_phone,
        p.address,
        f"{p.region.parent.name} / {p.region.name}" if p.region.parent else p.region.name,
        p.household.number if p.household else "",
    ]


def export_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / "exports"


@transaction.atomic
def do_request_export(
    actor: User, root: Region, *, q: str, region_code: str, now: datetime.datetime
) -> PeopleExport:
    """Queue an export of the people `actor` may export, filtered like the list; the job writes the file."""
    return PeopleExport.objects.create(
        requested_by=actor, region=root, q=q[:100], region_code=region_code[:32], created_at=now
    )


def run_export(export: PeopleExport, people: QuerySet[Person], now: datetime.datetime) -> PeopleExport:
    """Write the file of `export` from `people` (the requester's scoped, filtered queryset).

    Runs in the job queue, outside a transaction: progress is committed every few thousand rows (short
    writes, so SQLite's other writers are not blocked), and the export is audited with the rows the file
    really holds. The file's first line says who exported it and when.
    """
    PeopleExport.objects.filter(pk=export.pk).update(status=ExportStatus.RUNNING, rows_total=people.count())
    export_dir().mkdir(parents=True, exist_ok=True)
    actor = export.requested_by
    local = timezone.localtime(export.created_at)
    name = f"people-{local:%Y%m%d-%H%M%S}-{export.uuid.hex[:8]}.csv"
    path = export_dir() / name
    written = 0

    def rows() -> Iterator[list[Any]]:
        nonlocal written
        for person in people.iterator(chunk_size=2000):
            yield export_row(person)
            written += 1
            if written % EXPORT_PROGRESS_EVERY == 0:
                PeopleExport.objects.filter(pk=export.pk).update(rows_written=written)

    stamp = exports.Stamp.of(actor.full_name, actor.get_username(), export.created_at)
    try:
        with path.open("w", encoding="utf-8", newline="") as out:
            exports.write_csv(out, EXPORT_HEADER, rows(), stamp=stamp)
    except Exception:
        path.unlink(missing_ok=True)
        PeopleExport.objects.filter(pk=export.pk).update(
            status=ExportStatus.FAILED, finished_at=timezone.now()
        )
        raise
    with transaction.atomic():
        PeopleExport.objects.filter(pk=export.pk).update(
            status=ExportStatus.DONE, rows_written=written, file_name=name, finished_at=timezone.now()
        )
        record(
            actor,
            AuditAction.EXPORT,
            obj=export,
            region=export.region,
            label=_("People"),
            note=f"q={export.q} region={export.region_code} rows={written}",
            now=now,
        )
    export.refresh_from_db()
    return export


EXPORT_KEEP = datetime.timedelta(hours=24)


def do_remove_old_exports(now: datetime.datetime) -> int:
    """Delete export files a day after they were written: personal data (masked, but still a list of people)
    does not pile up on the server. Idempotent; returns how many files were removed."""
    old = PeopleExport.objects.filter(status=ExportStatus.DONE, finished_at__lt=now - EXPORT_KEEP)
    removed = 0
    for export in old:
        (export_dir() / export.file_name).unlink(missing_ok=True)
        PeopleExport.objects.filter(pk=export.pk).update(status=ExportStatus.EXPIRED, file_name="")
        removed += 1
    return removed


def do_download_export(actor: User, export: PeopleExport, now: datetime.datetime) -> Path:
    """The finished file of `export`; every download is on the record."""
    record(
        actor,
        AuditAction.EXPORT,
        obj=export,
        region=export.region,
        label=_("People"),
        note=f"download rows={export.rows_written}",
        now=now,
    )
    return export_dir() / export.file_name


def check_register_within(actor: User, **fields: Any) -> tuple[Person, bool]:
    """Register from a page or the API: a document already held by a person outside the actor's jurisdiction is
    refused with one fixed message, so nothing about that person (who, where, which record) leaks."""
    from fangkong.accounts.access import in_jurisdiction

    person, created = do_register_person(actor, **fields)
    if not created and not in_jurisdiction(actor, person.region):
        raise ValidationError(
            {
                "document_number": _(
                    "This document is registered in another unit. Ask the command office to move the person."
                )
            }
        )
    return person, created


# ---------------------------------------------------------------------------------------------------
# Hand-overs (移交)


def needs_transfer(person: Person, region: Region) -> bool:
    """Whether `person`, found by document while registering in `region`, is held by another village."""
    reported_village = region.parent if region.level == Level.GRID and region.parent else region
    return not reported_village.contains(person.region)


@transaction.atomic
def do_request_transfer(
    actor: User | None,
    person: Person,
    region: Region,
    *,
    reported_name: str,
    source: str,
    now: datetime.datetime,
) -> PersonTransfer:
    """Ask the unit holding `person` to hand them over to `region`, where they were reported.

    One pending request per person and unit: a second report adds nothing. Audited on the person (the
    holding unit reads it there) and on the request (the registering unit reads it there).
    """
    pending = PersonTransfer.objects.filter(
        person=person, region=region, status=TransferStatus.PENDING
    ).first()
    if pending is not None:
        return pending
    transfer = PersonTransfer.objects.create(
        person=person,
        from_region=person.region,
        region=region,
        reported_name=(reported_name or "").strip()[:100],
        source=source[:100],
        requested_at=now,
        requested_by=actor,
    )
    record(
        actor,
        AuditAction.CREATE,
        obj=transfer,
        region=region,
        changes={"status": [None, TransferStatus.PENDING.value]},
        note=source,
        now=now,
    )
    return transfer


def check_transfer_decider(actor: User, transfer: PersonTransfer) -> None:
    """Only the holding unit, or a unit above both (the command office), decides a hand-over."""
    from fangkong.accounts.access import in_jurisdiction

    if not in_jurisdiction(actor, transfer.from_region):
        raise ValidationError(_("Only the unit holding this person can decide the hand-over."))
    if transfer.status != TransferStatus.PENDING:
        raise ValidationError(_("This hand-over has already been decided."))


@transaction.atomic
def do_accept_transfer(actor: User, transfer: PersonTransfer, now: datetime.datetime) -> PersonTransfer:
    """Move the person to the unit where they were reported; their household stays with the old village."""
    transfer = (
        PersonTransfer.objects.select_for_update().select_related("person", "region").get(pk=transfer.pk)
    )
    check_transfer_decider(actor, transfer)
    do_update_person(actor, transfer.person, region=transfer.region, household_number="")
    transfer.status, transfer.decided_at, transfer.decided_by = TransferStatus.ACCEPTED, now, actor
    transfer.save(update_fields=["status", "decided_at", "decided_by"])
    record(
        actor,
        AuditAction.UPDATE,
        obj=transfer,
        region=transfer.region,
        changes={
            "status": [TransferStatus.PENDING.value, TransferStatus.ACCEPTED.value],
            "region": [transfer.from_region.code, transfer.region.code],
        },
        now=now,
    )
    return transfer


@transaction.atomic
def do_decline_transfer(
    actor: User, transfer: PersonTransfer, note: str, now: datetime.datetime
) -> PersonTransfer:
    """Keep the person where they are; the registering unit sees the reason."""
    transfer = PersonTransfer.objects.select_for_update().select_related("region").get(pk=transfer.pk)
    check_transfer_decider(actor, transfer)
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("Give a reason.")})
    transfer.status, transfer.decided_at, transfer.decided_by = TransferStatus.DECLINED, now, actor
    transfer.note = note[:200]
    transfer.save(update_fields=["status", "decided_at", "decided_by", "note"])
    record(
        actor,
        AuditAction.UPDATE,
        obj=transfer,
        region=transfer.region,
        changes={"status": [TransferStatus.PENDING.value, TransferStatus.DECLINED.value]},
        note=transfer.note,
        now=now,
    )
    return transfer
