"""Every change to inspections, rectification items and notices: `check_*` validates, `do_*` saves and audits in
one transaction. Time-dependent actions take `now`.

The item's state machine (one place, tested in tests/test_state_machine.py):

    open --report_fix (unit, with a note and photos)--> reported --accept (inspector)--> closed
      ^                                                      |
      +------------------- return (inspector, a reason) -----+
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import IO

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from fangkong.accounts.access import has_perm, in_jurisdiction
from fangkong.accounts.models import User
from fangkong.accounts.permissions import Perm
from fangkong.audit.actions import diff, record, snapshot
from fangkong.audit.models import AuditAction
from fangkong.lib.dates import event_day_error
from fangkong.lib.photos import MAX_PHOTOS, clean_photo
from fangkong.lib.reporting_day import local_date
from fangkong.regions.models import Level, Region
from fangkong.supervision.access import may_inspect, may_report_fix
from fangkong.supervision.models import (
    Checklist,
    Evidence,
    EvidenceStage,
    Inspection,
    PlaceKind,
    RectificationItem,
    RectificationKind,
    RectificationStatus,
)

ITEM_FIELDS = [
    "region",
    "kind",
    "due_on",
    "status",
    "description",
    "fix_note",
    "review_note",
    "returned_count",
]


@dataclass(frozen=True)
class Upload:
    """An uploaded file as the action sees it (a Django UploadedFile fits)."""

    file: IO[bytes]
    size: int | None


def _as_uploads(files: Sequence[object]) -> list[Upload]:
    return [Upload(getattr(f, "file", f), getattr(f, "size", None)) for f in files]  # type: ignore[arg-type]


def _store_photos(
    actor: User,
    item: RectificationItem,
    files: Sequence[object],
    stage: EvidenceStage,
    now: datetime.datetime,
) -> list[Evidence]:
    """Check every photo first (nothing is stored when one is bad), then store the re-encoded copies."""
    uploads = _as_uploads(files)
    if len(uploads) > MAX_PHOTOS:
        raise ValidationError({"photos": _("At most %(n)d photos.") % {"n": MAX_PHOTOS}})
    cleaned = []
    for upload in uploads:
        try:
            cleaned.append(clean_photo(upload.file, upload.size))
        except ValidationError as exc:
            raise ValidationError({"photos": exc.messages}) from None
    stored = []
    for photo in cleaned:
        evidence = Evidence(
            item=item,
            stage=stage,
            width=photo.width,
            height=photo.height,
            size=len(photo.content),
            uploaded_by=actor,
            uploaded_at=now,
        )
        evidence.file.save(f"{evidence.uuid}.jpg", ContentFile(photo.content), save=False)
        evidence.save()
        stored.append(evidence)
    return stored


def _check_place(place_kind: str, place_name: str) -> str:
    if place_kind not in PlaceKind.values:
        raise ValidationError({"place_kind": _("Choose the kind of place.")})
    name = (place_name or "").strip()
    if not name:
        raise ValidationError({"place_name": _("Name the place inspected.")})
    return name[:100]


@transaction.atomic
def do_record_inspection(
    actor: User,
    *,
    region: Region,
    place_kind: str,
    place_name: str,
    inspected_at: datetime.datetime,
    checklist: Checklist | None = None,
    failed_points: Sequence[str] = (),
    note: str = "",
    now: datetime.datetime,
) -> Inspection:
    """Record an inspection of a place of `region`; the checklist's failed points are kept with their text."""
    if not has_perm(actor, Perm.SUPERVISION_INSPECT) or not in_jurisdiction(actor, region):
        raise ValidationError({"region": _("You cannot inspect this unit.")})
    name = _check_place(place_kind, place_name)
    if inspected_at.tzinfo is None:
        raise ValueError("naive datetime")
    if inspected_at > now + datetime.timedelta(minutes=5):
        raise ValidationError({"inspected_at": _("An inspection cannot lie in the future.")})
    error = event_day_error(local_date(inspected_at))
    if error:
        raise ValidationError({"inspected_at": error})
    points = list(checklist.points) if checklist is not None else []
    unknown = set(failed_points) - set(points)
    if unknown:
        raise ValidationError({"failed_points": _("Choose points of the checklist.")})
    inspection = Inspection.objects.create(
        region=region,
        place_kind=place_kind,
        place_name=name,
        inspector=actor,
        inspected_at=inspected_at,
        checklist=checklist,
        results=[{"point": p, "ok": p not in failed_points} for p in points],
        note=(note or "").strip(),
    )
    record(
        actor,
        AuditAction.CREATE,
        obj=inspection,
        changes=diff(
            {}, snapshot(inspection, ["region", "place_kind", "place_name", "inspected_at", "note"])
        ),
        now=now,
    )
    return inspection


