"""Supervision and rectification (督导检查、边巡边改).

An inspection (督导检查) is a visit by an inspector to a place of a unit — a checkpoint, testing point, isolation
site, venue or village, named by kind and name because those modules keep their own records — with a checklist
(data) whose failed points become findings. Every finding is a rectification item (整改事项) of one of three kinds:
立行立改 (fixed at once), 专项整改 (a special campaign) or 限期整改 (by a due date), owned by a responsible unit.
The unit reports the fix with photos; the inspector accepts it (销号) or returns it. The rate is closed / found.
A notice (通报) names units and their findings, goes to those units and may be published without personal data.
"""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from fangkong.regions.models import Region


class PlaceKind(models.TextChoices):
    CHECKPOINT = "checkpoint", _("Checkpoint")
    TESTING_POINT = "testing_point", _("Testing point")
    ISOLATION_SITE = "isolation_site", _("Isolation site")
    VENUE = "venue", _("Venue")
    VILLAGE = "village", _("Village or community")
    OTHER = "other", _("Other place")


class Checklist(models.Model):
    """检查清单: the points an inspector checks at one kind of place, kept as data."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    place_kind = models.CharField(_("kind of place"), max_length=20, choices=PlaceKind.choices)
    points = models.JSONField(_("points"), default=list)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("checklist")
        verbose_name_plural = _("checklists")
        ordering = ["place_kind", "code"]

    def __str__(self) -> str:
        return self.name


class Inspection(models.Model):
    """督导检查: who inspected which place of which unit, when, and what the checklist showed."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    region = models.ForeignKey(
        Region, verbose_name=_("inspected unit"), on_delete=models.PROTECT, related_name="inspections"
    )
    place_kind = models.CharField(_("kind of place"), max_length=20, choices=PlaceKind.choices)
    place_name = models.CharField(_("place"), max_length=100)
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("inspector"), on_delete=models.PROTECT, related_name="+"
    )
    inspected_at = models.DateTimeField(_("inspected at"))
    checklist = models.ForeignKey(
        Checklist, verbose_name=_("checklist"), on_delete=models.PROTECT, null=True, blank=True
    )
    # [{"point": text, "ok": bool}] as checked; the checklist may change later, the record keeps its text.
    results = models.JSONField(_("checklist results"), default=list)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        ordering = ["-inspected_at", "-id"]

    def __str__(self) -> str:
        return f"{self.region.name} · {self.place_name}"

    @property
    def failed_points(self) -> list[str]:
        return [r["point"] for r in self.results if not r.get("ok")]


class RectificationKind(models.TextChoices):
    IMMEDIATE = "immediate", _("Fix at once")
    SPECIAL = "special", _("Special campaign")
    DEADLINE = "deadline", _("Fix by a deadline")


class RectificationStatus(models.TextChoices):
    OPEN = "open", _("To be fixed")
    REPORTED = "reported", _("Fix reported")
    CLOSED = "closed", _("Closed")


class RectificationItemQuerySet(models.QuerySet["RectificationItem"]):
    def unresolved(self) -> RectificationItemQuerySet:
        return self.exclude(status=RectificationStatus.CLOSED)

    def overdue(self, today: datetime.date) -> RectificationItemQuerySet:
        """Not closed and past the due day (a fix reported but not yet accepted still counts)."""
        return self.unresolved().filter(due_on__lt=today)

    def overdue_first(self, today: datetime.date) -> RectificationItemQuerySet:
        """Overdue items first (oldest due day first), then open, reported, closed; newest found first."""
        return self.annotate(
            _rank=models.Case(
                models.When(Q(due_on__lt=today) & ~Q(status=RectificationStatus.CLOSED), then=0),
                models.When(status=RectificationStatus.OPEN, then=1),
                models.When(status=RectificationStatus.REPORTED, then=2),
                default=3,
                output_field=models.IntegerField(),
            )
        ).order_by("_rank", models.F("due_on").asc(nulls_last=True), "-found_at", "-id")


