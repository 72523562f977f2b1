"""Every change in medical surveillance: validate, save and audit in one transaction; actions take `now`.

A registration finds or registers the person (by document, as every app does), and gives the grid worker of the
person's grid a follow-up task due 24 hours later. A pharmacy's ledger (CSV/XLSX) is read through the guarded
spreadsheet reader and loaded all or nothing, each row through the same rule as the form.
"""

from __future__ import annotations

import csv
import datetime
import io
import itertools
import tempfile
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from fangkong.accounts.access import has_perm, in_jurisdiction
from fangkong.accounts.models import User
from fangkong.accounts.permissions import Perm, Role
from fangkong.audit.actions import record
from fangkong.audit.models import AuditAction
from fangkong.clinics.models import (
    FOLLOW_UP_WITHIN,
    Facility,
    FacilityKind,
    FollowUp,
    Medicine,
    RecordKind,
    SurveillanceRecord,
)
from fangkong.clinics.signals import fever_patient_registered
from fangkong.lib.masking import mask_document
from fangkong.lib.spreadsheets import SpreadsheetError, open_sheet
from fangkong.people.actions import check_document, do_register_person
from fangkong.people.models import DocumentType
from fangkong.regions.models import Level, Region

MAX_LEDGER_ROWS = 2000
MAX_LEDGER_BYTES = 5 * 1024 * 1024


@transaction.atomic
def do_create_facility(
    actor: User,
    *,
    name: str,
    kind: str,
    region: Region,
    address: str = "",
    staff: list[User] | None = None,
    now: datetime.datetime,
) -> Facility:
    errors: dict[str, str] = {}
    if not has_perm(actor, Perm.CLINICS_FOLLOW_UP) or not in_jurisdiction(actor, region):
        errors["region"] = _("You cannot add facilities to this unit.")
    if region.level not in (Level.VILLAGE, Level.GRID):
        errors["region"] = _("A facility belongs to a village (community) or a grid.")
    if not name.strip():
        errors["name"] = _("Enter the name.")
    if kind not in FacilityKind.values:
        errors["kind"] = _("Choose the kind of facility.")
    for user in staff or []:
        if user.role != Role.FACILITY_STAFF or not in_jurisdiction(actor, user.region):
            errors["staff"] = _("Choose facility staff accounts of your jurisdiction.")
    if errors:
        raise ValidationError(errors)
    facility = Facility.objects.create(name=name.strip(), kind=kind, region=region, address=address.strip())
    if staff:
        facility.staff.set(staff)
    record(actor, AuditAction.CREATE, obj=facility, changes={"name": [None, facility.name]}, now=now)
    return facility


@dataclass
class RecordInput:
    kind: str
    name: str
    document_number: str
    home: Region | None = None  # the person's village or grid, when the person is new
    phone: str = ""
    temperature: Any = None
    symptoms: str = ""
    epidemiological_history: str = ""
    sampled: bool = False
    medicine: str = ""


def grid_worker_of(region: Region) -> User | None:
    """The grid worker of a grid (the first active one); for a village, its first grid's worker, if any."""
    qs = User.objects.filter(role=Role.GRID_WORKER, is_active=True)
    found = qs.filter(region=region).order_by("id").first()
    if found is None and region.level == Level.VILLAGE:
        found = qs.filter(region__parent=region).order_by("region__code", "id").first()
    return found


def _temperature(raw: Any) -> Decimal | None:
    if raw is None or str(raw).strip() == "":
        return None
    try:
        value = Decimal(str(raw).strip()).quantize(Decimal("0.1"))
    except (InvalidOperation, ValueError):
        raise ValidationError({"temperature": _("Enter a temperature between 34.0 and 43.0 °C.")}) from None
    if not (Decimal("34.0") <= value <= Decimal("43.0")):
        raise ValidationError({"temperature": _("Enter a temperature between 34.0 and 43.0 °C.")})
    return value