def check_item(
    *, region: Region, kind: str, description: str, due_on: datetime.date | None, now: datetime.datetime
) -> tuple[str, datetime.date | None]:
    """Validate a finding; returns (description, due day). 立行立改 is due the day it is found."""
    text = (description or "").strip()
    if not text:
        raise ValidationError({"description": _("Describe the finding.")})
    if kind not in RectificationKind.values:
        raise ValidationError({"kind": _("Choose how the finding is to be fixed.")})
    today = local_date(now)
    if kind == RectificationKind.IMMEDIATE:
        due_on = today
    elif kind == RectificationKind.DEADLINE and due_on is None:
        raise ValidationError({"due_on": _("A fix by a deadline needs its due date.")})
    if due_on is not None and due_on < today:
        raise ValidationError({"due_on": _("The due date cannot lie in the past.")})
    if due_on is not None and due_on > today + datetime.timedelta(days=366):
        raise ValidationError({"due_on": _("The due date must lie within a year.")})
    return text, due_on


def _notify_unit(item: RectificationItem, text: str, now: datetime.datetime) -> None:
    """Tell the people who may report the fix: those of the responsible unit and of the units above it up to
    the township (a village's item is the township's business too); their link opens the item."""
    from fangkong.reporting.actions.notifications import notify, user_ids_with

    link = reverse("supervision:item", kwargs={"item_uuid": item.uuid})
    units = [r.pk for r in item.region.ancestors() if r.level != Level.COUNTY]
    ids = user_ids_with(Perm.RECTIFICATION_REPORT, units or [item.region_id])
    transaction.on_commit(lambda: notify(ids, text, link, now))


@transaction.atomic
def do_open_item(
    actor: User,
    *,
    region: Region,
    kind: str,
    description: str,
    due_on: datetime.date | None = None,
    inspection: Inspection | None = None,
    place_kind: str = "",
    place_name: str = "",
    source: str = "inspection",
    source_ref: str = "",
    photos: Sequence[object] = (),
    now: datetime.datetime,
) -> RectificationItem:
    """Open a rectification item for the responsible unit `region` (a finding of `inspection`, or of another
    module named by `source` + `source_ref`: calling twice with the same pair returns the first item)."""
    # Another module's finding (a checkpoint spot check) comes from a user that module has already allowed to
    # check; the unit must still lie in their jurisdiction. Inspections here need the inspector's permission.
    allowed = has_perm(actor, Perm.SUPERVISION_INSPECT) or source != "inspection"
    if not allowed or not in_jurisdiction(actor, region):
        raise ValidationError({"region": _("You cannot open rectification items for this unit.")})
    if source_ref:
        existing = RectificationItem.objects.filter(source=source, source_ref=source_ref).first()
        if existing is not None:
            return existing
    text, due = check_item(region=region, kind=kind, description=description, due_on=due_on, now=now)
    if inspection is not None:
        place_kind, place_name = inspection.place_kind, inspection.place_name
    name = _check_place(place_kind, place_name)
    try:
        with transaction.atomic():
            item = RectificationItem.objects.create(
                region=region,
                inspection=inspection,
                source=source[:40],
                source_ref=source_ref[:100],
                place_kind=place_kind,
                place_name=name,
                description=text,
                kind=kind,
                due_on=due,
                found_at=now,
                found_by=actor,
            )
    except IntegrityError:  # the same finding opened by a concurrent call
        return RectificationItem.objects.get(source=source, source_ref=source_ref)
    _store_photos(actor, item, photos, EvidenceStage.FINDING, now)
    record(actor, AuditAction.CREATE, obj=item, changes=diff({}, snapshot(item, ITEM_FIELDS)), now=now)
    _notify_unit(
        item,
        _("Rectification item for %(unit)s: %(text)s") % {"unit": region.name, "text": text[:60]},
        now,
    )
    return item


def _locked(item: RectificationItem) -> RectificationItem:
    return RectificationItem.objects.select_for_update().select_related("region").get(pk=item.pk)


@transaction.atomic
def do_report_fix(
    actor: User, item: RectificationItem, *, note: str, photos: Sequence[object], now: datetime.datetime
) -> RectificationItem:
    """The responsible unit reports the fix: a note and at least one photo; open → reported."""
    item = _locked(item)
    if not may_report_fix(actor, item):
        raise ValidationError({"__all__": _("You cannot report fixes for this unit.")})
    if item.status != RectificationStatus.OPEN:
        raise ValidationError({"__all__": _("Only an item waiting for its fix can take a fix report.")})
    text = (note or "").strip()
    if not text:
        raise ValidationError({"note": _("Say what was done.")})
    if not photos:
        raise ValidationError({"photos": _("Add at least one photo of the fix.")})
    before = snapshot(item, ITEM_FIELDS)
    _store_photos(actor, item, photos, EvidenceStage.FIX, now)
    item.status = RectificationStatus.REPORTED
    item.fix_note = text
    item.reported_at, item.reported_by = now, actor
    item.version += 1
    item.save()
    record(actor, AuditAction.UPDATE, obj=item, changes=diff(before, snapshot(item, ITEM_FIELDS)), now=now)
    _notify_inspector(item, _("Fix reported for review: %(text)s") % {"text": item.description[:60]}, now)
    return item


