"""Every change in the cold chain: validate, save and audit in one transaction; actions take `now`.

The release rule (凡进必检) is here, not in a form: a lot is released only with a negative test and a
disinfection record, whatever calls `do_release_lot` (page, API, import).
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from fangkong.accounts.access import has_perm, in_jurisdiction
from fangkong.accounts.models import User
from fangkong.accounts.permissions import Perm
from fangkong.audit.actions import record
from fangkong.audit.models import AuditAction
from fangkong.coldchain.models import (
    Enterprise,
    EnterpriseKind,
    ImportedLot,
    LotStatus,
    LotTestResult,
    MailBatch,
)
from fangkong.coldchain.signals import workers_changed
from fangkong.lib.dates import event_day_error
from fangkong.lib.reporting_day import local_date
from fangkong.people.actions import do_register_person
from fangkong.people.models import Person
from fangkong.regions.models import Region


def _check_manager(actor: User, region: Region) -> None:
    if not has_perm(actor, Perm.COLDCHAIN_MANAGE) or not in_jurisdiction(actor, region):
        raise ValidationError(_("You cannot manage cold-chain records of this unit."))


@transaction.atomic
def do_create_enterprise(
    actor: User, *, name: str, kind: str, region: Region, address: str = "", now: datetime.datetime
) -> Enterprise:
    _check_manager(actor, region)
    if not name.strip():
        raise ValidationError({"name": _("Enter the name.")})
    if kind not in EnterpriseKind.values:
        raise ValidationError({"kind": _("Choose the kind of enterprise.")})
    enterprise = Enterprise.objects.create(
        name=name.strip(), kind=kind, region=region, address=address.strip()
    )
    record(actor, AuditAction.CREATE, obj=enterprise, changes={"name": [None, enterprise.name]}, now=now)
    return enterprise


@transaction.atomic
def do_add_worker(
    actor: User,
    enterprise: Enterprise,
    *,
    name: str,
    document_number: str,
    phone: str,
    home: Region,
    now: datetime.datetime,
) -> Person:
    """A worker of the enterprise (found or registered by document); workers form testing's key group."""
    _check_manager(actor, enterprise.region)
    person, _created = do_register_person(
        actor, name=name, region=home, document_number=document_number, phone=phone
    )
    already = enterprise.workers.filter(pk=person.pk).exists()
    enterprise.workers.add(person)
    record(
        actor,
        AuditAction.UPDATE,
        obj=enterprise,
        note="worker added",
        changes={"workers": [None, person.masked_document]},
        now=now,
    )
    if not already:
        # Testing puts cold-chain workers in its 3-day key group (contract C3).
        workers_changed.send(sender=None, person_ids=[person.pk], active=True, now=now)
    return person


@transaction.atomic
def do_remove_worker(actor: User, enterprise: Enterprise, person: Person, *, now: datetime.datetime) -> None:
    """The person no longer works at the enterprise; they leave the key group unless they still work at another
    cold-chain enterprise (the person record itself is kept)."""
    _check_manager(actor, enterprise.region)
    if not enterprise.workers.filter(pk=person.pk).exists():
        raise ValidationError(_("This person is not a worker of this enterprise."))
    enterprise.workers.remove(person)
    record(
        actor,
        AuditAction.UPDATE,
        obj=enterprise,
        note="worker removed",
        changes={"workers": [person.masked_document, None]},
        now=now,
    )
    if not Enterprise.workers.through.objects.filter(person_id=person.pk).exists():
        workers_changed.send(sender=None, person_ids=[person.pk], active=False, now=now)


@transaction.atomic
def do_register_lot(
    actor: User,
    enterprise: Enterprise,
    *,
    product: str,
    origin_country: str,
    quantity: str,
    arrived_on: datetime.date,
    port: str = "",
    trace_code: str = "",
    now: datetime.datetime,
) -> ImportedLot:
    _check_manager(actor, enterprise.region)
    errors: dict[str, str] = {}
    if not product.strip():
        errors["product"] = _("Enter the product.")
    if not origin_country.strip():
        errors["origin_country"] = _("Enter the country of origin.")
    if not quantity.strip():
        errors["quantity"] = _("Enter the quantity.")
    if (message := event_day_error(arrived_on, today=local_date(now))) is not None:
        errors["arrived_on"] = message
    elif arrived_on > local_date(now):
        errors["arrived_on"] = _("A lot that has arrived cannot arrive in the future.")
    if errors:
        raise ValidationError(errors)
    lot = ImportedLot.objects.create(
        enterprise=enterprise,
        region=enterprise.region,
        product=product.strip(),
        origin_country=origin_country.strip(),
        port=port.strip(),
        quantity=quantity.strip(),
        arrived_on=arrived_on,
        trace_code=trace_code.strip(),
        created_at=now,
        created_by=actor,
    )
    record(actor, AuditAction.CREATE, obj=lot, changes={"status": [None, lot.status]}, now=now)
    return lot


