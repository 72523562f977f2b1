"""Every change in vaccination: `check_*`/`parse_*` validate, `do_*` save and audit in one transaction.

The import of the vaccination system's export is all or nothing: every row is checked first (people matched by
document number inside the importer's jurisdiction, products by name and maker, doses and dates), the rows in
error go to an error file and nothing is stored; a file already imported (same SHA-256) is refused. A dose
already known with the same day is counted as known, so a later export that repeats earlier doses imports.
Doses registered by hand at a site go through `check_dose`, the same rule as the import's rows.
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
import itertools
import tempfile
import unicodedata
import uuid
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from fangkong.accounts.access import within
from fangkong.accounts.models import User
from fangkong.audit.actions import record
from fangkong.audit.models import AuditAction
from fangkong.lib.dates import event_day_error
from fangkong.lib.exports import write_csv
from fangkong.lib.masking import mask_document
from fangkong.lib.reporting_day import local_date
from fangkong.lib.spreadsheets import SpreadsheetError, open_sheet
from fangkong.people.models import Person
from fangkong.regions.models import Level, Region
from fangkong.vaccination.models import (
    AgeBand,
    DoseSource,
    ImportStatus,
    KeyGroup,
    KeyGroupMember,
    MobilisationNote,
    NotVaccinatedReason,
    VaccinationImport,
    VaccinationRecord,
    VaccinationSite,
    VaccinationTarget,
    VaccineProduct,
    completes_course,
)

MAX_IMPORT_ROWS = 50_000
MAX_DOSE_NUMBER = 9
BATCH = 1000

# Header words of the vaccination system's export (zh and en), normalised (NFKC, no spaces, lower case).
HEADERS = {
    "身份证号": "document",
    "身份证号码": "document",
    "证件号码": "document",
    "证件号": "document",
    "document_number": "document",
    "id_number": "document",
    "姓名": "name",
    "name": "name",
    "疫苗名称": "product",
    "疫苗": "product",
    "产品名称": "product",
    "product": "product",
    "vaccine": "product",
    "生产企业": "manufacturer",
    "生产厂家": "manufacturer",
    "manufacturer": "manufacturer",
    "剂次": "dose",
    "接种剂次": "dose",
    "dose": "dose",
    "dose_number": "dose",
    "接种日期": "date",
    "接种时间": "date",
    "date": "date",
    "vaccinated_on": "date",
    "接种单位": "site",
    "接种点": "site",
    "接种地点": "site",
    "site": "site",
    "疫苗批号": "lot",
    "批号": "lot",
    "lot": "lot",
}
REQUIRED = ("document", "product", "dose", "date")


def normalise(text: Any) -> str:
    return "".join(unicodedata.normalize("NFKC", "" if text is None else str(text)).split())


def _cell(value: Any) -> str:
    """Every column is read as text (a document number must never become a float)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).strip()


def parse_day(raw: str) -> datetime.date | None:
    text = raw.strip().replace("/", "-").replace(".", "-")
    for fmt in ("%Y-%m-%d", "%Y%m%d", "%Y年%m月%d日"):
        try:
            return datetime.datetime.strptime(text[:19].split(" ")[0].split("T")[0], fmt).date()  # noqa: DTZ007 - a day
        except ValueError:
            continue
    return None


def parse_dose(raw: str) -> int | None:
    text = normalise(raw).removeprefix("第").removesuffix("剂").removesuffix("针")
    words = {"一": 1, "二": 2, "三": 3, "四": 4, "加强": 3}
    if text in words:
        return words[text]
    return int(text) if text.isdigit() and 1 <= int(text) <= MAX_DOSE_NUMBER else None


