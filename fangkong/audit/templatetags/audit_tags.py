"""Template filters of the audit log."""

from __future__ import annotations

from django import template

from fangkong.audit.display import ChangeLine
from fangkong.audit.display import change_lines as _change_lines
from fangkong.audit.models import AuditEvent

register = template.Library()


@register.filter
def change_lines(event: AuditEvent) -> list[ChangeLine]:
    return _change_lines(event)
