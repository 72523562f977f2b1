"""Big-data push lists (大数据推送排查): a batch of pushed rows, each row an item routed down the region tree
until someone on the ground verifies it and records one outcome.

An item's `region` is the unit currently holding it (county queue → township → village → grid); overdue
items count against that unit. Rows that failed validation are kept as `PushErrorRow` for the error file.
"""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from fangkong.accounts.access import within
from fangkong.regions.models import Region


class BatchStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Importing")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Failed")


class Outcome(models.TextChoices):
    """The one outcome that closes an item (核查结果)."""

    ALREADY_SCREENED = "already_screened", _("Already screened")
    NEW_FOUND = "new_found", _("Found and put under control")
    WRONG_INFO = "wrong_info", _("Wrong information")
    NOT_LOCAL = "not_local", _("Not living here")
    OUT_OF_PERIOD = "out_of_period", _("Outside the screening period")
    PASSED_THROUGH = "passed_through", _("Passed through only")


class FieldFlag(models.TextChoices):
    """What is wrong with a secondary field of a pushed row that still identifies someone."""

    NONE = "", _("As given")
    PLACEHOLDER = "placeholder", _("Not given (暂无/无/空)")
    INVALID = "invalid", _("Not valid")


# Outcomes that say the person is here: verification puts the person in the registry (created or updated
# through the people app's actions). The others leave the registry alone.
PERSON_HERE_OUTCOMES = frozenset({Outcome.NEW_FOUND.value, Outcome.ALREADY_SCREENED.value})


class RouteMethod(models.TextChoices):
    TOWNSHIP_COLUMN = "township", _("Township column")
    ADDRESS = "address", _("Address")
    HOME_REGION = "home", _("Person's home region")
    MANUAL = "manual", _("Routed by hand")
    NONE = "", _("Not routed")