def check_record(data: RecordInput) -> Decimal | None:
    errors: dict[str, str] = {}
    if data.kind not in RecordKind.values:
        errors["kind"] = _("Choose a fever patient or a medicine purchase.")
    if not data.document_number.strip():
        errors["document_number"] = _("Enter the document number (real-name registration).")
    else:
        try:
            check_document(DocumentType.RESIDENT_ID, data.document_number)
        except ValidationError as exc:
            errors["document_number"] = exc.messages[0]
    if not data.name.strip():
        errors["name"] = _("Enter the name.")
    if data.kind == RecordKind.DRUG_PURCHASE and data.medicine not in Medicine.values:
        errors["medicine"] = _("Choose the kind of medicine.")
    if data.home is not None and data.home.level not in (Level.VILLAGE, Level.GRID):
        errors["home"] = _("Choose a village or a grid.")
    try:
        temperature = _temperature(data.temperature)
    except ValidationError as exc:
        errors.update({k: v[0] for k, v in exc.message_dict.items()})
        temperature = None
    if data.kind == RecordKind.FEVER_PATIENT and temperature is None and "temperature" not in errors:
        errors["temperature"] = _("Enter the temperature.")
    if errors:
        raise ValidationError(errors)
    return temperature


@transaction.atomic
def do_register_record(
    actor: User, facility: Facility, data: RecordInput, *, now: datetime.datetime, from_ledger: bool = False
) -> SurveillanceRecord:
    """Register a fever patient or a medicine buyer; the person's grid worker gets a task due in 24 hours."""
    temperature = check_record(data)
    person, _created = do_register_person(
        actor,
        name=data.name,
        region=data.home or facility.region,
        document_number=data.document_number,
        phone=data.phone,
    )
    entry = SurveillanceRecord.objects.create(
        facility=facility,
        region=facility.region,
        kind=data.kind,
        person=person,
        temperature=temperature,
        symptoms=data.symptoms.strip()[:200],
        epidemiological_history=data.epidemiological_history.strip()[:200],
        sampled=data.sampled,
        medicine=data.medicine if data.kind == RecordKind.DRUG_PURCHASE else "",
        from_ledger=from_ledger,
        registered_at=now,
        registered_by=actor,
    )
    FollowUp.objects.create(
        record=entry,
        person=person,
        region=person.region,
        assigned_to=grid_worker_of(person.region),
        due_at=now + FOLLOW_UP_WITHIN,
    )
    record(
        actor,
        AuditAction.CREATE,
        obj=entry,
        changes={"person": [None, mask_document(person.document_number)], "kind": [None, data.kind]},
        now=now,
    )
    if entry.kind == RecordKind.FEVER_PATIENT:
        # Control proposes a transfer to a fever clinic when the patient was seen elsewhere (contract C2).
        fever_patient_registered.send(sender=SurveillanceRecord, record=entry, actor=actor, now=now)
    return entry


@transaction.atomic
def do_complete_follow_up(actor: User, task: FollowUp, *, outcome: str, now: datetime.datetime) -> FollowUp:
    if task.done_at is not None:
        raise ValidationError({"outcome": _("This task is already done.")})
    if not outcome.strip():
        raise ValidationError({"outcome": _("Write what the follow-up found.")})
    task.done_at = now
    task.outcome = outcome.strip()[:200]
    task.save(update_fields=["done_at", "outcome"])
    record(actor, AuditAction.UPDATE, obj=task, changes={"done_at": [None, now.isoformat()]}, now=now)
    return task


# ---------------------------------------------------------------------------------------------------
# Pharmacy ledgers (实名购药台账)

_HEADERS = {
    "姓名": "name",
    "name": "name",
    "证件号码": "document_number",
    "身份证号": "document_number",
    "身份证号码": "document_number",
    "document_number": "document_number",
    "手机号": "phone",
    "手机号码": "phone",
    "联系电话": "phone",
    "phone": "phone",
    "药品类别": "medicine",
    "药品类型": "medicine",
    "medicine": "medicine",
}
_MEDICINE_WORDS = {
    "退烧": Medicine.FEVER,
    "退热": Medicine.FEVER,
    "退烧药": Medicine.FEVER,
    "止咳": Medicine.COUGH,
    "止咳药": Medicine.COUGH,
    "抗生素": Medicine.ANTIBIOTIC,
    "抗菌药": Medicine.ANTIBIOTIC,
    "抗病毒": Medicine.ANTIVIRAL,
    "抗病毒药": Medicine.ANTIVIRAL,
    **{m.value: m for m in Medicine},
}


