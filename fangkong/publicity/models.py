"""Publicity (宣传): how many banners, posters, open letters, loudspeaker broadcasts and WeChat posts a unit put out
on a day. One row per unit, day and kind; typing the day's figure again replaces it (audited before → after)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from fangkong.regions.models import Region


class PublicityKind(models.TextChoices):
    BANNER = "banner", _("Banners hung")
    POSTER = "poster", _("Posters put up")
    OPEN_LETTER = "open_letter", _("Open letters handed out")
    BROADCAST = "broadcast", _("Loudspeaker broadcasts")
    WECHAT = "wechat", _("WeChat posts")


class PublicityTally(models.Model):
    """宣传台账: one kind of publicity work of a unit on a Beijing day."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    region = models.ForeignKey(Region, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    day = models.DateField(_("day"))
    kind = models.CharField(_("kind"), max_length=20, choices=PublicityKind.choices)
    count = models.PositiveIntegerField(_("count"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        verbose_name = _("publicity tally")
        verbose_name_plural = _("publicity tallies")
        ordering = ["-day", "region__path", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["region", "day", "kind"], name="publicity_tally_unique")
        ]

    def __str__(self) -> str:
        return f"{self.region.name} {self.day:%Y-%m-%d} {self.get_kind_display()} {self.count}"
