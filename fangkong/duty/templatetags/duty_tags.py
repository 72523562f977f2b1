"""Template helpers for duty pages: the check-in badge of a shift and Beijing-time formatting."""

from __future__ import annotations

import datetime

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from fangkong.accounts.access import has_perm
from fangkong.accounts.permissions import Perm
from fangkong.duty.models import DutyShift
from fangkong.lib import phones
from fangkong.lib.reporting_day import SHANGHAI

register = template.Library()


@register.filter
def checkin_badge(shift: DutyShift, now: datetime.datetime) -> SafeString:
    """Checked in / late / missed / not yet checked in (overdue in red after the grace period) / upcoming."""
    if shift.checked_in_at is not None:
        at = shift.checked_in_at.astimezone(SHANGHAI).strftime("%H:%M")
        if shift.checkin_late:
            return format_html('<span class="badge text-bg-warning">{} {}</span>', _("Late check-in"), at)
        return format_html('<span class="badge text-bg-success">{} {}</span>', _("Checked in"), at)
    if shift.missed or now >= shift.ends_at:
        return format_html('<span class="badge text-bg-danger">{}</span>', _("Check-in missed"))
    if now > shift.checkin_deadline():
        return format_html('<span class="badge text-bg-danger">{}</span>', _("Not checked in"))
    if now >= shift.starts_at:
        return format_html('<span class="badge text-bg-secondary">{}</span>', _("Awaiting check-in"))
    return format_html('<span class="badge text-bg-light">{}</span>', _("Upcoming"))


@register.filter
def bj(value: datetime.datetime | None, fmt: str = "%H:%M") -> str:
    """An instant in Beijing time; `24:00` for the midnight that ends a day."""
    if value is None:
        return ""
    return value.astimezone(SHANGHAI).strftime(fmt)


@register.filter
def work_phone_text(value: str) -> str:
    """A duty phone in full, as people dial it (inside a link already, so not a link itself)."""
    return phones.display(value)


@register.filter
def work_phone(value: str) -> SafeString:
    """A duty phone in full, as a link that dials it (a work number, not personal data)."""
    if not value:
        return format_html("")
    tel = value.replace(phones.EXT_MARK, ",")  # a comma makes a phone wait, then dial the extension
    return format_html('<a href="tel:{}" data-testid="duty-phone">{}</a>', tel, phones.display(value))


def _clock(value: datetime.datetime, day: datetime.date, *, is_end: bool) -> str:
    local = value.astimezone(SHANGHAI)
    if is_end and local.time() == datetime.time(0, 0) and local.date() == day + datetime.timedelta(days=1):
        return "24:00"
    if local.date() != day:
        return local.strftime("%m-%d %H:%M")
    return local.strftime("%H:%M")


@register.filter
def interval(value: tuple[datetime.datetime, datetime.datetime], day: datetime.date) -> str:
    """`08:00–24:00` for an interval on the Beijing day `day` (dates shown when it reaches another day)."""
    start, end = value
    return f"{_clock(start, day, is_end=False)}–{_clock(end, day, is_end=True)}"


@register.filter
def shift_span(shift: DutyShift, day: datetime.date) -> str:
    return interval((shift.starts_at, shift.ends_at), day)


@register.inclusion_tag("duty/partials/subnav.html", takes_context=True)
def duty_subnav(context: template.Context, active: str) -> dict[str, object]:
    user = context["request"].user
    return {
        "active": active,
        "can_request": has_perm(user, Perm.LEAVE_REQUEST),
        "can_approve": has_perm(user, Perm.LEAVE_APPROVE),
    }