def _rows(name: str, content: bytes) -> list[list[str]]:
    """Every cell as text (a ledger's ID numbers and phones must not become numbers)."""
    if len(content) > MAX_LEDGER_BYTES:
        raise ValidationError({"file": _("The file is larger than 5 MB.")})
    if name.lower().endswith(".xlsx"):
        with tempfile.NamedTemporaryFile(suffix=".xlsx") as fh:
            fh.write(content)
            fh.flush()
            try:
                with open_sheet(Path(fh.name), max_rows=MAX_LEDGER_ROWS + 1) as sheet:
                    raw = list(itertools.islice(sheet.rows(), MAX_LEDGER_ROWS + 2))
            except SpreadsheetError as exc:
                raise ValidationError({"file": str(exc)}) from None
        return [["" if c is None else str(c).strip() for c in row] for row in raw]
    if not name.lower().endswith(".csv"):
        raise ValidationError({"file": _("Upload a CSV or XLSX file.")})
    if b"\x00" in content:
        raise ValidationError({"file": _("The file contains NUL characters; save it as UTF-8 CSV or XLSX.")})
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError({"file": _("Save the CSV file as UTF-8.")}) from None
    return [
        [c.strip() for c in r] for r in itertools.islice(csv.reader(io.StringIO(text)), MAX_LEDGER_ROWS + 2)
    ]


@dataclass
class LedgerResult:
    rows: int


def do_import_ledger(
    actor: User, facility: Facility, name: str, content: bytes, *, now: datetime.datetime
) -> LedgerResult:
    """Load a ledger all or nothing: every row is checked first; one bad row and nothing is stored, with the
    problems listed by line number."""
    rows = _rows(name, content)
    if not rows:
        raise ValidationError({"file": _("The file is empty.")})
    columns: dict[int, str] = {}
    for i, header in enumerate(rows[0]):
        found = _HEADERS.get(header.strip()) or _HEADERS.get(header.strip().lower())
        if found:
            columns[i] = found
    if not {"name", "document_number", "medicine"} <= set(columns.values()):
        raise ValidationError(
            {"file": _("The first row must name the columns 姓名, 证件号码, 药品类别 (手机号 optional).")}
        )
    body = [r for r in rows[1:] if any(c for c in r)]
    if len(body) > MAX_LEDGER_ROWS:
        raise ValidationError({"file": _("At most %(n)d rows per file.") % {"n": MAX_LEDGER_ROWS}})
    inputs: list[RecordInput] = []
    problems: list[str] = []
    for number, row in enumerate(rows[1:], start=2):
        if not any(c for c in row):
            continue
        values = {field: (row[i] if i < len(row) else "") for i, field in columns.items()}
        medicine = _MEDICINE_WORDS.get(values.get("medicine", "").strip(), "")
        data = RecordInput(
            kind=RecordKind.DRUG_PURCHASE,
            name=values.get("name", ""),
            document_number=values.get("document_number", ""),
            phone=values.get("phone", ""),
            medicine=medicine,
        )
        try:
            check_record(data)
        except ValidationError as exc:
            problems += [_("Line %(n)d: %(error)s") % {"n": number, "error": m} for m in exc.messages]
            continue
        inputs.append(data)
    if problems:
        raise ValidationError({"file": problems[:50]})
    if not inputs:
        raise ValidationError({"file": _("The file has no rows.")})
    with transaction.atomic():
        for data in inputs:
            do_register_record(actor, facility, data, now=now, from_ledger=True)
        record(actor, AuditAction.IMPORT, obj=facility, note=f"ledger rows={len(inputs)}", now=now)
    return LedgerResult(len(inputs))
