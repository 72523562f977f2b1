"""Users hold one role in one region; API tokens for devices and scripts are stored hashed."""

from __future__ import annotations

import datetime
import hashlib
import secrets
import uuid

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fangkong.accounts.permissions import ROLE_PERMISSIONS, Perm, Role
from fangkong.regions.models import Region


class User(AbstractUser):
    """用户: a person who works in the platform, with a role in a region."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    full_name = models.CharField(_("full name"), max_length=100, blank=True)
    role = models.CharField(_("role"), max_length=32, choices=Role.choices, blank=True)
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    # Set when a manager sets the password: the user must choose their own before doing anything else.
    must_change_password = models.BooleanField(_("must change password"), default=False)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.username

    def has_role_perm(self, perm: Perm) -> bool:
        if not self.is_active or not self.role or self.region_id is None:
            return False
        return perm in ROLE_PERMISSIONS.get(Role(self.role), frozenset())


TOKEN_PREFIX = "fk_"  # noqa: S105 - a public prefix, not a secret


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def live(self, now: datetime.datetime | None = None) -> ApiTokenQuerySet:
        return self.filter(
            revoked_at__isnull=True, user__is_active=True, expires_at__gt=now or timezone.now()
        )


class ApiToken(models.Model):
    """个人访问令牌: only the SHA-256 of the token is kept; the token is shown once."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100, blank=True)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    # A lost token stops working by itself (settings.API_TOKEN_DAYS after it was made).
    expires_at = models.DateTimeField(_("expires at"))

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return self.name or str(self.uuid)

    def is_live(self, now: datetime.datetime) -> bool:
        return self.revoked_at is None and self.expires_at > now

    @staticmethod
    def generate() -> tuple[str, str]:
        raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
        return raw, hash_token(raw)
