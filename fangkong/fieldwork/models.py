"""Field work (外勤): places to disinfect and their records (消杀记录), volunteer and party-member teams (志愿者、
党员先锋队) with their tasks, and the submissions phones send (offline, replayed; one record per device uuid)."""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from fangkong.people.models import Household
from fangkong.regions.models import Region


class PlaceKind(models.TextChoices):
    MARKET = "market", _("Market")
    CHECKPOINT = "checkpoint", _("Checkpoint")
    ISOLATION_SITE = "isolation_site", _("Isolation site")
    VILLAGE_PUBLIC = "village_public", _("Village public area")
    COLD_STORE = "cold_store", _("Cold store")
    SCHOOL = "school", _("School")
    OTHER = "other", _("Other place")


class DisinfectionSchedule(models.Model):
    """消杀频次: how often a kind of place is disinfected (a market daily), kept as data (migration 0002)."""

    kind = models.CharField(_("kind of place"), max_length=20, choices=PlaceKind.choices, unique=True)
    every_days = models.PositiveSmallIntegerField(_("every (days)"))

    class Meta:
        verbose_name = _("disinfection schedule")
        verbose_name_plural = _("disinfection schedules")
        ordering = ["kind"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} / {self.every_days}"


class DisinfectionPlace(models.Model):
    """消杀场所: a place a unit disinfects on its kind's schedule."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    region = models.ForeignKey(Region, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind of place"), max_length=20, choices=PlaceKind.choices)
    name = models.CharField(_("name"), max_length=100)
    address = models.CharField(_("address"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    last_disinfected_at = models.DateTimeField(_("last disinfected at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("place to disinfect")
        verbose_name_plural = _("places to disinfect")
        ordering = ["region__path", "name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="fieldwork_place_name_per_unit"),
        ]

    def __str__(self) -> str:
        return self.name

    def due_on(self, every_days: int, today: datetime.date) -> datetime.date:
        """The Beijing day by which the next disinfection is due (today for a place never disinfected)."""
        if self.last_disinfected_at is None:
            return today
        from fangkong.lib.reporting_day import local_date

        return local_date(self.last_disinfected_at) + datetime.timedelta(days=every_days)

    def is_overdue(self, every_days: int, today: datetime.date) -> bool:
        """Overdue once the due day has passed, or when it was never disinfected at all."""
        return self.last_disinfected_at is None or self.due_on(every_days, today) <= today


class DisinfectionRecord(models.Model):
    """消杀记录: one disinfection of a place (area, agent and concentration, when, by whom)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    place = models.ForeignKey(DisinfectionPlace, on_delete=models.PROTECT, related_name="records")
    region = models.ForeignKey(Region, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    day = models.DateField(_("day"), db_index=True)
    done_at = models.DateTimeField(_("disinfected at"))
    area_m2 = models.PositiveIntegerField(_("area (m²)"))
    agent = models.CharField(_("disinfectant"), max_length=60)
    concentration = models.CharField(_("concentration"), max_length=40)
    note = models.CharField(_("note"), max_length=200, blank=True)
    supply_note = models.CharField(_("drawn from supplies"), max_length=200, blank=True)
    # Optional: our own re-encoded JPEG (lib/photos.py), never the file as sent.
    photo = models.FileField(_("photo"), upload_to="fieldwork/%Y/%m/", blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        verbose_name = _("disinfection record")
        verbose_name_plural = _("disinfection records")
        ordering = ["-done_at", "-id"]

    def __str__(self) -> str:
        return f"{self.place} {self.done_at:%Y-%m-%d %H:%M} {self.area_m2} m²"


class TeamKind(models.TextChoices):
    REGISTRATION = "registration", _("Registration")
    INQUIRY = "inquiry", _("Inquiry")
    DISINFECTION = "disinfection", _("Disinfection")
    CONVENIENCE = "convenience", _("Convenience services")


class Team(models.Model):
    """志愿者队 / 党员先锋队: a team of a village or sub-district (township) with one kind of work."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    region = models.ForeignKey(Region, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=20, choices=TeamKind.choices)
    name = models.CharField(_("name"), max_length=100)
    is_party_team = models.BooleanField(_("party-member team"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["region__path", "kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="fieldwork_team_name_per_unit")
        ]

    def __str__(self) -> str:
        return self.name


class TeamMember(models.Model):
    """A member of a team: a volunteer account (who then sees the team's tasks) or a name only."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("name"), max_length=50)
    is_party_member = models.BooleanField(_("party member"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    joined_at = models.DateTimeField(_("joined at"))

    class Meta:
        verbose_name = _("team member")
        verbose_name_plural = _("team members")
        ordering = ["team", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "user"], condition=models.Q(user__isnull=False), name="fieldwork_member_once"
            )
        ]

    def __str__(self) -> str:
        return self.name


class TaskKind(models.TextChoices):
    INQUIRY = "inquiry", _("Door-to-door inquiry")
    DISINFECTION = "disinfection", _("Disinfect a place")
    DELIVERY = "delivery", _("Delivery to a home-isolated household")
    OTHER = "other", _("Other task")


class TaskStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("field task", "Open")
    DONE = "done", pgettext_lazy("field task", "Done")
    CANCELLED = "cancelled", pgettext_lazy("field task", "Cancelled")


class FieldTask(models.Model):
    """志愿任务: work given to a team or one member, done with a note. `version` goes up with every change, so
    a phone that loaded an older state gets a conflict instead of overwriting."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    region = models.ForeignKey(Region, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="tasks")
    assignee = models.ForeignKey(
        TeamMember, null=True, blank=True, on_delete=models.PROTECT, related_name="tasks"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=TaskKind.choices)
    title = models.CharField(_("task"), max_length=200)
    place = models.ForeignKey(
        DisinfectionPlace, null=True, blank=True, on_delete=models.PROTECT, related_name="tasks"
    )
    household = models.ForeignKey(
        Household, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    due_on = models.DateField(_("due on"))
    # A recurring task (the market's daily disinfection): once done, the next one is due this many days later.
    every_days = models.PositiveSmallIntegerField(_("repeat every (days)"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=TaskStatus.choices, default=TaskStatus.OPEN)
    note = models.CharField(_("note"), max_length=300, blank=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Optional, given with the completion: our own re-encoded JPEG (lib/photos.py).
    photo = models.FileField(_("photo"), upload_to="fieldwork/%Y/%m/", blank=True)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("field task")
        verbose_name_plural = _("field tasks")
        ordering = ["status", "due_on", "id"]
        indexes = [models.Index(fields=["region", "due_on"], name="fieldwork_task_unit_day")]

    def __str__(self) -> str:
        return self.title


class SubmissionStatus(models.TextChoices):
    STORED = "stored", _("Stored")


class Submission(models.Model):
    """离线提交: one record a phone made offline, keyed by the uuid the phone gave it. The row is written in the
    same transaction as the record, so a replay (or a second concurrent post) of the same uuid stores nothing."""

    uuid = models.UUIDField(unique=True)
    kind = models.CharField(_("kind"), max_length=30)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey(Region, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        max_length=12, choices=SubmissionStatus.choices, default=SubmissionStatus.STORED
    )
    record_uuid = models.CharField(max_length=36, blank=True)
    received_at = models.DateTimeField(_("received at"))

    class Meta:
        verbose_name = _("offline submission")
        verbose_name_plural = _("offline submissions")
        ordering = ["-received_at", "-id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.uuid}"
