"""Every change to people and households: `check_*` validates, `do_*` saves and audits in one transaction."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from fangkong.accounts.models import User
from fangkong.audit.actions import diff, record, snapshot
from fangkong.audit.models import AuditAction
from fangkong.lib import idnumbers, phones
from fangkong.lib.masking import mask_document, mask_phone
from fangkong.lib.names import full_pinyin, initials
from fangkong.people.models import DocumentType, Household, Person, Sex
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
MASKS = {"document_number": mask_document, "phone": mask_phone}


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


@transaction.atomic
def do_update_person(actor: User | None, person: Person, **changes: Any) -> Person:
    """Change a person's fields (validated as at registration) and audit before → after."""
    person = Person.objects.select_for_update().get(pk=person.pk)
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


def do_reveal(
    actor: User, person: Person, fields: tuple[str, ...] = ("document_number", "phone")
) -> dict[str, str]:
    """Return the full values of `fields` and audit that this user saw them."""
    values = {f: getattr(person, f) for f in fields}
    record(actor, AuditAction.REVEAL, obj=person, note=",".join(fields))
    return values


def do_log_export(actor: User, root: Region, *, q: str, region_code: str, rows: int) -> None:
    """Every export of people is on the record: who, which filter, how many rows."""
    record(
        actor,
        AuditAction.EXPORT,
        region=root,
        label=_("People"),
        note=f"q={q} region={region_code} rows={rows}",
    )


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
