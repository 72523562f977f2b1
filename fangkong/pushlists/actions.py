"""Every change to push lists: import, route and dispatch, verify; audited exports of the error and
feedback files."""

from __future__ import annotations

import datetime
import hashlib
import logging
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from fangkong.accounts.access import has_perm, in_jurisdiction
from fangkong.accounts.models import User
from fangkong.accounts.permissions import Perm
from fangkong.audit.actions import record
from fangkong.audit.models import AuditAction
from fangkong.lib import importjobs
from fangkong.lib.exports import Stamp
from fangkong.lib.reporting_day import local_date
from fangkong.people.actions import do_register_person, do_update_person
from fangkong.people.models import DocumentType, Person
from fangkong.pushlists import progress as progress_store
from fangkong.pushlists import runs
from fangkong.pushlists.importer import Importer, ProgressCallback
from fangkong.pushlists.models import (
    PERSON_HERE_OUTCOMES,
    BatchStatus,
    Outcome,
    PushBatch,
    PushErrorRow,
    PushItem,
    RouteMethod,
)
from fangkong.pushlists.reading import LayoutError, open_push_list
from fangkong.regions.models import Level, Region

log = logging.getLogger(__name__)
MAX_DEADLINE_HOURS = 24 * 14
# Outcomes that mean the person is here and under a control measure: the measure is required.
OUTCOMES_WITH_MEASURE = {Outcome.NEW_FOUND}
OUTCOMES_WITH_NOTE = {Outcome.WRONG_INFO}


def storage_dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / "pushlists"
    path.mkdir(parents=True, exist_ok=True)
    return path


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def queue_region(actor: User | None) -> Region:
    """The county whose command office holds unroutable rows: the actor's county, else the first county."""
    if actor is not None and actor.region is not None:
        county = (
            actor.region if actor.region.level == Level.COUNTY else actor.region.ancestor_at(Level.COUNTY)
        )
        if county is not None:
            return county
    county = Region.objects.active().filter(level=Level.COUNTY).order_by("path").first()
    if county is None:
        raise ValidationError({"file": _("There is no county in the region tree to import into.")})
    return county


def check_deadline_hours(hours: int) -> int:
    if not 1 <= hours <= MAX_DEADLINE_HOURS:
        raise ValidationError({"deadline_hours": _("The deadline is between 1 hour and 14 days.")})
    return hours


@transaction.atomic
def do_register_batch(
    actor: User | None,
    path: Path,
    *,
    name: str,
    now: datetime.datetime,
    deadline_hours: int = 24,
    file_name: str = "",
) -> tuple[PushBatch, bool]:
    """Record a pushed file as a batch (queued), identified by its SHA-256. Returns (batch, is_new).

    The same bytes again return the existing batch; a batch that failed or was killed is queued again.
    The file is kept under MEDIA_ROOT so the import can be run (again) from it.
    """
    check_deadline_hours(deadline_hours)
    sha = file_sha256(path)
    existing = PushBatch.objects.select_for_update().filter(sha256=sha).first()
    stored = storage_dir() / (sha + (path.suffix.lower() or ".csv"))
    if existing is not None:
        if existing.status == BatchStatus.FAILED:
            if not existing.file_path or not Path(existing.file_path).exists():
                # The retention sweep removed the failed import's file: keep this upload's copy instead.
                _store(path, stored)
                existing.file_path = str(stored)
            existing.status, existing.failure = BatchStatus.QUEUED, ""
            existing.save(update_fields=["status", "failure", "file_path"])
        return existing, False
    _store(path, stored)
    batch = PushBatch.objects.create(
        name=(name or file_name or path.name)[:200],
        file_name=(file_name or path.name)[:255],
        file_path=str(stored),
        sha256=sha,
        region=queue_region(actor),
        uploaded_by=actor,
        created_at=now,
        deadline_hours=deadline_hours,
    )
    record(actor, AuditAction.CREATE, obj=batch, now=now, note=batch.file_name)
    return batch, True


def _store(path: Path, stored: Path) -> None:
    if path.resolve() != stored.resolve():
        shutil.copyfile(path, stored)
        stored.chmod(0o600)  # full ID numbers: readable by the service account only