def read_table(name: str, content: bytes) -> list[list[str]]:
    """The rows of a CSV or XLSX export as text; an XLSX is read in a guarded child process."""
    if name.lower().endswith(".xlsx"):
        with tempfile.NamedTemporaryFile(suffix=".xlsx") as fh:
            fh.write(content)
            fh.flush()
            with open_sheet(Path(fh.name), max_rows=MAX_IMPORT_ROWS) as sheet:
                return [
                    [_cell(v) for v in row] for row in itertools.islice(sheet.rows(), MAX_IMPORT_ROWS + 2)
                ]
    if b"\x00" in content:
        raise SpreadsheetError(_("The file contains NUL characters; save it as UTF-8 CSV or XLSX."))
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = content.decode("gb18030", errors="replace")  # exports saved by Excel on Chinese Windows
    return [
        [_cell(v) for v in row]
        for row in itertools.islice(csv.reader(io.StringIO(text)), MAX_IMPORT_ROWS + 2)
    ]


@dataclass
class DoseRow:
    line: int
    person: Person
    product: VaccineProduct
    dose_number: int
    vaccinated_on: datetime.date
    site_name: str
    lot: str
    known: bool = False  # the same dose on the same day is already recorded


class ProductFinder:
    """Products by name and maker, as the export writes them (data: `VaccineProduct`)."""

    def __init__(self) -> None:
        self.products = [
            (normalise(p.name), normalise(p.manufacturer), p) for p in VaccineProduct.objects.all()
        ]
        self.found: dict[tuple[str, str], VaccineProduct | None] = {}  # an export names a few products

    def find(self, name: str, manufacturer: str) -> VaccineProduct | None:
        if (name, manufacturer) not in self.found:
            key, maker = normalise(name), normalise(manufacturer)
            named = [p for n, m, p in self.products if n == key and (not maker or maker in m or m in maker)]
            self.found[(name, manufacturer)] = named[0] if len(named) == 1 else None
        return self.found[(name, manufacturer)]


def check_dose(
    product: VaccineProduct | None, dose_number: int | None, day: datetime.date | None, today: datetime.date
) -> list[str]:
    """The problems of one dose, for a row of the import and the site's form alike."""
    problems = []
    if product is None:
        problems.append(_("Unknown vaccine product (name and manufacturer)."))
    if dose_number is None:
        problems.append(_("The dose number must be 1 to %(n)d.") % {"n": MAX_DOSE_NUMBER})
    if day is None:
        problems.append(_("The vaccination date is missing or not a date."))
    elif error := event_day_error(day, today=today):
        problems.append(error)
    return problems


@dataclass
class ParsedImport:
    rows: list[DoseRow]
    errors: list[tuple[int, str, list[str]]]  # (line, message, the row as read with the document masked)
    total: int


