"""The audit trail: append-only. Rows are written by `audit.actions.record` and never changed."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from fangkong.regions.models import Region


class AuditAction(models.TextChoices):
    # Labels in their own message context: Django merges every app's catalogue into one, so a bare "Created"
    # or "Imported" here took over the 创建时间 column title and the push-list batch status (read 导入).
    CREATE = "create", pgettext_lazy("audit action", "Created")
    UPDATE = "update", pgettext_lazy("audit action", "Changed")
    DEACTIVATE = "deactivate", pgettext_lazy("audit action", "Deactivated")
    REVEAL = "reveal", pgettext_lazy("audit action", "Revealed personal data")
    EXPORT = "export", pgettext_lazy("audit action", "Exported")
    IMPORT = "import", pgettext_lazy("audit action", "Imported")
    LOGIN_FAILED = "login_failed", pgettext_lazy("audit action", "Login failed")
    LOCKOUT = "lockout", pgettext_lazy("audit action", "Login locked out")
    TOKEN_CREATE = "token_create", pgettext_lazy("audit action", "API token created")
    TOKEN_REVOKE = "token_revoke", pgettext_lazy("audit action", "API token revoked")
    OTHER = "other", pgettext_lazy("audit action", "Other")


class AuditImmutableError(RuntimeError):
    pass


class AuditEvent(models.Model):
    """审计日志: who did what, when, from where, to which record, with the fields before → after."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    at = models.DateTimeField(_("time"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_name = models.CharField(_("user"), max_length=150, blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    action = models.CharField(_("action"), max_length=32, choices=AuditAction.choices, db_index=True)
    object_type = models.CharField(_("record type"), max_length=64, blank=True, db_index=True)
    object_uuid = models.UUIDField(null=True, blank=True, db_index=True)
    object_label = models.CharField(_("record"), max_length=200, blank=True)
    # The region the record belongs to, so the log itself can be scoped by jurisdiction.
    region = models.ForeignKey(Region, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.object_label}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AuditImmutableError("audit events cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise AuditImmutableError("audit events cannot be deleted")