class RectificationItem(models.Model):
    """整改事项: one finding to be fixed by the responsible unit and accepted by an inspector."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    region = models.ForeignKey(
        Region, verbose_name=_("responsible unit"), on_delete=models.PROTECT, related_name="rectifications"
    )
    inspection = models.ForeignKey(
        Inspection,
        verbose_name=_("inspection"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="items",
    )
    # Where a finding came from when not from an inspection here (e.g. "checkpoints.spot_check") and that
    # module's reference: the pair is unique, so a module that calls twice opens one item.
    source = models.CharField(_("source"), max_length=40, default="inspection")
    source_ref = models.CharField(_("source reference"), max_length=100, blank=True)
    place_kind = models.CharField(_("kind of place"), max_length=20, choices=PlaceKind.choices)
    place_name = models.CharField(_("place"), max_length=100)
    description = models.TextField(_("finding"))
    kind = models.CharField(_("kind of rectification"), max_length=12, choices=RectificationKind.choices)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=RectificationStatus.choices, default=RectificationStatus.OPEN
    )
    found_at = models.DateTimeField(_("found at"))
    found_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("found by"), on_delete=models.PROTECT, related_name="+"
    )
    fix_note = models.TextField(_("fix reported"), blank=True)
    reported_at = models.DateTimeField(_("fix reported at"), null=True, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    review_note = models.TextField(_("inspector's note"), blank=True)
    returned_count = models.PositiveIntegerField(_("times returned"), default=0)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    # When the unit's cadres and the inspector were told the item is overdue (once per item; the periodic
    # job `notify_overdue_items` claims the item by setting it).
    overdue_notified_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = RectificationItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("rectification item")
        verbose_name_plural = _("rectification items")
        ordering = ["-found_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "source_ref"],
                condition=~Q(source_ref=""),
                name="rectification_source_ref_unique",
            ),
            models.CheckConstraint(
                condition=~Q(kind="deadline") | Q(due_on__isnull=False), name="rectification_deadline_has_due"
            ),
        ]
        indexes = [models.Index(fields=["status", "due_on"], name="rectification_status_due_idx")]

    def __str__(self) -> str:
        return f"{self.region.name}: {self.description[:40]}"

    def is_overdue(self, today: datetime.date) -> bool:
        return self.status != RectificationStatus.CLOSED and self.due_on is not None and self.due_on < today


class EvidenceStage(models.TextChoices):
    FINDING = "finding", _("Finding")
    FIX = "fix", _("Fix")


class Evidence(models.Model):
    """A photo of a finding or of its fix, re-encoded on upload (never the file as sent)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    item = models.ForeignKey(RectificationItem, on_delete=models.CASCADE, related_name="evidence")
    stage = models.CharField(_("stage"), max_length=10, choices=EvidenceStage.choices)
    file = models.FileField(_("file"), upload_to="supervision/%Y/%m/")
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    size = models.PositiveIntegerField(_("size"), default=0)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"))

    class Meta:
        verbose_name = _("evidence photo")
        verbose_name_plural = _("evidence photos")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_stage_display()} {self.uploaded_at:%Y-%m-%d}"


class Notice(models.Model):
    """督查通报: a notice naming units and findings, sent to those units; optionally public, kept as PDF."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    region = models.ForeignKey(
        Region, verbose_name=_("issuing unit"), on_delete=models.PROTECT, related_name="supervision_notices"
    )
    number = models.CharField(_("number"), max_length=60)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    items = models.ManyToManyField(RectificationItem, verbose_name=_("findings"), related_name="notices")
    units = models.ManyToManyField(Region, verbose_name=_("units named"), related_name="+")
    is_public = models.BooleanField(_("published on the public page"), default=False)
    published_at = models.DateTimeField(_("published at"))
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    pdf = models.FileField(upload_to="supervision/notices/", blank=True)

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["-published_at", "-id"]

    def __str__(self) -> str:
        return self.title