def parse_import(root: Region, table: list[list[str]], today: datetime.date) -> ParsedImport:
    """Check every row; a person is matched by document number among the active people inside `root`."""
    if not table:
        raise ValidationError({"file": _("The file is empty.")})
    header = [HEADERS.get(normalise(h).lower(), "") for h in table[0]]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise ValidationError(
            {
                "file": _(
                    "The first row must name the columns 身份证号, 疫苗名称, 剂次 and 接种日期 (missing: %(cols)s)."
                )
                % {"cols": ", ".join(missing)}
            }
        )
    data = [r for r in table[1:] if any(c.strip() for c in r)]
    if len(data) > MAX_IMPORT_ROWS:
        raise ValidationError(
            {"file": _("At most %(n)d rows can be imported at once.") % {"n": MAX_IMPORT_ROWS}}
        )
    products = ProductFinder()
    values = [{col: v for col, v in zip(header, raw, strict=False) if col} for raw in data]
    numbers = {normalise(v.get("document", "")).upper() for v in values} - {""}
    people: dict[str, Person] = {}
    number_list = sorted(numbers)
    for start in range(0, len(number_list), BATCH):
        chunk = number_list[start : start + BATCH]
        for found in Person.objects.active().filter(within(root), document_number__in=chunk):
            people[found.document_number] = found
    known: dict[tuple[int, int], datetime.date] = {}
    person_ids = sorted({p.pk for p in people.values()})
    for start in range(0, len(person_ids), BATCH):
        for pid, dose_no, given in VaccinationRecord.objects.filter(
            person_id__in=person_ids[start : start + BATCH]
        ).values_list("person_id", "dose_number", "vaccinated_on"):
            known[(pid, dose_no)] = given
    parsed = ParsedImport([], [], len(data))
    seen: dict[tuple[int, int], int] = {}
    for line, (raw, v) in enumerate(zip(data, values, strict=True), start=2):
        number = normalise(v.get("document", "")).upper()
        person = people.get(number)
        product = products.find(v.get("product", ""), v.get("manufacturer", ""))
        dose = parse_dose(v.get("dose", ""))
        day = parse_day(v.get("date", ""))
        problems = check_dose(product, dose, day, today)
        if not number:
            problems.insert(0, _("The document number is missing."))
        elif person is None:
            problems.insert(0, _("No active person with this document number in your jurisdiction."))
        elif dose is not None:
            if (person.pk, dose) in seen:
                problems.append(
                    _("The same dose is listed twice (line %(n)d).") % {"n": seen[(person.pk, dose)]}
                )
            seen[(person.pk, dose)] = line
            old = known.get((person.pk, dose))
            if old is not None and day is not None and old != day:
                problems.append(
                    _("Dose %(dose)d of this person is already recorded on %(day)s.")
                    % {"dose": dose, "day": old.isoformat()}
                )
        if problems:
            shown = [
                mask_document(c) if col == "document" else c for col, c in zip(header, raw, strict=False)
            ]
            parsed.errors.append((line, "；".join(problems), shown))
            continue
        assert person is not None and product is not None and dose is not None and day is not None  # noqa: S101
        parsed.rows.append(
            DoseRow(
                line,
                person,
                product,
                dose,
                day,
                v.get("site", "")[:100],
                v.get("lot", "")[:50],
                known=(person.pk, dose) in known,
            )
        )
    return parsed


def error_dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / "vaccination-errors"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _write_errors(batch_uuid: uuid.UUID, header: list[str], errors: list[tuple[int, str, list[str]]]) -> str:
    name = f"{batch_uuid}.csv"
    with (error_dir() / name).open("w", encoding="utf-8", newline="") as out:
        write_csv(out, [_("Line"), _("Problem"), *header], ([line, msg, *row] for line, msg, row in errors))
    return name


def do_import_vaccinations(
    actor: User, root: Region, file_name: str, content: bytes, now: datetime.datetime
) -> VaccinationImport:
    """Import an export of the vaccination system into `root`'s people, all or nothing (see the module doc)."""
    file_hash = hashlib.sha256(content).hexdigest()
    done = VaccinationImport.objects.filter(file_hash=file_hash, status=ImportStatus.DONE).first()
    if done is not None:
        raise ValidationError(
            {
                "file": _("This file was already imported on %(day)s (%(name)s).")
                % {"day": local_date(done.created_at).isoformat(), "name": done.file_name}
            }
        )
    try:
        table = read_table(file_name, content)
    except SpreadsheetError as exc:
        raise ValidationError({"file": exc.message}) from None
    except (csv.Error, ValueError) as exc:
        raise ValidationError({"file": _("The file could not be read.")}) from exc
    parsed = parse_import(root, table, local_date(now))
    batch = VaccinationImport(
        region=root,
        file_name=file_name[:200],
        file_hash=file_hash,
        rows=parsed.total,
        created_by=actor,
        created_at=now,
    )
    if parsed.errors:
        batch.status = ImportStatus.FAILED
        batch.error_count = len(parsed.errors)
        batch.error_file = _write_errors(batch.uuid, table[0], parsed.errors)
        batch.message = _("%(n)d rows have errors; nothing was imported.") % {"n": len(parsed.errors)}
        with transaction.atomic():
            batch.save()
            record(actor, AuditAction.IMPORT, obj=batch, note=batch.message, now=now)
        return batch
    try:
        with transaction.atomic():
            _store(actor, batch, parsed.rows, now)
    except IntegrityError:
        # The same file imported at the same moment by someone else: theirs won.
        raise ValidationError({"file": _("This file is being imported by someone else.")}) from None
    return batch


