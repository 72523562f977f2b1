"""Cold chain and imported goods (冷链、进口物品 凡进必检): enterprises and cold stores with their workers, imported
lots that may be released only after a negative test and a disinfection record, imported mail batches."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from fangkong.people.models import Person
from fangkong.regions.models import Region


class EnterpriseKind(models.TextChoices):
    COLD_STORE = "cold_store", _("Cold store")
    TRADER = "trader", _("Cold-chain food business")
    DELIVERY_POINT = "delivery_point", _("Mail and parcel delivery point")


class Enterprise(models.Model):
    """冷链经营单位 / 冷库 / 寄递网点."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("enterprise name"), max_length=100)
    kind = models.CharField(_("enterprise kind"), max_length=20, choices=EnterpriseKind.choices)
    region = models.ForeignKey(Region, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    address = models.CharField(_("address"), max_length=200, blank=True)
    workers = models.ManyToManyField(Person, related_name="+", blank=True, verbose_name=_("workers"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("cold-chain enterprise")
        verbose_name_plural = _("cold-chain enterprises")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class LotTestResult(models.TextChoices):
    PENDING = "pending", pgettext_lazy("lot test", "Pending")
    NEGATIVE = "negative", _("Negative")
    POSITIVE = "positive", _("Positive")


class LotStatus(models.TextChoices):
    ARRIVED = "arrived", _("Arrived")
    HELD = "held", _("Held")
    RELEASED = "released", _("Released")
    DESTROYED = "destroyed", _("Destroyed")


class ImportedLot(models.Model):
    """进口物品批次: one lot of imported goods and its checks."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="lots")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    product = models.CharField(_("product"), max_length=100)
    origin_country = models.CharField(_("country of origin"), max_length=50)
    port = models.CharField(_("port of entry"), max_length=50, blank=True)
    quantity = models.CharField(_("quantity"), max_length=50)
    arrived_on = models.DateField(_("arrived on"))
    trace_code = models.CharField(_("trace code"), max_length=64, blank=True)
    test_result = models.CharField(
        _("test result"), max_length=10, choices=LotTestResult.choices, default=LotTestResult.PENDING
    )
    # A certificate number, or the uuid of a sample in the testing app when it exists.
    test_reference = models.CharField(_("test certificate or sample"), max_length=64, blank=True)
    disinfection_certificate = models.CharField(_("disinfection certificate"), max_length=64, blank=True)
    disinfected_at = models.DateTimeField(_("disinfected at"), null=True, blank=True)
    status = models.CharField(
        pgettext_lazy("lot", "status"), max_length=10, choices=LotStatus.choices, default=LotStatus.ARRIVED
    )
    status_changed_at = models.DateTimeField(_("status changed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("registered at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("imported lot")
        verbose_name_plural = _("imported lots")
        ordering = ["-arrived_on", "-id"]

    def __str__(self) -> str:
        return f"{self.product} {self.trace_code}".strip()

    def release_problems(self) -> list[str]:
        """Why the lot may not be released (empty: it may): 凡进必检, a negative test and a disinfection."""
        problems = []
        if self.test_result != LotTestResult.NEGATIVE:
            problems.append("test")
        if self.disinfected_at is None or not self.disinfection_certificate:
            problems.append("disinfection")
        return problems


class MailBatch(models.Model):
    """进口邮件快件批次: imported mail and parcels received at a delivery point, disinfected before delivery."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="mail_batches")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    received_on = models.DateField(_("received on"))
    origin_country = models.CharField(_("country of origin"), max_length=50)
    pieces = models.PositiveIntegerField(_("pieces"))
    disinfected_at = models.DateTimeField(_("disinfected at"))
    disinfection_certificate = models.CharField(_("disinfection record"), max_length=64)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("imported mail batch")
        verbose_name_plural = _("imported mail batches")
        ordering = ["-received_on", "-id"]

    def __str__(self) -> str:
        return f"{self.origin_country} {self.pieces}"