def _set_status(actor: User, lot: ImportedLot, status: str, now: datetime.datetime, note: str = "") -> None:
    before = lot.status
    lot.status = status
    lot.status_changed_at = now
    lot.save()
    record(actor, AuditAction.UPDATE, obj=lot, changes={"status": [before, status]}, note=note, now=now)


@transaction.atomic
def do_record_lot_test(
    actor: User, lot: ImportedLot, *, result: str, reference: str, now: datetime.datetime
) -> ImportedLot:
    """The lot's test result with its certificate number (or testing sample); a positive lot is held."""
    _check_manager(actor, lot.region)
    if lot.status in (LotStatus.RELEASED, LotStatus.DESTROYED):
        raise ValidationError(_("This lot is closed."))
    if result not in (LotTestResult.NEGATIVE, LotTestResult.POSITIVE):
        raise ValidationError({"result": _("Choose negative or positive.")})
    if not reference.strip():
        raise ValidationError({"reference": _("Enter the certificate number or sample.")})
    before = lot.test_result
    lot.test_result = result
    lot.test_reference = reference.strip()[:64]
    lot.save()
    record(actor, AuditAction.UPDATE, obj=lot, changes={"test_result": [before, result]}, now=now)
    if result == LotTestResult.POSITIVE and lot.status != LotStatus.HELD:
        _set_status(actor, lot, LotStatus.HELD, now, note="positive test")
    return lot


@transaction.atomic
def do_record_disinfection(
    actor: User, lot: ImportedLot, *, certificate: str, now: datetime.datetime
) -> ImportedLot:
    _check_manager(actor, lot.region)
    if lot.status in (LotStatus.RELEASED, LotStatus.DESTROYED):
        raise ValidationError(_("This lot is closed."))
    if not certificate.strip():
        raise ValidationError({"certificate": _("Enter the disinfection certificate number.")})
    lot.disinfection_certificate = certificate.strip()[:64]
    lot.disinfected_at = now
    lot.save()
    record(
        actor,
        AuditAction.UPDATE,
        obj=lot,
        changes={"disinfection_certificate": [None, lot.disinfection_certificate]},
        now=now,
    )
    return lot


@transaction.atomic
def do_release_lot(actor: User, lot: ImportedLot, *, now: datetime.datetime) -> ImportedLot:
    """放行: refused without a negative test and a disinfection record (凡进必检)."""
    _check_manager(actor, lot.region)
    lot = ImportedLot.objects.select_for_update().get(pk=lot.pk)
    if lot.status != LotStatus.ARRIVED and lot.status != LotStatus.HELD:
        raise ValidationError(_("This lot is closed."))
    problems = lot.release_problems()
    messages = {
        "test": _("The lot has no negative test."),
        "disinfection": _("The lot has no disinfection record."),
    }
    if problems:
        raise ValidationError([messages[p] for p in problems])
    _set_status(actor, lot, LotStatus.RELEASED, now)
    return lot


@transaction.atomic
def do_hold_lot(actor: User, lot: ImportedLot, *, now: datetime.datetime) -> ImportedLot:
    _check_manager(actor, lot.region)
    if lot.status != LotStatus.ARRIVED:
        raise ValidationError(_("Only an arrived lot can be held."))
    _set_status(actor, lot, LotStatus.HELD, now)
    return lot


@transaction.atomic
def do_destroy_lot(actor: User, lot: ImportedLot, *, now: datetime.datetime) -> ImportedLot:
    _check_manager(actor, lot.region)
    if lot.status in (LotStatus.RELEASED, LotStatus.DESTROYED):
        raise ValidationError(_("This lot is closed."))
    _set_status(actor, lot, LotStatus.DESTROYED, now)
    return lot


@transaction.atomic
def do_register_mail_batch(
    actor: User,
    enterprise: Enterprise,
    *,
    received_on: datetime.date,
    origin_country: str,
    pieces: int,
    disinfection_certificate: str,
    now: datetime.datetime,
) -> MailBatch:
    """A batch of imported mail at a delivery point, registered with its disinfection (no disinfection, no
    registration: the batch is not delivered)."""
    _check_manager(actor, enterprise.region)
    errors: dict[str, str] = {}
    if enterprise.kind != EnterpriseKind.DELIVERY_POINT:
        errors["enterprise"] = _("Mail batches are registered at a delivery point.")
    if not origin_country.strip():
        errors["origin_country"] = _("Enter the country of origin.")
    if pieces < 1:
        errors["pieces"] = _("Enter the number of pieces.")
    if not disinfection_certificate.strip():
        errors["disinfection_certificate"] = _("Enter the disinfection record.")
    if (message := event_day_error(received_on, today=local_date(now))) is not None:
        errors["received_on"] = message
    if errors:
        raise ValidationError(errors)
    batch = MailBatch.objects.create(
        enterprise=enterprise,
        region=enterprise.region,
        received_on=received_on,
        origin_country=origin_country.strip(),
        pieces=pieces,
        disinfected_at=now,
        disinfection_certificate=disinfection_certificate.strip()[:64],
        created_by=actor,
    )
    record(actor, AuditAction.CREATE, obj=batch, changes={"pieces": [None, pieces]}, now=now)
    return batch