def _store(actor: User, batch: VaccinationImport, rows: list[DoseRow], now: datetime.datetime) -> None:
    batch.status = ImportStatus.DONE
    batch.save()
    new = [
        VaccinationRecord(
            person_id=r.person.pk,
            product_id=r.product.pk,
            dose_number=r.dose_number,
            vaccinated_on=r.vaccinated_on,
            site_name=r.site_name,
            lot=r.lot,
            completes_course=completes_course(r.dose_number, r.product.course_doses),
            source=DoseSource.IMPORT,
            batch_id=batch.pk,
            created_by_id=actor.pk if actor else None,
            created_at=now,
        )
        for r in rows
        if not r.known
    ]
    batch.known = len(rows) - len(new)
    VaccinationRecord.objects.bulk_create(new, batch_size=BATCH)
    batch.created = len(new)
    batch.message = _("%(new)d doses added, %(known)d already known.") % {
        "new": batch.created,
        "known": batch.known,
    }
    batch.save(update_fields=["created", "known", "message"])
    record(
        actor,
        AuditAction.IMPORT,
        obj=batch,
        changes={"created": [None, batch.created], "known": [None, batch.known]},
        note=batch.message,
        now=now,
    )


def do_register_dose(
    actor: User,
    person: Person,
    *,
    product: VaccineProduct | None,
    dose_number: int | None,
    vaccinated_on: datetime.date | None,
    site: VaccinationSite | None,
    lot: str,
    now: datetime.datetime,
) -> VaccinationRecord:
    """A dose registered by hand at a site (the same checks as an imported row)."""
    problems = check_dose(product, dose_number, vaccinated_on, local_date(now))
    if problems:
        raise ValidationError(problems)
    assert product is not None and dose_number is not None and vaccinated_on is not None  # noqa: S101
    with transaction.atomic():
        # Lock the person: two registrations of the same dose must not both pass the check below.
        Person.objects.select_for_update().filter(pk=person.pk).first()
        old = VaccinationRecord.objects.filter(person=person, dose_number=dose_number).first()
        if old is not None:
            raise ValidationError(
                {
                    "dose_number": _("Dose %(dose)d of this person is already recorded on %(day)s.")
                    % {"dose": dose_number, "day": old.vaccinated_on.isoformat()}
                }
            )
        dose = VaccinationRecord.objects.create(
            person=person,
            product=product,
            dose_number=dose_number,
            vaccinated_on=vaccinated_on,
            site=site,
            site_name=site.name if site else "",
            lot=lot.strip()[:50],
            completes_course=completes_course(dose_number, product.course_doses),
            source=DoseSource.SITE,
            created_by=actor,
            created_at=now,
        )
        record(
            actor,
            AuditAction.CREATE,
            obj=dose,
            region=person.region,
            label=f"{person.name} {mask_document(person.document_number)}",
            changes={
                "product": [None, str(product)],
                "dose_number": [None, dose_number],
                "vaccinated_on": [None, vaccinated_on.isoformat()],
                "site": [None, dose.site_name],
                "lot": [None, dose.lot],
            },
            now=now,
        )
    return dose


def do_set_reason(
    actor: User,
    person: Person,
    *,
    reason: str,
    scheduled_on: datetime.date | None,
    note: str,
    now: datetime.datetime,
) -> MobilisationNote:
    """Why a person of the grid is not yet vaccinated (禁忌, refused, away, scheduled with a day)."""
    if reason not in NotVaccinatedReason.values:
        raise ValidationError({"reason": _("Choose a reason.")})
    if reason == NotVaccinatedReason.SCHEDULED:
        if scheduled_on is None:
            raise ValidationError({"scheduled_on": _("Give the day the person is scheduled for.")})
        if error := event_day_error(scheduled_on, today=local_date(now)):
            raise ValidationError({"scheduled_on": error})
    else:
        scheduled_on = None
    with transaction.atomic():
        current = MobilisationNote.objects.select_for_update().filter(person=person).first()
        before = (current.reason, current.scheduled_on) if current else (None, None)
        item, _created = MobilisationNote.objects.update_or_create(
            person=person,
            defaults={
                "reason": reason,
                "scheduled_on": scheduled_on,
                "note": note.strip()[:200],
                "updated_by": actor,
                "updated_at": now,
            },
        )
        record(
            actor,
            AuditAction.UPDATE if current else AuditAction.CREATE,
            obj=item,
            region=person.region,
            label=f"{person.name} {mask_document(person.document_number)}",
            changes={
                "reason": [before[0], reason],
                "scheduled_on": [
                    before[1].isoformat() if before[1] else None,
                    scheduled_on.isoformat() if scheduled_on else None,
                ],
            },
            now=now,
        )
    return item


