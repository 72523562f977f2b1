"""Navigation to the reporting pages for roles that reach only some of them (checkpoint and testing staff send
urgent reports but read no daily reports), so no link leads to a 404."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from fangkong.accounts.access import has_perm
from fangkong.accounts.permissions import Perm
from fangkong.reporting.access import urgent_read_perm

register = template.Library()


@register.simple_tag(takes_context=True)
def urgent_nav_item(context: dict[str, Any]) -> SafeString | str:
    """A top-level 专题报送 link for a user who may send urgent reports but has no 日报告 menu to find it in."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or has_perm(user, Perm.REPORT_VIEW) or not has_perm(user, Perm.URGENT_SEND):
        return ""
    url = reverse("reporting:urgent")
    active = " active" if request is not None and request.path.startswith(url) else ""
    return format_html(
        '<li class="nav-item"><a class="nav-link{}" href="{}" data-testid="nav-urgent">{}</a></li>',
        active,
        url,
        _("Urgent reports"),
    )


@register.simple_tag(takes_context=True)
def reads_daily_reports(context: dict[str, Any]) -> bool:
    user = getattr(context.get("request"), "user", None)
    return user is not None and has_perm(user, Perm.REPORT_VIEW)


@register.simple_tag(takes_context=True)
def reads_urgent_reports(context: dict[str, Any]) -> bool:
    user = getattr(context.get("request"), "user", None)
    return user is not None and urgent_read_perm(user) is not None