def save_upload(chunks: Iterable[bytes], suffix: str) -> Path:
    """Write an upload to a temporary file (streamed, never held in memory)."""
    with tempfile.NamedTemporaryFile(delete=False, suffix=suffix, dir=storage_dir()) as fh:
        for chunk in chunks:
            fh.write(chunk)
        return Path(fh.name)


def do_import_push_list(
    actor: User | None,
    path: Path | str,
    name: str,
    now: datetime.datetime,
    deadline_hours: int = 24,
    progress_cb: ProgressCallback | None = None,
) -> PushBatch:
    """Import the push list in `path` as one batch: all rows or nothing, as the other users see it.

    Importing the same bytes again after success changes nothing.
    """
    path = Path(path)
    batch, _new = do_register_batch(actor, path, name=name, now=now, deadline_hours=deadline_hours)
    return run_import(batch, actor, now, progress_cb)


def run_import(
    batch: PushBatch,
    actor: User | None,
    now: datetime.datetime,
    progress_cb: ProgressCallback | None = None,
) -> PushBatch:
    """Run (or re-run) the import of a registered batch from its stored file.

    The rows are committed chunk by chunk (other users' writes wait for one chunk at most, never for the
    whole file) and stay invisible while the batch is `running`; one short final commit records the
    counts and the audit event and marks the batch `done`, which shows them all at once. A run that fails
    removes its rows (chunk by chunk), then marks the batch `failed`; it can be run again.

    The run holds the batch's run lock (`runs.run_lock`) from before it is marked running until it ends, so
    `do_recover_stale_imports` can tell a live run from one whose process died, and two runs of one batch
    never overlap.
    """
    if batch.status == BatchStatus.DONE:
        return batch
    with runs.run_lock(batch.uuid) as acquired:
        if not acquired:  # another consumer runs this batch right now
            batch.refresh_from_db()
            return batch
        claimed = PushBatch.objects.filter(pk=batch.pk).exclude(status=BatchStatus.DONE)
        if not claimed.update(status=BatchStatus.RUNNING, failure=""):
            batch.refresh_from_db()
            return batch
        try:
            # A killed run the recovery has not seen yet may have left rows: start from none.
            remove_batch_rows(batch.pk)
            _load_batch(batch.pk, actor, now, progress_cb)
        except (LayoutError, ValidationError) as exc:
            message = exc.message if isinstance(exc, LayoutError) else "; ".join(exc.messages)
            _fail(batch.pk, message, now)
        except Exception as exc:
            log.exception("push list import %s failed", batch.uuid)
            _fail(batch.pk, _("The import stopped: %(error)s") % {"error": exc}, now)
            raise
        finally:
            progress_store.clear(batch.uuid)
    batch.refresh_from_db()
    return batch


# Rows per delete transaction when an unfinished batch is removed (read at each call, so a test can shrink it).
REMOVE_CHUNK = importjobs.REMOVE_CHUNK


def remove_batch_rows(batch_pk: int) -> int:
    """Delete the items and error rows of an unfinished batch, a chunk per short transaction
    (`lib.importjobs.delete_in_chunks`).

    Only for a batch that is not `done` (its rows were never visible, so no one has dispatched or verified
    them). Returns how many rows went."""
    return sum(
        importjobs.delete_in_chunks(model, "batch_id", batch_pk, REMOVE_CHUNK)
        for model in (PushItem, PushErrorRow)
    )


def _fail(batch_pk: int, message: str, now: datetime.datetime) -> None:
    """Remove a failed run's rows, then say so on the batch (which can be run again)."""
    if connection.needs_rollback:
        return  # inside a broken outer transaction (tests): its rollback removes everything
    try:
        remove_batch_rows(batch_pk)
    finally:
        PushBatch.objects.filter(pk=batch_pk).update(
            status=BatchStatus.FAILED, failure=message, finished_at=now
        )


def check_rerun(batch: PushBatch) -> None:
    """A batch may be run again when it failed (or never reached the job queue) and its file is kept."""
    if batch.status not in (BatchStatus.FAILED, BatchStatus.QUEUED):
        raise ValidationError(_("Only a failed import can be run again."))
    if not batch.file_path or not Path(batch.file_path).exists():
        raise ValidationError(
            _("The uploaded file is no longer kept (it is removed after %(days)d days); upload it again.")
            % {"days": settings.PUSHLIST_KEEP_FAILED_DAYS}
        )