@transaction.atomic
def do_set_target(
    actor: User, region: Region, *, band: AgeBand | None, group: KeyGroup | None, rate: Decimal
) -> VaccinationTarget:
    """目标任务: the rate a unit must reach for a band, a key group or everyone."""
    if band is not None and group is not None:
        raise ValidationError(_("A target is for an age band or a key group, not both."))
    if not Decimal(0) <= rate <= Decimal(100):
        raise ValidationError({"rate": _("A rate lies between 0 and 100.")})
    target = (
        VaccinationTarget.objects.select_for_update().filter(region=region, band=band, group=group).first()
    )
    before = target.rate if target else None
    if target is None:
        target = VaccinationTarget.objects.create(region=region, band=band, group=group, rate=rate)
    else:
        target.rate = rate
        target.save(update_fields=["rate"])
    record(
        actor,
        AuditAction.UPDATE if before is not None else AuditAction.CREATE,
        obj=target,
        label=f"{region.name} {band or group or ''}",
        changes={"rate": [str(before) if before is not None else None, str(rate)]},
    )
    return target


@transaction.atomic
def do_add_to_key_group(actor: User | None, group: KeyGroup, person: Person) -> bool:
    """Put a person of the registry into a key group (staff of 机关事业单位 …); False if already there."""
    _member, created = KeyGroupMember.objects.get_or_create(group=group, person=person)
    if created:
        record(
            actor,
            AuditAction.UPDATE,
            obj=person,
            label=f"{person.name} {mask_document(person.document_number)}",
            changes={"key_group": [None, group.name]},
        )
    return created


@transaction.atomic
def do_create_site(actor: User | None, region: Region, name: str) -> VaccinationSite:
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the site a name.")})
    if region.level == Level.GRID:
        raise ValidationError({"region": _("A site belongs to a township or a village.")})
    if VaccinationSite.objects.filter(region=region, name=name[:100], is_active=True).exists():
        raise ValidationError({"name": _("This unit already has a site of this name.")})
    site = VaccinationSite.objects.create(region=region, name=name[:100])
    record(actor, AuditAction.CREATE, obj=site, changes={"name": [None, site.name]})
    return site


@transaction.atomic
def do_remove_from_key_group(actor: User | None, group: KeyGroup, person: Person) -> bool:
    """Take a person out of a key group (left the 机关事业单位, no longer a cold-chain worker); False if not in it.

    The person stays in the registry and keeps their doses; only the group's denominator changes."""
    removed, _by_model = KeyGroupMember.objects.filter(group=group, person=person).delete()
    if removed:
        record(
            actor,
            AuditAction.UPDATE,
            obj=person,
            label=f"{person.name} {mask_document(person.document_number)}",
            changes={"key_group": [group.name, None]},
        )
    return bool(removed)


@transaction.atomic
def do_deactivate_site(actor: User | None, site: VaccinationSite) -> VaccinationSite:
    """A site that stops giving doses leaves the lists; the doses it gave keep its name (deactivated, not
    deleted)."""
    site = VaccinationSite.objects.select_for_update().get(pk=site.pk)
    if site.is_active:
        site.is_active = False
        site.save(update_fields=["is_active"])
        record(actor, AuditAction.UPDATE, obj=site, changes={"is_active": [True, False]})
    return site
