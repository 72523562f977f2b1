"""In-app notifications (站内通知): who is told, and reading them."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from fangkong.accounts.models import User
from fangkong.accounts.permissions import ROLE_PERMISSIONS, Perm
from fangkong.regions.models import Region
from fangkong.reporting.models import Notification


def roles_with(perm: Perm) -> list[str]:
    """The roles that hold `perm`, as stored in `User.role`."""
    return [role.value for role, perms in ROLE_PERMISSIONS.items() if perm in perms]


def notify(user_ids: Iterable[int], text: str, link: str, now: datetime.datetime) -> int:
    """One notification per distinct user; returns how many were written."""
    rows = [
        Notification(user_id=uid, text=text[:500], link=link, created_at=now)
        for uid in dict.fromkeys(user_ids)
    ]
    Notification.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def notify_readers(
    users: Iterable[User], text: str, link: str, now: datetime.datetime, *, can_open: Callable[[User], bool]
) -> int:
    """Notify `users`; the link goes only to those who may open it (a notification never leads to a 404)."""
    rows = [
        Notification(user_id=u.pk, text=text[:500], link=link if can_open(u) else "", created_at=now)
        for u in {u.pk: u for u in users}.values()
    ]
    Notification.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def day_label(day: datetime.date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


def user_ids_with(perm: Perm, regions: QuerySet[Region] | Iterable[int]) -> list[int]:
    """Active users holding `perm` whose own region is one of `regions` (the unit's own people)."""
    return list(
        User.objects.filter(is_active=True, role__in=roles_with(perm), region__in=regions).values_list(
            "id", flat=True
        )
    )


def do_mark_read(user: User, notification: Notification, *, now: datetime.datetime) -> Notification:
    """Reading one's own notice is not a domain change worth an audit row."""
    if notification.user_id != user.pk:
        raise ValidationError({"notification": _("Not your notification.")})
    if notification.read_at is None:
        notification.read_at = now
        notification.save(update_fields=["read_at"])
    return notification


def do_mark_all_read(user: User, *, now: datetime.datetime) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).update(read_at=now)