@transaction.atomic
def do_rerun_batch(actor: User, batch: PushBatch, now: datetime.datetime) -> PushBatch:
    """Queue a failed import again (the caller enqueues the job once this commits); audited."""
    batch = PushBatch.objects.select_for_update().get(pk=batch.pk)
    check_rerun(batch)
    before = batch.status
    batch.status, batch.failure, batch.finished_at = BatchStatus.QUEUED, "", None
    batch.save(update_fields=["status", "failure", "finished_at"])
    record(actor, AuditAction.UPDATE, obj=batch, now=now, changes={"status": [before, batch.status]})
    return batch


def do_mark_unqueued(batch: PushBatch, now: datetime.datetime, error: Exception) -> None:
    """The job queue refused the import (Redis down): say so on the batch, which can be run again."""
    log.warning("push list import %s could not be queued: %s", batch.uuid, error)
    PushBatch.objects.filter(pk=batch.pk, status=BatchStatus.QUEUED).update(
        status=BatchStatus.FAILED,
        failure=_("The import could not be queued: the job service is unavailable. Run it again later."),
        finished_at=now,
    )


def do_recover_stale_imports(now: datetime.datetime) -> list[PushBatch]:
    """Mark failed every `running` batch whose run is gone (its process died: the run lock is free).

    Called when a job consumer starts and every few minutes. A killed run left the chunks it had committed
    (invisible, as its batch is not done): they are removed chunk by chunk, in short transactions, before the
    batch is marked failed, so a re-run starts clean. Audited per batch.
    """
    recovered = []
    for batch in PushBatch.objects.filter(status=BatchStatus.RUNNING):
        with runs.run_lock(batch.uuid) as acquired:
            if not acquired:
                continue  # alive in another process
            remove_batch_rows(batch.pk)
            with transaction.atomic():
                locked = PushBatch.objects.select_for_update().get(pk=batch.pk)
                if locked.status != BatchStatus.RUNNING:
                    continue
                locked.status, locked.finished_at = BatchStatus.FAILED, now
                locked.failure = _("The import was interrupted (its job stopped). Run it again.")
                locked.save(update_fields=["status", "failure", "finished_at"])
                record(
                    None,
                    AuditAction.UPDATE,
                    obj=locked,
                    now=now,
                    changes={"status": [BatchStatus.RUNNING.value, BatchStatus.FAILED.value]},
                    note=locked.failure,
                )
            progress_store.clear(batch.uuid)
            recovered.append(locked)
    return recovered


def do_purge_stored_files(now: datetime.datetime) -> int:
    """Delete uploaded source files (full ID numbers) past their retention; returns how many went.

    Imported files go `PUSHLIST_KEEP_IMPORTED_DAYS` after the import, failed ones
    `PUSHLIST_KEEP_FAILED_DAYS` after the failure (a re-run needs them until then). Each deletion is audited.
    Uploads left half-written in the storage folder by a crash go after a day.
    """
    removed = 0
    rules = (
        (BatchStatus.DONE, settings.PUSHLIST_KEEP_IMPORTED_DAYS),
        (BatchStatus.FAILED, settings.PUSHLIST_KEEP_FAILED_DAYS),
    )
    kept: set[str] = set()
    for status, days in rules:
        cutoff = now - datetime.timedelta(days=days)
        due = PushBatch.objects.filter(status=status).exclude(file_path="")
        due = due.filter(Q(finished_at__lte=cutoff) | Q(finished_at__isnull=True, created_at__lte=cutoff))
        for batch in due:
            with transaction.atomic():
                Path(batch.file_path).unlink(missing_ok=True)
                PushBatch.objects.filter(pk=batch.pk).update(file_path="")
                record(
                    None,
                    AuditAction.OTHER,
                    obj=batch,
                    now=now,
                    note=_("Uploaded file deleted after %(days)d days (retention).") % {"days": days},
                )
            removed += 1
    kept = set(PushBatch.objects.exclude(file_path="").values_list("file_path", flat=True))
    stale = now.timestamp() - 86400
    for leftover in storage_dir().glob("tmp*"):
        if str(leftover) not in kept and leftover.stat().st_mtime < stale:
            leftover.unlink(missing_ok=True)
    return removed


