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
import logging
import tempfile
import unicodedata
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils.translation import gettext as _

from fangkong.accounts.access import within
from fangkong.accounts.models import User
from fangkong.audit.actions import record
from fangkong.audit.models import AuditAction
from fangkong.lib import importjobs
from fangkong.lib.dates import event_day_error
from fangkong.lib.exports import csv_lines, write_csv
from fangkong.lib.masking import mask_document
from fangkong.lib.reporting_day import local_date
from fangkong.lib.spreadsheets import SpreadsheetError, open_sheet
from fangkong.people.models import Person
from fangkong.regions.models import Level, Region
from fangkong.vaccination.coverage import recount_after_commit
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

log = logging.getLogger(__name__)

IMPORT_KIND = "vaccination"
# Rows checked, then stored, per chunk: each stored chunk is one short transaction.
CHUNK = 5_000
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


class ExportFile:
    """An export on disk, read as text rows in chunks, as often as needed (a check pass, then a store pass).

    CSV: UTF-8, or GB18030 as Excel saves it on Chinese Windows (found while the rows are counted); XLSX: read
    in a guarded child process (`lib.spreadsheets`) each pass. No cap on the number of rows: they stream.
    """

    def __init__(self, path: Path, name: str) -> None:
        self.path = path
        self.is_xlsx = name.lower().endswith(".xlsx")
        self.encoding = "utf-8-sig"
        self.header: list[str] = []
        self.rows = 0
        if self.is_xlsx:
            with open_sheet(path) as sheet:
                self.rows = max(sheet.meta.height - 1, 0)
                for raw in sheet.rows():
                    self.header = [_cell(v) for v in raw]
                    break
            return
        try:
            self._count()
        except UnicodeDecodeError:
            self.encoding = "gb18030"
            self._count()

    def _count(self) -> None:
        self.rows = 0
        for number, raw in enumerate(self._csv_rows()):
            if number == 0:
                self.header = raw
            else:
                self.rows += 1

    def _lines(self, fh: IO[str]) -> Iterator[str]:
        for line in fh:
            if "\x00" in line:
                raise SpreadsheetError(_("The file contains NUL characters; save it as UTF-8 CSV or XLSX."))
            yield line

    def _csv_rows(self) -> Iterator[list[str]]:
        errors = "strict" if self.encoding == "utf-8-sig" else "replace"
        with self.path.open(encoding=self.encoding, errors=errors, newline="") as fh:
            for raw in csv.reader(self._lines(fh)):
                yield [_cell(v) for v in raw]

    def _all_rows(self) -> Iterator[list[str]]:
        if not self.is_xlsx:
            yield from self._csv_rows()
            return
        with open_sheet(self.path) as sheet:
            for raw in sheet.rows():
                yield [_cell(v) for v in raw]

    def chunks(self, size: int) -> Iterator[list[tuple[int, list[str]]]]:
        """The data rows (not blank) with their line numbers in the file, `size` at a time."""
        chunk: list[tuple[int, list[str]]] = []
        for line, raw in enumerate(self._all_rows(), start=1):
            if line == 1 or not any(c.strip() for c in raw):
                continue
            chunk.append((line, raw))
            if len(chunk) >= size:
                yield chunk
                chunk = []
        if chunk:
            yield chunk


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


def header_columns(header: list[str]) -> list[str]:
    """The export's columns by meaning ("" for a column not read); ValidationError when one is missing."""
    columns = [HEADERS.get(normalise(h).lower(), "") for h in header]
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        raise ValidationError(
            {
                "file": _(
                    "The first row must name the columns 身份证号, 疫苗名称, 剂次 and 接种日期 (missing: %(cols)s)."
                )
                % {"cols": ", ".join(missing)}
            }
        )
    return columns


