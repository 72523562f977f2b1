"""Daily and zero reports, accountability, urgent reports and in-app notifications.

A report form is data (ReportForm + Indicator rows), so the command office changes what is reported
without code. Each reporting unit (the regions at the form's levels) files one DailyReport per reporting
day, due at 12:00 Asia/Shanghai (fangkong.lib.reporting_day). The deadline sweep writes the placeholder
rows of units that did not file, so per-unit status is one indexed read.
"""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from fangkong.lib import reporting_day
from fangkong.regions.models import Level, Region


class UndeletableQuerySet(models.QuerySet[Any]):
    """Records of the accountability trail are never deleted, not even in bulk."""

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("this record cannot be deleted")


class IndicatorKind(models.TextChoices):
    NEW_TODAY = "new_today", _("New today")
    CUMULATIVE = "cumulative", _("Cumulative")
    UNDER_MANAGEMENT = "under_management", _("Under management")


class IndicatorUnit(models.TextChoices):
    PERSONS = "persons", _("persons")
    ITEMS = "items", _("items")
    SAMPLES = "samples", _("samples")
    PLACES = "places", _("places")
    SQUARE_METRES = "m2", _("square metres")
    DOSES = "doses", _("doses")


class ReportForm(models.Model):
    """报表: a named list of indicators and the region levels whose units fill it."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    code = models.CharField(_("code"), max_length=40, unique=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    # Region levels (Level values) whose units file this form; the levels above only roll up.
    levels = models.JSONField(_("levels that fill it"), default=list)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("report form")
        verbose_name_plural = _("report forms")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "").startswith("en") and self.name_en else self.name_zh

    @classmethod
    def current(cls) -> ReportForm | None:
        """The form units fill today (one active form at a time)."""
        return cls.objects.filter(is_active=True).order_by("-created_at", "-id").first()

    def units(self) -> models.QuerySet[Region]:
        """The reporting units: active regions at the form's levels."""
        return Region.objects.active().filter(level__in=self.levels)

    def units_due(self, day: datetime.date) -> models.QuerySet[Region]:
        """The units accountable for `day`: a unit starts reporting the day it is created and is held to the
        deadline from the next day on, so going live in the afternoon opens no records for that day."""
        return self.units().filter(created_at__lt=reporting_day.day_start(day))

    @staticmethod
    def is_due(unit: Region, day: datetime.date) -> bool:
        """`units_due` for one unit: whether it is accountable for `day`."""
        return unit.created_at < reporting_day.day_start(day)

    def active_indicators(self) -> models.QuerySet[Indicator]:
        return self.indicators.filter(is_active=True).order_by("order", "id")