def _load_batch(
    batch_pk: int, actor: User | None, now: datetime.datetime, progress_cb: ProgressCallback | None
) -> None:
    batch = PushBatch.objects.select_related("region").get(pk=batch_pk)
    sheet = open_push_list(Path(batch.file_path))
    importer = Importer(
        batch_id=batch.pk,
        county=batch.region,
        now=now,
        # The 24 h count from the upload, not from when the import job happens to run (or re-run).
        deadline_at=batch.created_at + datetime.timedelta(hours=batch.deadline_hours),
        progress=progress_cb,
    )
    counts = importer.run(sheet)
    # The final short commit: the counts, the audit event and `done`, which makes the rows visible.
    with transaction.atomic():
        batch = PushBatch.objects.select_for_update().get(pk=batch_pk)
        batch.status = BatchStatus.DONE
        batch.finished_at = now
        batch.rows_total, batch.rows_imported, batch.rows_error = (
            counts.rows_total,
            counts.rows_imported,
            counts.rows_error,
        )
        batch.rows_unroutable, batch.rows_flagged = counts.rows_unroutable, counts.rows_flagged
        batch.people_created, batch.people_matched = 0, counts.people_matched
        batch.save()
        record(
            actor,
            AuditAction.IMPORT,
            obj=batch,
            now=now,
            changes={
                "rows_total": [None, counts.rows_total],
                "rows_imported": [None, counts.rows_imported],
                "rows_error": [None, counts.rows_error],
                "rows_flagged": [None, counts.rows_flagged],
                "rows_unroutable": [None, counts.rows_unroutable],
                "people_matched": [None, counts.people_matched],
            },
        )


def check_target(actor: User, target: Region) -> Region:
    """A unit the actor may hand items to: inside their jurisdiction, a township or below, active."""
    if not target.is_active or target.level == Level.COUNTY or not in_jurisdiction(actor, target):
        raise ValidationError({"target": _("Choose a unit inside your jurisdiction.")})
    return target


def _movable(actor: User, items: Iterable[PushItem]) -> list[PushItem]:
    items = list(items)
    if not items:
        raise ValidationError({"items": _("Choose at least one item.")})
    for item in items:
        if item.outcome:
            raise ValidationError({"items": _("Verified items cannot be handed on.")})
        if not in_jurisdiction(actor, item.region):
            raise ValidationError({"items": _("Choose items held inside your jurisdiction.")})
    return items


@transaction.atomic
def do_dispatch(actor: User, items: Iterable[PushItem], target: Region, now: datetime.datetime) -> int:
    """Hand pending items to a unit (township, village or grid) inside the actor's jurisdiction.

    From the county queue this is manual routing; further down it is dispatch. A re-assignment within
    the jurisdiction is the same move. Returns the number of items moved.
    """
    if not has_perm(actor, Perm.PUSHLIST_DISPATCH):
        raise ValidationError({"target": _("You may not dispatch push items.")})
    check_target(actor, target)
    moved = _movable(actor, items)
    for item in moved:
        before = item.region.name
        from_queue = item.region.level == Level.COUNTY
        item.region = target
        item.assigned_to = None
        if from_queue:
            item.route_method = RouteMethod.MANUAL
        if target.level != Level.TOWNSHIP:
            item.dispatched_at = now
        item.save(update_fields=["region", "assigned_to", "route_method", "dispatched_at"])
        record(actor, AuditAction.UPDATE, obj=item, now=now, changes={"region": [before, target.name]})
    return len(moved)


@transaction.atomic
def do_assign(actor: User, items: Iterable[PushItem], worker: User, now: datetime.datetime) -> int:
    """Hand pending items to one grid worker (or cadre) whose unit lies inside the actor's jurisdiction."""
    if not has_perm(actor, Perm.PUSHLIST_DISPATCH):
        raise ValidationError({"worker": _("You may not dispatch push items.")})
    if (
        not worker.is_active
        or worker.region is None
        or not has_perm(worker, Perm.PUSHLIST_VERIFY)
        or not in_jurisdiction(actor, worker.region)
    ):
        raise ValidationError({"worker": _("Choose a worker inside your jurisdiction who may verify.")})
    moved = _movable(actor, items)
    for item in moved:
        before = str(item.assigned_to or item.region.name)
        item.region = worker.region
        item.assigned_to = worker
        item.dispatched_at = now
        item.save(update_fields=["region", "assigned_to", "dispatched_at"])
        record(actor, AuditAction.UPDATE, obj=item, now=now, changes={"assigned_to": [before, str(worker)]})
    return len(moved)


