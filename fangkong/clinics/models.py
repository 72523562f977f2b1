"""Medical surveillance (发热门诊、村卫生室、药店, 首诊负责): facilities, the fever patients and medicine buyers they
register, and the follow-up task each registration gives the person's grid worker, due within 24 hours."""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from fangkong.people.models import Person
from fangkong.regions.models import Region

FOLLOW_UP_WITHIN = datetime.timedelta(hours=24)


class FacilityKind(models.TextChoices):
    FEVER_CLINIC = "fever_clinic", _("Fever clinic")
    VILLAGE_CLINIC = "village_clinic", _("Village clinic")
    PHARMACY = "pharmacy", _("Pharmacy")


class Facility(models.Model):
    """A fever clinic, village clinic or pharmacy; its staff accounts (role facility_staff) are bound to it."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("facility name"), max_length=100)
    kind = models.CharField(_("facility kind"), max_length=20, choices=FacilityKind.choices)
    region = models.ForeignKey(Region, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    address = models.CharField(_("address"), max_length=200, blank=True)
    staff = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="facilities", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("medical facility")
        verbose_name_plural = _("medical facilities")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class RecordKind(models.TextChoices):
    FEVER_PATIENT = "fever_patient", _("Fever patient")
    DRUG_PURCHASE = "drug_purchase", _("Medicine purchase")


class Medicine(models.TextChoices):
    FEVER = "fever", _("Fever reducer")
    COUGH = "cough", _("Cough medicine")
    ANTIBIOTIC = "antibiotic", _("Antibiotic")
    ANTIVIRAL = "antiviral", _("Antiviral")


class SurveillanceRecord(models.Model):
    """发热病人登记 / 实名购药登记."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="records")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")  # the facility's unit
    kind = models.CharField(_("kind"), max_length=20, choices=RecordKind.choices)
    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="+")
    temperature = models.DecimalField(
        _("temperature (°C)"), max_digits=3, decimal_places=1, null=True, blank=True
    )
    symptoms = models.CharField(_("symptoms"), max_length=200, blank=True)
    epidemiological_history = models.CharField(_("epidemiological history"), max_length=200, blank=True)
    sampled = models.BooleanField(_("sampled for testing"), default=False)
    medicine = models.CharField(_("medicine"), max_length=20, choices=Medicine.choices, blank=True)
    from_ledger = models.BooleanField(_("from an uploaded ledger"), default=False)
    registered_at = models.DateTimeField(_("registered at"))
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("surveillance record")
        verbose_name_plural = _("surveillance records")
        ordering = ["-registered_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.registered_at:%Y-%m-%d %H:%M}"


class FollowUp(models.Model):
    """The grid worker's task: see the registered person within 24 hours and write what was found."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    record = models.OneToOneField(SurveillanceRecord, on_delete=models.CASCADE, related_name="follow_up")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    # The person's unit (grid or village) when the task was made: whose task it is.
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("grid worker"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    due_at = models.DateTimeField(_("due at"))
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    outcome = models.CharField(pgettext_lazy("follow-up", "outcome"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("follow-up task")
        verbose_name_plural = _("follow-up tasks")
        ordering = ["due_at", "id"]
        indexes = [models.Index(fields=["done_at", "due_at"], name="followup_open_due_idx")]

    def __str__(self) -> str:
        return f"{self.person_id} {self.due_at:%Y-%m-%d %H:%M}"

    def is_overdue(self, now: datetime.datetime) -> bool:
        return self.done_at is None and now > self.due_at