class RowChecker:
    """Checks the rows of one export chunk by chunk; remembers the doses seen so far (a dose listed twice)."""

    def __init__(self, root: Region, columns: list[str], today: datetime.date) -> None:
        self.root, self.columns, self.today = root, columns, today
        self.products = ProductFinder()
        # person id × 16 + dose number → the line first listing it (ints: a million rows stay small).
        self.seen: dict[int, int] = {}

    def check(self, chunk: list[tuple[int, list[str]]]) -> ParsedImport:
        """A person is matched by document number among the active people inside the importer's unit."""
        values = [{c: v for c, v in zip(self.columns, raw, strict=False) if c} for _line, raw in chunk]
        numbers = sorted({normalise(v.get("document", "")).upper() for v in values} - {""})
        people: dict[str, Person] = {}
        for start in range(0, len(numbers), BATCH):
            found = Person.objects.active().filter(
                within(self.root), document_number__in=numbers[start : start + BATCH]
            )
            people.update((p.document_number, p) for p in found)
        known: dict[tuple[int, int], datetime.date] = {}
        person_ids = sorted({p.pk for p in people.values()})
        for start in range(0, len(person_ids), BATCH):
            # Doses of another import still running are not known yet: if it fails they go, and the
            # database's one-dose-number rule refuses the overlap when both store it.
            for pid, dose_no, given in (
                VaccinationRecord.objects.visible()
                .filter(person_id__in=person_ids[start : start + BATCH])
                .values_list("person_id", "dose_number", "vaccinated_on")
            ):
                known[(pid, dose_no)] = given
        parsed = ParsedImport([], [], len(chunk))
        for (line, raw), v in zip(chunk, values, strict=True):
            number = normalise(v.get("document", "")).upper()
            person = people.get(number)
            product = self.products.find(v.get("product", ""), v.get("manufacturer", ""))
            dose = parse_dose(v.get("dose", ""))
            day = parse_day(v.get("date", ""))
            problems = check_dose(product, dose, day, self.today)
            if not number:
                problems.insert(0, _("The document number is missing."))
            elif person is None:
                problems.insert(0, _("No active person with this document number in your jurisdiction."))
            elif dose is not None:
                key = person.pk * 16 + dose
                if key in self.seen:
                    problems.append(_("The same dose is listed twice (line %(n)d).") % {"n": self.seen[key]})
                else:
                    self.seen[key] = line
                old = known.get((person.pk, dose))
                if old is not None and day is not None and old != day:
                    problems.append(
                        _("Dose %(dose)d of this person is already recorded on %(day)s.")
                        % {"dose": dose, "day": old.isoformat()}
                    )
            if problems:
                shown = [
                    mask_document(c) if col == "document" else c
                    for col, c in zip(self.columns, raw, strict=False)
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


def parse_import(root: Region, table: list[list[str]], today: datetime.date) -> ParsedImport:
    """Check every row of a table read in full (the rule the import applies chunk by chunk)."""
    if not table:
        raise ValidationError({"file": _("The file is empty.")})
    checker = RowChecker(root, header_columns(table[0]), today)
    data = [
        (line, raw) for line, raw in enumerate(table, start=1) if line > 1 and any(c.strip() for c in raw)
    ]
    return checker.check(data)


def error_dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / "vaccination-errors"
    path.mkdir(parents=True, exist_ok=True)
    return path


def upload_dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / "vaccination-imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _write_errors(batch_uuid: uuid.UUID, header: list[str], errors: list[tuple[int, str, list[str]]]) -> str:
    name = f"{batch_uuid}.csv"
    with (error_dir() / name).open("w", encoding="utf-8", newline="") as out:
        write_csv(out, [_("Line"), _("Problem"), *header], ([line, msg, *row] for line, msg, row in errors))
    return name


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def save_upload(chunks: Iterable[bytes], suffix: str) -> Path:
    """Write an upload to a file of its own (streamed, never held in memory; full ID numbers: mode 600)."""
    with tempfile.NamedTemporaryFile(delete=False, suffix=suffix, dir=upload_dir()) as fh:
        for chunk in chunks:
            fh.write(chunk)
    path = Path(fh.name)
    path.chmod(0o600)
    return path


def _already_imported(done: VaccinationImport) -> ValidationError:
    return ValidationError(
        {
            "file": _("This file was already imported on %(day)s (%(name)s).")
            % {"day": local_date(done.created_at).isoformat(), "name": done.file_name}
        }
    )


@transaction.atomic
def do_register_import(
    actor: User | None, root: Region, file_name: str, path: Path, now: datetime.datetime
) -> tuple[VaccinationImport, bool]:
    """Record an uploaded export (kept at `path`, which the import now owns) as a queued import of `root`'s
    people. A file already imported is refused; a file queued or being imported returns that import (False)."""
    file_hash = file_sha256(path)
    earlier = VaccinationImport.objects.select_for_update().filter(
        file_hash=file_hash, status__in=[ImportStatus.DONE, ImportStatus.QUEUED, ImportStatus.RUNNING]
    )
    for other in earlier:
        path.unlink(missing_ok=True)
        if other.status == ImportStatus.DONE:
            raise _already_imported(other)
        return other, False
    batch = VaccinationImport.objects.create(
        region=root,
        file_name=file_name[:200],
        file_hash=file_hash,
        status=ImportStatus.QUEUED,
        file_path=str(path),
        created_by=actor,
        created_at=now,
    )
    record(actor, AuditAction.CREATE, obj=batch, note=batch.file_name, now=now)
    return batch, True


ProgressCallback = Callable[[int, int], None]


def run_import(
    batch: VaccinationImport,
    actor: User | None,
    now: datetime.datetime,
    progress_cb: ProgressCallback | None = None,
) -> VaccinationImport:
    """Run a queued import from its stored file, all or nothing (see the module doc), in the job consumer.

    First every row is checked, chunk by chunk (the rows in error go to the error file, and then nothing is
    stored); then the doses are stored chunk by chunk, each chunk its own short transaction, while the import
    is `running` — invisible to coverage and counts (`VaccinationRecord.objects.visible()`) until one short
    final commit marks it `done`. A run that fails removes its doses chunk by chunk. The run lock
    (`lib.importjobs`) tells a live run from one whose process died (`do_recover_stale_imports`) and keeps two
    runs of one import apart. The stored upload (full ID numbers) is deleted when the run ends.
    """
    if batch.status in (ImportStatus.DONE, ImportStatus.FAILED):
        return batch
    with importjobs.run_lock(IMPORT_KIND, batch.uuid) as acquired:
        if not acquired:  # another consumer runs this import right now
            batch.refresh_from_db()
            return batch
        claimed = VaccinationImport.objects.filter(
            pk=batch.pk, status__in=[ImportStatus.QUEUED, ImportStatus.RUNNING]
        ).update(status=ImportStatus.RUNNING)
        if not claimed:
            batch.refresh_from_db()
            return batch
        batch.refresh_from_db()
        try:
            # A killed run the recovery has not seen yet may have left doses: start from none.
            importjobs.delete_in_chunks(VaccinationRecord, "batch_id", batch.pk)
            _run(batch, actor, now, progress_cb or (lambda done, total: None))
        except (ValidationError, SpreadsheetError) as exc:
            message = exc.message if isinstance(exc, SpreadsheetError) else "；".join(exc.messages)
            _fail(batch, actor, message, now)
        except (csv.Error, UnicodeError) as exc:
            _fail(batch, actor, _("The file could not be read."), now, note=str(exc))
        except Exception as exc:
            log.exception("vaccination import %s failed", batch.uuid)
            _fail(batch, actor, _("The import stopped: %(error)s") % {"error": exc}, now)
            raise
        finally:
            importjobs.clear_progress(IMPORT_KIND, batch.uuid)
            if batch.file_path:
                Path(batch.file_path).unlink(missing_ok=True)
    batch.refresh_from_db()
    return batch


def _run(
    batch: VaccinationImport, actor: User | None, now: datetime.datetime, report: ProgressCallback
) -> None:
    export = ExportFile(Path(batch.file_path), batch.file_name)
    if not export.header:
        raise ValidationError({"file": _("The file is empty.")})
    columns = header_columns(export.header)
    today = local_date(now)
    total = export.rows * 2  # a check pass, then a store pass
    done = 0
    report(done, total)
    checker = RowChecker(batch.region, columns, today)
    error_count = 0
    header_written = False
    error_name = f"{batch.uuid}.csv"
    with (error_dir() / error_name).open("w", encoding="utf-8", newline="") as out:
        header = [_("Line"), _("Problem"), *export.header]
        for chunk in export.chunks(CHUNK):
            parsed = checker.check(chunk)
            rows = ([ln, msg, *row] for ln, msg, row in parsed.errors)
            for number, text in enumerate(csv_lines(header, rows)):
                if number > 0 or not header_written:  # the header once, at the top
                    out.write(text)
            header_written = True
            error_count += len(parsed.errors)
            done += len(chunk)
            report(done, total)
    if error_count:
        batch.rows, batch.error_count, batch.error_file = export.rows, error_count, error_name
        _fail(batch, actor, _("%(n)d rows have errors; nothing was imported.") % {"n": error_count}, now)
        return
    (error_dir() / error_name).unlink(missing_ok=True)
    created = known = 0
    checker = RowChecker(batch.region, columns, today)
    for chunk in export.chunks(CHUNK):
        parsed = checker.check(chunk)
        if parsed.errors:  # the registry changed since the check pass (a person moved, a dose registered)
            raise ValidationError(
                _(
                    "The registry changed during the import (line %(line)d: %(problem)s); import the file again."
                )
                % {"line": parsed.errors[0][0], "problem": parsed.errors[0][1]}
            )
        new = [_dose(batch, actor, r, now) for r in parsed.rows if not r.known]
        try:
            with transaction.atomic():
                VaccinationRecord.objects.bulk_create(new, batch_size=BATCH)
        except IntegrityError:
            raise ValidationError(
                _("A dose of this file was registered meanwhile by someone else; import the file again.")
            ) from None
        created += len(new)
        known += len(parsed.rows) - len(new)
        done += len(chunk)
        report(done, total)
    batch.status, batch.rows, batch.created, batch.known = ImportStatus.DONE, export.rows, created, known
    batch.finished_at = now
    batch.message = _("%(new)d doses added, %(known)d already known.") % {"new": created, "known": known}
    try:
        with transaction.atomic():  # the one short commit that shows every dose at once
            batch.save(update_fields=["status", "rows", "created", "known", "finished_at", "message"])
            record(
                actor,
                AuditAction.IMPORT,
                obj=batch,
                changes={"created": [None, created], "known": [None, known]},
                note=batch.message,
                now=now,
            )
            recount_after_commit(now)
    except IntegrityError:
        raise ValidationError(_("This file was imported meanwhile by someone else.")) from None


def _dose(
    batch: VaccinationImport, actor: User | None, r: DoseRow, now: datetime.datetime
) -> VaccinationRecord:
    return VaccinationRecord(
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


def _fail(
    batch: VaccinationImport, actor: User | None, message: str, now: datetime.datetime, note: str = ""
) -> None:
    """Remove a failed run's doses (chunk by chunk), then say why on the import; audited."""
    if not connection.needs_rollback:  # inside a broken outer transaction (tests) its rollback removes all
        importjobs.delete_in_chunks(VaccinationRecord, "batch_id", batch.pk)
    if not batch.error_file:  # a check pass cut short leaves no half error file behind
        (error_dir() / f"{batch.uuid}.csv").unlink(missing_ok=True)
    batch.status, batch.message, batch.finished_at = ImportStatus.FAILED, message[:500], now
    with transaction.atomic():
        batch.save(update_fields=["status", "message", "finished_at", "rows", "error_count", "error_file"])
        record(actor, AuditAction.IMPORT, obj=batch, note=(note or message)[:500], now=now)


def do_mark_unqueued(batch: VaccinationImport, now: datetime.datetime, error: Exception) -> None:
    """The job queue refused the import (Redis down): say so on the import; the file is to be uploaded again."""
    log.warning("vaccination import %s could not be queued: %s", batch.uuid, error)
    VaccinationImport.objects.filter(pk=batch.pk, status=ImportStatus.QUEUED).update(
        status=ImportStatus.FAILED,
        message=_(
            "The import could not be queued: the job service is unavailable. Upload the file again later."
        ),
        finished_at=now,
    )
    if batch.file_path:
        Path(batch.file_path).unlink(missing_ok=True)


def do_recover_stale_imports(now: datetime.datetime) -> list[VaccinationImport]:
    """Mark failed every `running` import whose run is gone (its process died: the run lock is free), after
    removing the doses it had committed (invisible, as it is not done). Called by the consumer at start-up
    and every few minutes; audited per import."""
    recovered = []
    for batch in VaccinationImport.objects.filter(status=ImportStatus.RUNNING):
        with importjobs.run_lock(IMPORT_KIND, batch.uuid) as acquired:
            if not acquired:
                continue  # alive in another process
            _fail(batch, None, _("The import was interrupted (its job stopped). Upload the file again."), now)
            importjobs.clear_progress(IMPORT_KIND, batch.uuid)
            if batch.file_path:
                Path(batch.file_path).unlink(missing_ok=True)
            recovered.append(batch)
    return recovered


def do_import_vaccinations(
    actor: User | None, root: Region, file_name: str, content: bytes, now: datetime.datetime
) -> VaccinationImport:
    """Import an export here and now (the demo, tests, the command line); the web page queues a job instead.

    A file refused as a whole (its columns, unreadable) raises ValidationError, as the form shows it; rows
    in error give a failed import with its error file."""
    path = save_upload([content], Path(file_name).suffix.lower() or ".csv")
    batch, is_new = do_register_import(actor, root, file_name, path, now)
    if not is_new:
        raise ValidationError({"file": _("This file is being imported by someone else.")})
    batch = run_import(batch, actor, now)
    if batch.status == ImportStatus.FAILED and not batch.error_count:
        raise ValidationError({"file": batch.message})
    return batch


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
        recount_after_commit(now, {person.region_id})
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
        recount_after_commit(region_ids={person.region_id})
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
        recount_after_commit(region_ids={person.region_id})
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