def check_outcome(outcome: str, note: str, measure_code: str) -> tuple[Outcome, str, str]:
    from fangkong.screening.measures import measure_exists

    if outcome not in Outcome.values:
        raise ValidationError({"outcome": _("Choose an outcome.")})
    result = Outcome(outcome)
    note, measure_code = (note or "").strip(), (measure_code or "").strip()
    if result in OUTCOMES_WITH_MEASURE and not measure_code:
        raise ValidationError({"measure_code": _("Choose the control measure that was started.")})
    if measure_code and not measure_exists(measure_code):
        raise ValidationError({"measure_code": _("Unknown control measure.")})
    if result in OUTCOMES_WITH_NOTE and not note:
        raise ValidationError({"outcome_note": _("Say what was wrong in the note.")})
    return result, note, measure_code


def person_unit(actor: User, item: PushItem, chosen: Region | None = None) -> Region:
    """Where a person found by verification is registered: the unit the verifier chose, else the village or
    grid holding the item, else the verifier's own village or grid. People belong to a village or a grid."""
    candidates = [chosen] if chosen is not None else [item.region, actor.region]
    for unit in candidates:
        if (
            unit is not None
            and unit.level in (Level.VILLAGE, Level.GRID)
            and unit.is_active
            and in_jurisdiction(actor, unit)
        ):
            return unit
    raise ValidationError({"person_region": _("Choose the village or grid where the person lives.")})


def _register_from_item(actor: User, item: PushItem, unit: Region) -> tuple[Person, bool]:
    """The pushed identity as a person of the registry, through the people app's own action (validation,
    pinyin keys, placement, audit); an active person holding the document is found instead."""
    return do_register_person(
        actor,
        name=item.name,
        region=unit,
        document_number=item.document_number,
        phone=item.phone_e164,
        address=item.address,
    )


def current_match(item: PushItem) -> Person | None:
    """The item's person: the one linked (by the import or the verifier), else the active person who matches
    the pushed identity now (someone may have registered them since the import), by the same rule as the
    import: document number, else phone + name (the oldest)."""
    if item.person_id is not None:
        return item.person
    people = Person.objects.active().select_related("region")
    if item.document_number:
        return people.filter(
            document_type=DocumentType.RESIDENT_ID, document_number=item.document_number
        ).first()
    if item.phone_e164 and item.name:
        return people.filter(phone=item.phone_e164, name=item.name).order_by("id").first()
    return None


def _put_in_registry(actor: User, item: PushItem, unit: Region | None) -> Person:
    """The outcome says the person is here: the matching person is kept up to date (a phone the registry
    lacks), else the person is registered from the pushed identity."""
    person = current_match(item)
    if person is not None and person.is_active:
        if not person.phone and item.phone_e164 and in_jurisdiction(actor, person.region):
            person = do_update_person(actor, person, phone=item.phone_e164)
        return person
    person, _created = _register_from_item(actor, item, person_unit(actor, item, unit))
    return person


def _check_verifier(actor: User, item: PushItem) -> None:
    if not has_perm(actor, Perm.PUSHLIST_VERIFY) or not in_jurisdiction(actor, item.region):
        raise ValidationError({"outcome": _("You may not verify this item.")})


