"""物资储备: warehouses of the units, items with a unit of measure, lots with expiry dates, and stock.

Stock is the sum of movements (in, out, transfer, adjustment after a count), each with its user, time and
reason; no quantity is ever edited. A `Stock` row (one item in one warehouse) carries the reorder threshold and
is the row an out-movement locks, so two draws at once cannot both take the last units.
"""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from fangkong.regions.models import Region

EXPIRY_WARNING_DAYS = 30


class SupplyItem(models.Model):
    """物资品种: N95 masks, protective suits, sampling tubes … with the unit they are counted in (data)."""

    code = models.CharField(max_length=40, unique=True)
    name = models.CharField(_("item"), max_length=100)
    unit_of_measure = models.CharField(_("unit of measure"), max_length=20)

    class Meta:
        verbose_name = _("supply item")
        verbose_name_plural = _("supply items")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Warehouse(models.Model):
    """物资仓库: a unit's store."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    region = models.ForeignKey(Region, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("warehouse"), max_length=100)
    address = models.CharField(_("address"), max_length=200, blank=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("warehouse")
        verbose_name_plural = _("warehouses")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class Stock(models.Model):
    """One item held in one warehouse: its reorder threshold, and the row a movement locks."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    warehouse = models.ForeignKey(Warehouse, on_delete=models.CASCADE, related_name="stocks")
    item = models.ForeignKey(SupplyItem, verbose_name=_("item"), on_delete=models.PROTECT, related_name="+")
    reorder_threshold = models.PositiveIntegerField(_("reorder threshold"), default=0)

    class Meta:
        verbose_name = _("stock")
        ordering = ["item__name", "id"]
        constraints = [models.UniqueConstraint(fields=["warehouse", "item"], name="stock_one_per_item")]

    def __str__(self) -> str:
        return f"{self.warehouse.name} · {self.item.name}"


class Lot(models.Model):
    """批次: a lot of an item in a warehouse, with its expiry date (none for items that do not expire)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    stock = models.ForeignKey(Stock, on_delete=models.CASCADE, related_name="lots")
    number = models.CharField(_("lot number"), max_length=50, blank=True)
    expires_on = models.DateField(_("expiry date"), null=True, blank=True)

    class Meta:
        verbose_name = _("lot")
        ordering = [models.F("expires_on").asc(nulls_last=True), "id"]
        constraints = [
            models.UniqueConstraint(fields=["stock", "number", "expires_on"], name="lot_unique"),
        ]

    def __str__(self) -> str:
        return self.number or "—"

    def is_expired(self, day: datetime.date) -> bool:
        return self.expires_on is not None and self.expires_on < day

    def expires_soon(self, day: datetime.date) -> bool:
        """Expiring within the warning window (today included), or already expired."""
        return self.expires_on is not None and self.expires_on <= day + datetime.timedelta(
            days=EXPIRY_WARNING_DAYS
        )


class MovementKind(models.TextChoices):
    IN = "in", _("Received")
    OUT = "out", _("Issued")
    TRANSFER_OUT = "transfer_out", _("Transferred out")
    TRANSFER_IN = "transfer_in", _("Transferred in")
    ADJUSTMENT = "adjustment", _("Adjusted after a count")


class Movement(models.Model):
    """出入库记录: one change of stock, signed (out-movements are negative); never edited."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    stock = models.ForeignKey(Stock, on_delete=models.PROTECT, related_name="movements")
    lot = models.ForeignKey(Lot, on_delete=models.PROTECT, related_name="movements")
    kind = models.CharField(_("movement"), max_length=20, choices=MovementKind.choices)
    quantity = models.IntegerField(_("quantity"))
    reason = models.CharField(_("reason"), max_length=200)
    # What the movement answers (a pool's uuid for a draw by the testing app): a draw with a reference is made once.
    ref = models.CharField(max_length=80, blank=True)
    transfer = models.UUIDField(null=True, blank=True)  # both halves of a transfer share it
    at = models.DateTimeField(_("time"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("stock movement")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["stock", "at"], name="movement_stock_at_idx")]
        constraints = [
            models.CheckConstraint(condition=~Q(quantity=0), name="movement_not_zero"),
            models.UniqueConstraint(
                fields=["stock", "ref", "lot"], condition=~Q(ref=""), name="movement_ref_once_per_lot"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.quantity}"