class PushBatch(models.Model):
    """推送批次: one file pushed by the data centre, imported all or nothing."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=200)
    file_name = models.CharField(_("file name"), max_length=255, blank=True)
    # The stored upload, so a failed import can be run again from the same bytes.
    file_path = models.CharField(max_length=500, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, unique=True)
    # The unit that imported it (the command office's county); batches are scoped through it.
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    deadline_hours = models.PositiveIntegerField(_("deadline (hours)"), default=24)
    status = models.CharField(
        _("status"), max_length=16, choices=BatchStatus.choices, default=BatchStatus.QUEUED
    )
    failure = models.TextField(_("failure"), blank=True)
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_imported = models.PositiveIntegerField(_("rows imported"), default=0)
    rows_error = models.PositiveIntegerField(_("rows with errors"), default=0)
    rows_unroutable = models.PositiveIntegerField(_("rows not routed"), default=0)
    # Imports before the second design created people; since then an import creates none (always 0).
    people_created = models.PositiveIntegerField(_("people created"), default=0)
    people_matched = models.PositiveIntegerField(_("people matched"), default=0)
    rows_flagged = models.PositiveIntegerField(_("rows with a flagged field"), default=0)

    class Meta:
        verbose_name = _("push batch")
        verbose_name_plural = _("push batches")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_finished(self) -> bool:
        return self.status in (BatchStatus.DONE, BatchStatus.FAILED)


class PushItemQuerySet(models.QuerySet["PushItem"]):
    def pending(self) -> PushItemQuerySet:
        return self.filter(outcome="")

    def overdue(self, now: datetime.datetime) -> PushItemQuerySet:
        return self.filter(outcome="", deadline_at__lt=now)

    def within(self, region: Region) -> PushItemQuerySet:
        return self.filter(within(region))

    def visible(self) -> PushItemQuerySet:
        """Items of finished imports only: a running import commits chunk by chunk, and its rows stay out of
        sight until its final short commit marks the batch done (a failed batch's rows are being removed).

        The few unfinished batches are read first (one small query), and the filter is added only when there
        are some: with none, the lists' statements and plans are those of before (a NOT IN subquery made
        PostgreSQL leave the partial indexes of the open items)."""
        hidden = list(PushBatch.objects.exclude(status=BatchStatus.DONE).values_list("id", flat=True))
        return self.exclude(batch_id__in=hidden) if hidden else self


class PushItem(models.Model):
    """推送核查对象: one pushed row, held by one unit until it is verified."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Covered by the (batch, row_number) unique index.
    batch = models.ForeignKey(PushBatch, on_delete=models.CASCADE, related_name="items", db_index=False)
    row_number = models.PositiveIntegerField(_("row"))
    # A stable key of the row's content (document or name+phone, arrival, origin) for matching feedback.
    row_key = models.CharField(max_length=32)
    # The pushed identity: as given (`id_number`, `phone`) and normalised where valid (`document_number`,
    # `phone_e164`); a lead is not a person, and stays one until verification says the person is here.
    name = models.CharField(_("name"), max_length=100, blank=True)
    id_number = models.CharField(_("ID number"), max_length=40, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    document_number = models.CharField(_("ID number (checked)"), max_length=18, blank=True)
    phone_e164 = models.CharField(_("phone (checked)"), max_length=40, blank=True)
    id_flag = models.CharField(_("ID number flag"), max_length=12, choices=FieldFlag.choices, blank=True)
    phone_flag = models.CharField(_("phone flag"), max_length=12, choices=FieldFlag.choices, blank=True)
    arrival_flag = models.CharField(_("arrival flag"), max_length=12, choices=FieldFlag.choices, blank=True)
    # Why a flagged field was not accepted (the validator's message), for the verifier and the feedback file.
    flag_note = models.CharField(_("flag note"), max_length=300, blank=True)
    origin = models.CharField(_("origin"), max_length=200, blank=True)
    arrival = models.CharField(_("arrival"), max_length=40, blank=True)
    arrived_at = models.DateTimeField(_("arrival time"), null=True, blank=True)
    township_text = models.CharField(_("township (as pushed)"), max_length=100, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    # The matching person of the registry (active, by document number, else phone + name), found by the
    # import or linked by the verifier; never created by the import.
    person = models.ForeignKey(
        "people.Person",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="push_items",
    )
    # Indexed together with the batch (Meta.indexes), which also serves lookups by region alone.
    region = models.ForeignKey(
        Region, verbose_name=_("held by"), on_delete=models.PROTECT, related_name="+", db_index=False
    )
    route_method = models.CharField(_("routed by"), max_length=16, choices=RouteMethod.choices, blank=True)
    # Indexed only where set (Meta.indexes): an import writes up to a million items with no worker yet,
    # and a full index would take a million NULL entries nobody looks up.
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    dispatched_at = models.DateTimeField(_("dispatched at"), null=True, blank=True)
    deadline_at = models.DateTimeField(_("verify by"))
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    outcome_note = models.TextField(_("note"), blank=True)
    measure_code = models.CharField(_("control measure"), max_length=40, blank=True)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verified by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )

    objects = PushItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("push item")
        verbose_name_plural = _("push items")
        ordering = ["batch", "row_number"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "row_number"], name="pushitem_row_unique_in_batch"),
        ]
        indexes = [
            models.Index(
                fields=["assigned_to"], condition=Q(assigned_to__isnull=False), name="pushitem_assigned_to"
            ),
            # "Does my unit hold an item of this batch" (the batch list of a township or grid) and a batch's
            # items inside a jurisdiction: one probe per unit instead of a scan of every item.
            models.Index(fields=["region", "batch"], name="pushitem_region_batch"),
            # Open items by deadline (the overdue and pending lists, ordered by deadline): open items are a
            # small part of a table that only grows, so only they are indexed; the holding unit rides along
            # for the overdue counts per unit.
            models.Index(
                fields=["deadline_at", "id", "region"], condition=Q(outcome=""), name="pushitem_open_deadline"
            ),
            # Items verified in a period (the daily report's figures): only verified items are indexed.
            models.Index(
                fields=["verified_at"], condition=Q(verified_at__isnull=False), name="pushitem_verified_at"
            ),
            # The command office's routing queue: open items of one unit in file order.
            models.Index(
                fields=["region", "batch", "row_number"],
                condition=Q(outcome=""),
                name="pushitem_open_unit_rows",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} #{self.row_number}"

    def is_overdue(self, now: datetime.datetime) -> bool:
        return not self.outcome and now > self.deadline_at

    @property
    def is_flagged(self) -> bool:
        return bool(self.id_flag or self.phone_flag or self.arrival_flag)

    @property
    def was_late(self) -> bool:
        return self.verified_at is not None and self.verified_at > self.deadline_at


class PushErrorRow(models.Model):
    """错误行: a pushed row that failed validation, with the reason, for the error file."""

    batch = models.ForeignKey(PushBatch, on_delete=models.CASCADE, related_name="error_rows")
    row_number = models.PositiveIntegerField(_("row"))
    values = models.TextField(_("values"))  # the raw cells, tab-separated, as read
    reason = models.TextField(_("reason"))

    class Meta:
        verbose_name = _("error row")
        verbose_name_plural = _("error rows")
        ordering = ["batch", "row_number"]

    def __str__(self) -> str:
        return f"#{self.row_number}: {self.reason}"
