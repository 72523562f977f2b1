"""People (人员) and households (户), owned by a village or grid.

One active person per document number. Numbers are stored in full and masked on every way out; the
full number leaves only through `actions.do_reveal`, which audits it.
"""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Right
from django.utils.translation import gettext_lazy as _

from fangkong.lib.masking import mask_document, mask_phone
from fangkong.regions.models import Level, Region


class DocumentType(models.TextChoices):
    RESIDENT_ID = "resident_id", _("Resident ID card")
    PASSPORT = "passport", _("Passport")
    HK_MACAO_PERMIT = "hk_macao_permit", _("Hong Kong / Macao permit")
    TAIWAN_PERMIT = "taiwan_permit", _("Taiwan permit")
    OTHER = "other", _("Other document")


class Sex(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")
    UNKNOWN = "U", _("Unknown")


class Household(models.Model):
    """户: people living at one address; the unit of 村不漏户."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    region = models.ForeignKey(
        Region, verbose_name=_("village or grid"), on_delete=models.PROTECT, related_name="households"
    )
    number = models.CharField(_("household number"), max_length=32)
    address = models.CharField(_("address"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        constraints = [
            models.UniqueConstraint(fields=["region", "number"], name="household_number_unique_in_region")
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.address}".strip()


class PersonQuerySet(models.QuerySet["Person"]):
    def active(self) -> PersonQuerySet:
        return self.filter(is_active=True)


class Person(models.Model):
    """人员: anyone the office must know about — resident, returnee, contact, staff."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=100)
    name_initials = models.CharField(max_length=100, blank=True, db_index=True, editable=False)
    name_pinyin = models.CharField(max_length=300, blank=True, editable=False)
    document_type = models.CharField(
        _("document type"), max_length=20, choices=DocumentType.choices, default=DocumentType.RESIDENT_ID
    )
    document_number = models.CharField(_("document number"), max_length=40, blank=True)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, default=Sex.UNKNOWN)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    # The last four characters of each number, kept by the database itself (bulk imports write people with
    # raw SQL): a number search matches the last four or the whole number only, through an index.
    document_last4 = models.GeneratedField(
        expression=Right("document_number", 4),
        output_field=models.CharField(max_length=4),
        db_persist=True,
    )
    phone_last4 = models.GeneratedField(
        expression=Right("phone", 4),
        output_field=models.CharField(max_length=4),
        db_persist=True,
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    household = models.ForeignKey(
        Household,
        verbose_name=_("household"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        db_index=False,
    )
    # The most specific unit known: the grid if assigned, else the village.
    region = models.ForeignKey(
        Region, verbose_name=_("village or grid"), on_delete=models.PROTECT, related_name="people"
    )
    is_active = models.BooleanField(_("active"), default=True)
    # Up by one with every saved change: a form opened at an older version cannot overwrite (lib/versions).
    # (db_default too: bulk imports insert people with raw SQL.)
    version = models.PositiveIntegerField(default=1, db_default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["name_pinyin", "id"]
        # Exact-match indexes only (no PostgreSQL `_like` twins: numbers are never prefix-searched), and
        # partial ones for the optional links, which most rows (bulk-imported people) leave empty.
        indexes = [
            models.Index(fields=["document_number"], name="person_document_idx"),
            models.Index(fields=["phone"], name="person_phone_idx"),
            # The people list: active people in pinyin order, read a page at a time (people.paging).
            models.Index(
                fields=["name_pinyin", "id"], name="person_active_pinyin_idx", condition=Q(is_active=True)
            ),
            # Active people per unit, with the birth date an age band filters on: a testing round's target
            # population counted per region (testing.figures.coverage_by_unit) is read from the index alone.
            models.Index(
                fields=["region", "birth_date"],
                name="person_active_region_birth_idx",
                condition=Q(is_active=True),
            ),
            # Deactivated people (few): figures over other tables exclude them without joining every person.
            models.Index(fields=["id"], name="person_inactive_idx", condition=Q(is_active=False)),
            models.Index(fields=["document_last4"], name="person_document_last4_idx"),
            models.Index(fields=["phone_last4"], name="person_phone_last4_idx"),
            models.Index(
                fields=["household"], name="person_household_idx", condition=Q(household__isnull=False)
            ),
            models.Index(
                fields=["created_by"], name="person_created_by_idx", condition=Q(created_by__isnull=False)
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["document_type", "document_number"],
                condition=Q(is_active=True) & ~Q(document_number=""),
                name="person_one_active_per_document",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def masked_document(self) -> str:
        return mask_document(self.document_number)

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)

    @property
    def village(self) -> Region:
        return self.region.parent if self.region.level == Level.GRID and self.region.parent else self.region

    @property
    def grid(self) -> Region | None:
        return self.region if self.region.level == Level.GRID else None

    @property
    def birth_year(self) -> int | None:
        """What a page may show of the birth date without the reveal permission (see `lib.masking`)."""
        return self.birth_date.year if self.birth_date else None

    def age_on(self, day: datetime.date) -> int | None:
        if self.birth_date is None:
            return None
        b = self.birth_date
        return day.year - b.year - ((day.month, day.day) < (b.month, b.day))


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")
    EXPIRED = "expired", _("Removed")


class PeopleExport(models.Model):
    """人员导出: one export of the people list, written to a file by a background job.

    A million rows take longer than a web worker may run, so the file is written by the job queue and
    downloaded when ready; only the person who asked for it can download it, and every download is audited.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("exported by"), on_delete=models.PROTECT, related_name="+"
    )
    # The requester's jurisdiction when asked: the root of what the file may contain.
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    q = models.CharField(_("search"), max_length=100, blank=True)
    region_code = models.CharField(_("village or grid"), max_length=32, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ExportStatus.choices, default=ExportStatus.QUEUED
    )
    rows_total = models.PositiveIntegerField(default=0)
    rows_written = models.PositiveIntegerField(default=0)
    file_name = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(_("exported at"))
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("people export")
        verbose_name_plural = _("people exports")
        indexes = [models.Index(fields=["requested_by", "-created_at"], name="people_export_requester_idx")]

    def __str__(self) -> str:
        return f"{self.requested_by} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def percent(self) -> int:
        if self.status == ExportStatus.DONE:
            return 100
        return min(99, self.rows_written * 100 // self.rows_total) if self.rows_total else 0

    @property
    def is_finished(self) -> bool:
        return self.status in (ExportStatus.DONE, ExportStatus.FAILED, ExportStatus.EXPIRED)


class TransferStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the holding unit")
    ACCEPTED = "accepted", _("Handed over")
    DECLINED = "declined", _("Declined")


class PersonTransfer(models.Model):
    """移交: a request to move a person from the unit that holds them to the unit where they were reported.

    Raised when a unit registers (a returnee with) a document that a person of another unit already holds.
    The registering unit learns nothing about that person: it sees only what it typed (`reported_name`) and
    the state of the request. The holding unit (or the command office above both) decides; on acceptance the
    person moves, with an audit trail.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="transfers")
    from_region = models.ForeignKey(
        Region, verbose_name=_("holding unit"), on_delete=models.PROTECT, related_name="+"
    )
    # The village or grid the person was reported in: the jurisdiction that asks.
    region = models.ForeignKey(
        Region, verbose_name=_("reported in"), on_delete=models.PROTECT, related_name="+"
    )
    reported_name = models.CharField(_("name as reported"), max_length=100)
    # What caused it, for both sides (a returnee report's receipt number).
    source = models.CharField(_("reported by"), max_length=100, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=TransferStatus.choices, default=TransferStatus.PENDING
    )
    requested_at = models.DateTimeField(_("requested at"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("hand-over")
        verbose_name_plural = _("hand-overs")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "region"],
                condition=Q(status="pending"),
                name="person_transfer_one_pending_per_unit",
            )
        ]

    def __str__(self) -> str:
        # Audit rows of both units carry this label: only what the registering unit typed.
        return f"{self.reported_name} → {self.region.name}"