@transaction.atomic
def do_verify(
    actor: User,
    item: PushItem,
    *,
    outcome: str,
    note: str = "",
    measure_code: str = "",
    person_region: Region | None = None,
    now: datetime.datetime,
) -> PushItem:
    """Close an item with its one outcome (plus note and, where it applies, the measure started).

    Only an outcome that says the person is here (found and put under control, already screened) puts the
    person in the registry — the linked one, else a new registration from the pushed identity at
    `person_region` (or the item's village or grid). The others leave the registry as it is."""
    _check_verifier(actor, item)
    item = (
        PushItem.objects.select_for_update(of=("self",))
        .select_related("region", "person", "person__region")
        .get(pk=item.pk)
    )
    if item.outcome:
        raise ValidationError({"outcome": _("This item has already been verified.")})
    result, note, measure_code = check_outcome(outcome, note, measure_code)
    before_person = item.person.uuid if item.person else None
    if result.value in PERSON_HERE_OUTCOMES:
        item.person = _put_in_registry(actor, item, person_region)
    item.outcome, item.outcome_note, item.measure_code = result, note, measure_code
    item.verified_at, item.verified_by = now, actor
    item.save(
        update_fields=["outcome", "outcome_note", "measure_code", "verified_at", "verified_by", "person"]
    )
    changes: dict[str, list[object]] = {"outcome": ["", result.value], "measure_code": ["", measure_code]}
    if item.person is not None and item.person.uuid != before_person:
        changes["person"] = [str(before_person or ""), str(item.person.uuid)]
    record(actor, AuditAction.UPDATE, obj=item, now=now, changes=changes, note=note)
    from fangkong.pushlists.signals import item_verified

    item_verified.send(
        PushItem,
        item_uuid=item.uuid,
        outcome=result.value,
        measure_code=measure_code,
        person_id=item.person_id,
        region_id=item.region_id,
        grid_worker_id=item.assigned_to_id,
        arrived_on=local_date(item.arrived_at) if item.arrived_at else None,
        actor=actor,
        now=now,
    )
    return item


@transaction.atomic
def do_link_person(actor: User, item: PushItem, person: Person | None, now: datetime.datetime) -> PushItem:
    """Link the item to another person of the registry (the import's match was wrong), or to none.

    The person must be active and held inside the verifier's jurisdiction."""
    _check_verifier(actor, item)
    item = PushItem.objects.select_for_update(of=("self",)).select_related("person").get(pk=item.pk)
    if item.outcome:
        raise ValidationError({"person": _("A verified item keeps its person.")})
    if person is not None and (not person.is_active or not in_jurisdiction(actor, person.region)):
        raise ValidationError({"person": _("Choose an active person inside your jurisdiction.")})
    before = str(item.person.uuid) if item.person else ""
    item.person = person
    item.save(update_fields=["person"])
    record(
        actor,
        AuditAction.UPDATE,
        obj=item,
        now=now,
        changes={"person": [before, str(person.uuid) if person else ""]},
    )
    return item


@transaction.atomic
def do_register_item_person(
    actor: User, item: PushItem, *, region: Region | None = None, now: datetime.datetime
) -> PushItem:
    """Register the pushed identity as a new person of the registry (through people's action) and link it.

    For a lead whose match is wrong or missing; a person already holding the document is linked instead."""
    _check_verifier(actor, item)
    item = PushItem.objects.select_for_update(of=("self",)).select_related("region", "person").get(pk=item.pk)
    if item.outcome:
        raise ValidationError({"person": _("A verified item keeps its person.")})
    person, _created = _register_from_item(actor, item, person_unit(actor, item, region))
    if not in_jurisdiction(actor, person.region):
        raise ValidationError(
            {
                "document_number": _(
                    "This document is registered in another unit. Ask the command office to move the person."
                )
            }
        )
    before = str(item.person.uuid) if item.person else ""
    item.person = person
    item.save(update_fields=["person"])
    record(actor, AuditAction.UPDATE, obj=item, now=now, changes={"person": [before, str(person.uuid)]})
    return item


@transaction.atomic
def do_export_errors(actor: User, batch: PushBatch, out: IO[bytes], now: datetime.datetime) -> int:
    """Write the error file of `batch` to `out` and audit the download."""
    from fangkong.pushlists import exports

    count = exports.write_errors(batch, out, stamp=Stamp.of(actor.full_name, actor.get_username(), now))
    record(actor, AuditAction.EXPORT, obj=batch, now=now, note=f"errors: {count}")
    return count


@transaction.atomic
def do_export_feedback(
    actor: User, batch: PushBatch, items: QuerySet[PushItem], out: IO[bytes], now: datetime.datetime
) -> int:
    """Write the feedback file (the actor's share of the batch) to `out` and audit the download.

    Rejected rows are included for whoever holds the batch itself (the importing office).
    """
    from fangkong.pushlists import exports

    count = exports.write_feedback(
        batch,
        items,
        out,
        include_errors=in_jurisdiction(actor, batch.region),
        stamp=Stamp.of(actor.full_name, actor.get_username(), now),
    )
    record(actor, AuditAction.EXPORT, obj=batch, now=now, note=f"feedback: {count}")
    return count
