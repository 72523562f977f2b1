"""Outbreaks the command office declares and closes, and each retention run."""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Outbreak(models.Model):
    """疫情（本轮）: declared and closed by the command office. Once closed, the personal records of the outbreak
    are due `RETENTION["AFTER_OUTBREAK_DAYS"]` days after its end, whatever their own period."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=100)
    started_on = models.DateField(_("started on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("outbreak")
        verbose_name_plural = _("outbreaks")
        ordering = ["-started_on", "-id"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_open(self) -> bool:
        return self.ended_on is None

    def due_on(self) -> datetime.date | None:
        """The day the outbreak's records become due (None while it is open)."""
        if self.ended_on is None:
            return None
        return self.ended_on + datetime.timedelta(days=settings.RETENTION["AFTER_OUTBREAK_DAYS"])


class RetentionRun(models.Model):
    """One run of the retention policy: when, as of which moment, by whom (nobody: the scheduled job), and how many
    records of each kind were anonymised or deleted. Dry runs are not recorded: they change nothing."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    started_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    as_of = models.DateTimeField(_("as of"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("run by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # {kind key: {"cutoff": iso, "count": n}}
    counts = models.JSONField(_("records"), default=dict)

    class Meta:
        verbose_name = _("retention run")
        verbose_name_plural = _("retention runs")
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M}"

    @property
    def total(self) -> int:
        return sum(int(v["count"]) for v in self.counts.values())