def _notify_inspector(item: RectificationItem, text: str, now: datetime.datetime) -> None:
    from fangkong.reporting.actions.notifications import notify

    link = reverse("supervision:item", kwargs={"item_uuid": item.uuid})
    ids = [item.found_by_id]
    transaction.on_commit(lambda: notify(ids, text, link, now))


@transaction.atomic
def do_accept_fix(
    actor: User, item: RectificationItem, *, note: str = "", now: datetime.datetime
) -> RectificationItem:
    """The inspector accepts the reported fix: reported → closed (销号)."""
    item = _locked(item)
    if not may_inspect(actor, item):
        raise ValidationError({"__all__": _("Only an inspector may accept a fix.")})
    if item.status != RectificationStatus.REPORTED:
        raise ValidationError({"__all__": _("Only a reported fix can be accepted.")})
    before = snapshot(item, ITEM_FIELDS)
    item.status = RectificationStatus.CLOSED
    item.review_note = (note or "").strip()
    item.closed_at, item.closed_by = now, actor
    item.version += 1
    item.save()
    record(actor, AuditAction.UPDATE, obj=item, changes=diff(before, snapshot(item, ITEM_FIELDS)), now=now)
    _notify_unit(item, _("Fix accepted and item closed: %(text)s") % {"text": item.description[:60]}, now)
    return item


@transaction.atomic
def do_return_fix(
    actor: User, item: RectificationItem, *, note: str, now: datetime.datetime
) -> RectificationItem:
    """The inspector returns a reported fix with a reason: reported → open (the due date stays)."""
    item = _locked(item)
    if not may_inspect(actor, item):
        raise ValidationError({"__all__": _("Only an inspector may return a fix.")})
    if item.status != RectificationStatus.REPORTED:
        raise ValidationError({"__all__": _("Only a reported fix can be returned.")})
    reason = (note or "").strip()
    if not reason:
        raise ValidationError({"note": _("Say why the fix is returned.")})
    before = snapshot(item, ITEM_FIELDS)
    item.status = RectificationStatus.OPEN
    item.review_note = reason
    item.returned_count += 1
    item.version += 1
    item.save()
    record(actor, AuditAction.UPDATE, obj=item, changes=diff(before, snapshot(item, ITEM_FIELDS)), now=now)
    _notify_unit(item, _("Fix returned: %(reason)s") % {"reason": reason[:60]}, now)
    return item


# Items claimed and notified per short transaction by the overdue job.
OVERDUE_CHUNK = 200


def do_notify_overdue_items(now: datetime.datetime) -> int:
    """Tell the responsible unit's cadres and the inspector who found it that an item passed its due day
    unfixed (in-app notifications); once per item, however often this runs. Returns how many items.

    Overdue is the Beijing day's rule (`RectificationItemQuerySet.overdue`): a fix reported but not accepted
    still counts. Each item is claimed by setting `overdue_notified_at` where it is empty, so two runs (or a
    run replayed for the same `now`) never notify twice; chunks keep each transaction short.
    """
    today = local_date(now)
    notified = 0
    while True:
        ids = list(
            RectificationItem.objects.overdue(today)
            .filter(overdue_notified_at__isnull=True)
            .order_by("due_on", "pk")
            .values_list("pk", flat=True)[:OVERDUE_CHUNK]
        )
        if not ids:
            return notified
        with transaction.atomic():
            for item in RectificationItem.objects.filter(pk__in=ids).select_related("region"):
                claimed = RectificationItem.objects.filter(
                    pk=item.pk, overdue_notified_at__isnull=True
                ).update(overdue_notified_at=now)
                if not claimed:
                    continue  # another run took it
                assert item.due_on is not None  # noqa: S101 - overdue items have a due day
                text = _("Rectification item overdue (due %(day)s): %(unit)s — %(text)s") % {
                    "day": item.due_on.isoformat(),
                    "unit": item.region.name,
                    "text": item.description[:60],
                }
                _notify_unit(item, text, now)
                _notify_inspector(item, text, now)
                record(
                    None,
                    AuditAction.UPDATE,
                    obj=item,
                    changes={"overdue_notified_at": [None, now.isoformat()]},
                    note="overdue",
                    now=now,
                )
                notified += 1
