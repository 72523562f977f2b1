"""Login lockouts are audited (django-axes raises the signal)."""

from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out
from django.dispatch import receiver

from fangkong.audit.actions import record
from fangkong.audit.models import AuditAction


@receiver(user_locked_out)
def audit_lockout(
    sender: Any, request: Any, username: str | None = None, ip_address: str | None = None, **kwargs: Any
) -> None:
    record(None, AuditAction.LOCKOUT, note=f"username={username or ''} ip={ip_address or ''}", ip=ip_address)