class Indicator(models.Model):
    """指标: one figure of a form. Retired, never deleted: old reports still show it."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    form = models.ForeignKey(ReportForm, on_delete=models.PROTECT, related_name="indicators")
    code = models.CharField(_("code"), max_length=40)
    name_zh = models.CharField(_("name (Chinese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=IndicatorKind.choices)
    unit = models.CharField(_("unit"), max_length=10, choices=IndicatorUnit.choices)
    # A code in fangkong.reporting.sources: where the system can compute the figure itself.
    source = models.CharField(_("data source"), max_length=80, blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["form", "code"], name="indicator_code_per_form")]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "").startswith("en") and self.name_en else self.name_zh


class ReportState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned")


class ReportStatus(models.TextChoices):
    """Timeliness of one unit's report for one day. Filed: on time, zero report, late (first filed after
    12:00). Not filed: pending (before 12:00), overdue (after 12:00, the day still open), missing (the day
    ended without a filing). The two groups never mix: only a filing counts as received."""

    PENDING = "pending", _("Not yet filed")
    ON_TIME = "on_time", _("On time")
    LATE = "late", _("Filed late")
    OVERDUE = "overdue", _("Overdue, not filed")
    MISSING = "missing", _("Missing")
    ZERO = "zero", _("Zero report")


FILED_STATUSES = (ReportStatus.ON_TIME, ReportStatus.ZERO, ReportStatus.LATE)


def status_at(day: datetime.date, now: datetime.datetime) -> ReportStatus:
    """The status of a unit with no submitted report for `day`, as of `now`."""
    if not reporting_day.is_past_deadline(day, now):
        return ReportStatus.PENDING
    if not reporting_day.is_day_over(day, now):
        return ReportStatus.OVERDUE
    return ReportStatus.MISSING


class DailyReportQuerySet(models.QuerySet["DailyReport"]):
    def submitted(self) -> DailyReportQuerySet:
        return self.filter(submitted_at__isnull=False)


class DailyReport(models.Model):
    """日报告/零报告: one unit's report for one reporting day.

    A row without `submitted_at` is a draft, or the placeholder the deadline sweep writes for a unit that
    did not file (status overdue, then missing).
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    region = models.ForeignKey(Region, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    day = models.DateField(_("reporting day"))
    form = models.ForeignKey(ReportForm, on_delete=models.PROTECT, related_name="reports")
    state = models.CharField(
        _("state"), max_length=16, choices=ReportState.choices, default=ReportState.DRAFT
    )
    status = models.CharField(
        _("status"), max_length=16, choices=ReportStatus.choices, default=ReportStatus.PENDING
    )
    is_zero = models.BooleanField(_("zero report"), default=False)
    # Lateness is judged on the first submission; a later correction does not make a report late.
    first_submitted_at = models.DateTimeField(_("first submitted at"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    is_late = models.BooleanField(_("late"), default=False)
    revision = models.PositiveIntegerField(_("revision"), default=0)
    has_discrepancy = models.BooleanField(_("differs from records"), default=False)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_comment = models.TextField(_("review comment"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = DailyReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("daily report")
        verbose_name_plural = _("daily reports")
        ordering = ["-day", "region__path"]
        constraints = [models.UniqueConstraint(fields=["region", "day"], name="one_report_per_unit_day")]
        indexes = [models.Index(fields=["day", "status"], name="report_day_status_idx")]

    def __str__(self) -> str:
        return f"{self.region} {self.day:%Y-%m-%d}"

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None

    @property
    def version(self) -> int:
        """The version people read (第1版 is the first submission); `revision` counts corrections from 0."""
        return self.revision + 1

    def current_status(self, now: datetime.datetime) -> ReportStatus:
        """Derived status; agrees with the stored `status` once the sweep has run."""
        if self.first_submitted_at is None:
            return status_at(self.day, now)
        if reporting_day.is_late(self.day, self.first_submitted_at):
            return ReportStatus.LATE
        return ReportStatus.ZERO if self.is_zero else ReportStatus.ON_TIME


# The largest figure a unit may report: far above any real count of a district, far below the 32-bit
# limit of the column, so a mistyped figure is refused with a message instead of a database error.
MAX_FIGURE = 10_000_000


class ReportValue(models.Model):
    """One figure of a report, with what the records said at submission (possible 瞒报 when they differ)."""

    report = models.ForeignKey(DailyReport, on_delete=models.CASCADE, related_name="values")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    value = models.PositiveIntegerField(_("value"))
    source_value = models.PositiveIntegerField(_("value in the records"), null=True, blank=True)

    class Meta:
        verbose_name = _("report value")
        verbose_name_plural = _("report values")
        constraints = [
            models.UniqueConstraint(fields=["report", "indicator"], name="one_value_per_indicator")
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code}={self.value}"

    @property
    def flagged(self) -> bool:
        return self.source_value is not None and self.source_value != self.value


class ReportRevision(models.Model):
    """修订记录: the values of a submitted report before a correction replaced them."""

    report = models.ForeignKey(DailyReport, on_delete=models.PROTECT, related_name="revisions")
    number = models.PositiveIntegerField(_("revision"))
    values = models.JSONField(default=dict)  # indicator code -> value, as they were
    is_zero = models.BooleanField(default=False)
    submitted_at = models.DateTimeField()
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    replaced_at = models.DateTimeField()
    replaced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    reason = models.TextField(_("reason for the correction"), blank=True)

    objects = UndeletableQuerySet.as_manager()

    class Meta:
        verbose_name = _("report revision")
        verbose_name_plural = _("report revisions")
        ordering = ["report", "number"]
        constraints = [models.UniqueConstraint(fields=["report", "number"], name="one_revision_number")]

    def __str__(self) -> str:
        return f"{self.report} r{self.number}"

    @property
    def version(self) -> int:
        """The version people read: revision 0 was 第1版."""
        return self.number + 1

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("a revision cannot be deleted")


class AccountabilityTopic(models.TextChoices):
    TIMELINESS = "timeliness", _("Timeliness")
    ACCURACY = "accuracy", _("Accuracy")


class AccountabilityReason(models.TextChoices):
    LATE = "late", _("Late report")
    MISSING = "missing", _("Missing report")
    DISCREPANCY = "discrepancy", _("Figures differ from the records")


class AccountabilityState(models.TextChoices):
    OPEN = "open", _("Awaiting explanation")
    EXPLAINED = "explained", _("Explained")
    DECIDED = "decided", _("Decided")
    # The sweep opened it from what it could see, and a filing received in time proved it wrong.
    WITHDRAWN = "withdrawn", _("Withdrawn: filed in time")


# States in which a record needs nothing more from anyone.
CLOSED_STATES = (AccountabilityState.DECIDED, AccountabilityState.WITHDRAWN)


class Decision(models.TextChoices):
    NO_ACTION = "no_action", _("No action")
    WARNING = "warning", _("Warning")
    CRITICISM = "criticism", _("Notice of criticism")
    REFERRAL = "referral", _("Referral to the discipline commission")


class AccountabilityRecord(models.Model):
    """问责记录: opened for a late, missing or flagged report; explained by the unit, decided by the office.

    One per unit, day and topic: a late report that becomes missing is the same record, upgraded.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    region = models.ForeignKey(Region, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    day = models.DateField(_("reporting day"))
    topic = models.CharField(max_length=16, choices=AccountabilityTopic.choices)
    reason = models.CharField(_("reason"), max_length=16, choices=AccountabilityReason.choices)
    report = models.ForeignKey(DailyReport, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    state = models.CharField(
        _("state"), max_length=16, choices=AccountabilityState.choices, default=AccountabilityState.OPEN
    )
    opened_at = models.DateTimeField(_("opened at"))
    explanation = models.TextField(_("explanation"), blank=True)
    explained_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    explained_at = models.DateTimeField(null=True, blank=True)
    decision = models.CharField(_("decision"), max_length=16, choices=Decision.choices, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    notice_text = models.TextField(_("notice"), blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    objects = UndeletableQuerySet.as_manager()

    class Meta:
        verbose_name = _("accountability record")
        verbose_name_plural = _("accountability records")
        ordering = ["-day", "region__path"]
        constraints = [
            models.UniqueConstraint(fields=["region", "day", "topic"], name="one_record_per_unit_day_topic")
        ]
        indexes = [models.Index(fields=["state", "day"], name="accountability_state_idx")]

    def __str__(self) -> str:
        return f"{self.region} {self.day:%Y-%m-%d} {self.get_reason_display()}"

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("an accountability record cannot be deleted")


class UrgentKind(models.TextChoices):
    SUSPECTED_CASE = "suspected_case", _("Suspected case")
    POSITIVE_RESULT = "positive_result", _("Positive result")
    CLUSTER = "cluster", _("Cluster")
    ABNORMAL = "abnormal", _("Abnormal situation")
    OTHER = "other", _("Other")


class UrgentReport(models.Model):
    """专题报送: sent at once to the command office's person on duty, who acknowledges it."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    region = models.ForeignKey(Region, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=20, choices=UrgentKind.choices)
    text = models.TextField(_("text"))
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField(_("sent at"))
    notified = models.JSONField(default=list)  # usernames told at sending, for the record
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)

    objects = UndeletableQuerySet.as_manager()

    class Meta:
        verbose_name = _("urgent report")
        verbose_name_plural = _("urgent reports")
        ordering = ["-sent_at"]
        indexes = [models.Index(fields=["acknowledged_at", "escalated_at"], name="urgent_open_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.region}"


class UrgentAttachment(models.Model):
    """附件 of an urgent report."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    report = models.ForeignKey(UrgentReport, on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField(upload_to="urgent/%Y/%m/")
    name = models.CharField(max_length=200)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.name


class SweepKind(models.TextChoices):
    REMINDER_1000 = "reminder_1000", _("10:00 reminder")
    REMINDER_1130 = "reminder_1130", _("11:30 reminder")
    DEADLINE = "deadline", _("12:00 deadline")
    DAY_END = "day_end", _("End of day")


class SweepRun(models.Model):
    """One scheduled step done for one day: the row makes every step idempotent under retries."""

    day = models.DateField()
    kind = models.CharField(max_length=20, choices=SweepKind.choices)
    ran_at = models.DateTimeField()
    units = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["day", "kind"], name="one_sweep_per_day_kind")]

    def __str__(self) -> str:
        return f"{self.day} {self.kind}"


class NotificationQuerySet(models.QuerySet["Notification"]):
    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """站内通知: reminders, deadline notices, urgent reports and escalations for one user."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    text = models.CharField(_("text"), max_length=500)
    link = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread_idx")]

    def __str__(self) -> str:
        return self.text[:50]


DEFAULT_LEVELS = [Level.TOWNSHIP.value, Level.VILLAGE.value]
