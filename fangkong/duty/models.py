"""Duty rosters (值班值守) and leave requests (外出审批).

A duty unit is any region (command office = the county, townships, villages; checkpoints get their own app
later and will become units then). A unit's day is covered when its active shifts cover every instant of the
Beijing day [00:00, 24:00); the uncovered intervals are the gaps shown in red on the roster.
"""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from fangkong.lib.reporting_day import SHANGHAI
from fangkong.regions.models import Region

Interval = tuple[datetime.datetime, datetime.datetime]

DEFAULT_LATE_CHECKIN_MINUTES = 30


def late_checkin_after() -> datetime.timedelta:
    """How long after the start of a shift a check-in still counts as on time.

    Setting DUTY_LATE_CHECKIN_MINUTES, default 30."""
    return datetime.timedelta(
        minutes=int(getattr(settings, "DUTY_LATE_CHECKIN_MINUTES", DEFAULT_LATE_CHECKIN_MINUTES))
    )


def day_bounds(day: datetime.date) -> Interval:
    """[00:00, 24:00) of the Beijing day `day` as aware datetimes."""
    start = datetime.datetime.combine(day, datetime.time(0, 0), tzinfo=SHANGHAI)
    end = datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time(0, 0), tzinfo=SHANGHAI)
    return start, end


def uncovered(window: Interval, covers: list[Interval]) -> list[Interval]:
    """The parts of `window` that no interval in `covers` covers (half-open intervals, in order).

    Overlapping and adjacent intervals merge; intervals reaching outside the window are clipped, so a shift
    crossing midnight covers the end of one day and the start of the next.
    """
    start, end = window
    gaps: list[Interval] = []
    cursor = start
    for c_start, c_end in sorted(covers):
        if c_end <= cursor or c_start >= end:
            continue
        if c_start > cursor:
            gaps.append((cursor, c_start))
        cursor = max(cursor, c_end)
        if cursor >= end:
            break
    if cursor < end:
        gaps.append((cursor, end))
    return gaps


class DutyShiftQuerySet(models.QuerySet["DutyShift"]):
    def active(self) -> DutyShiftQuerySet:
        return self.filter(is_active=True)

    def overlapping(self, start: datetime.datetime, end: datetime.datetime) -> DutyShiftQuerySet:
        """Shifts that share at least one instant with [start, end)."""
        return self.filter(starts_at__lt=end, ends_at__gt=start)

    def at(self, now: datetime.datetime) -> DutyShiftQuerySet:
        return self.filter(starts_at__lte=now, ends_at__gt=now)


class DutyShift(models.Model):
    """值班班次: the person on duty (值班人员) and leader on call (带班领导) of a unit over a time span."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    region = models.ForeignKey(
        Region, verbose_name=_("duty unit"), on_delete=models.PROTECT, related_name="duty_shifts"
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    person_on_duty = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person on duty"),
        on_delete=models.PROTECT,
        related_name="duty_shifts",
    )
    leader_on_call = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("leader on call"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="duty_shifts_as_leader",
    )
    # The duty telephone of the shift (often a landline of the office, maybe with an extension), stored in
    # E.164 with `;ext=`. A work number meant to be called: shown in full to colleagues, never masked.
    phone = models.CharField(_("duty phone"), max_length=32, blank=True)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    checkin_late = models.BooleanField(_("late check-in"), default=False)
    checkin_note = models.TextField(_("check-in note"), blank=True)
    handover_note = models.TextField(_("hand-over note"), blank=True)
    handed_over_at = models.DateTimeField(_("handed over at"), null=True, blank=True)
    missed = models.BooleanField(_("check-in missed"), default=False)
    missed_recorded_at = models.DateTimeField(_("missed check-in recorded at"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Up by one with every saved edit: a roster form opened before someone else's save cannot overwrite it.
    version = models.PositiveIntegerField(default=1, db_default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = DutyShiftQuerySet.as_manager()

    class Meta:
        verbose_name = _("duty shift")
        verbose_name_plural = _("duty shifts")
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["region", "starts_at"], name="dutyshift_region_start_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="dutyshift_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        start = self.starts_at.astimezone(SHANGHAI)
        return f"{self.region} {start:%Y-%m-%d %H:%M} {self.person_on_duty}"

    def is_running(self, now: datetime.datetime) -> bool:
        return self.starts_at <= now < self.ends_at

    def checkin_deadline(self) -> datetime.datetime:
        """After this instant a check-in counts as late."""
        return self.starts_at + late_checkin_after()

    def checkin_is_missed(self, now: datetime.datetime) -> bool:
        """The shift is over and nobody checked in."""
        return self.checked_in_at is None and now >= self.ends_at

    def previous(self) -> DutyShift | None:
        """The shift of the same unit that hands over to this one (the latest that started before it)."""
        return (
            DutyShift.objects.active()
            .filter(region_id=self.region_id, starts_at__lt=self.starts_at)
            .exclude(pk=self.pk)
            .select_related("person_on_duty")
            .order_by("-starts_at", "-id")
            .first()
        )


def coverage_gaps(region: Region, day: datetime.date) -> list[Interval]:
    """The uncovered intervals of the Beijing day `day` for the unit `region`."""
    window = day_bounds(day)
    covers = list(
        DutyShift.objects.active()
        .filter(region=region)
        .overlapping(*window)
        .values_list("starts_at", "ends_at")
    )
    return uncovered(window, covers)


class LeaveStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("leave", "Pending")
    APPROVED = "approved", pgettext_lazy("leave", "Approved")
    REFUSED = "refused", _("Refused")
    CANCELLED = "cancelled", _("Cancelled")


class LeaveRequestQuerySet(models.QuerySet["LeaveRequest"]):
    def approved(self) -> LeaveRequestQuerySet:
        return self.filter(status=LeaveStatus.APPROVED)

    def on(self, day: datetime.date) -> LeaveRequestQuerySet:
        return self.filter(starts_on__lte=day, ends_on__gte=day)

    def overlapping(self, starts_on: datetime.date, ends_on: datetime.date) -> LeaveRequestQuerySet:
        return self.filter(starts_on__lte=ends_on, ends_on__gte=starts_on)


class LeaveRequest(models.Model):
    """外出审批: a cadre asks their superior for leave to go away during the emergency, inclusive dates."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requester"),
        on_delete=models.PROTECT,
        related_name="leave_requests",
    )
    # The requester's region when asking: it decides who the superior is and who may see the request.
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="leave_requests"
    )
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    reason = models.TextField(_("reason"))
    destination = models.CharField(_("destination"), max_length=200)
    status = models.CharField(
        _("status"), max_length=16, choices=LeaveStatus.choices, default=LeaveStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = LeaveRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("leave request")
        verbose_name_plural = _("leave requests")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="leave_ends_not_before_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.requester} {self.starts_on:%Y-%m-%d}–{self.ends_on:%Y-%m-%d}"

    @property
    def is_pending(self) -> bool:
        return self.status == LeaveStatus.PENDING
