"""Reading reports, accountability records, urgent reports and notifications: always through here."""

from __future__ import annotations

import uuid

from django.db.models import QuerySet
from django.http import Http404

from fangkong.accounts.access import AnyUser, get_scoped_or_404, has_perm, scoped
from fangkong.accounts.models import User
from fangkong.accounts.permissions import Perm
from fangkong.regions.models import Region
from fangkong.reporting.models import (
    AccountabilityRecord,
    DailyReport,
    Notification,
    NotificationQuerySet,
    ReportForm,
    UrgentReport,
)

UUIDLike = uuid.UUID | str


def reports_for(user: AnyUser, perm: Perm = Perm.REPORT_VIEW) -> QuerySet[DailyReport]:
    return scoped(DailyReport.objects.select_related("region", "form", "submitted_by"), user, perm)


def access_report(user: AnyUser, report_uuid: UUIDLike, perm: Perm = Perm.REPORT_VIEW) -> DailyReport:
    return get_scoped_or_404(
        DailyReport.objects.select_related("region", "form", "submitted_by", "reviewed_by"),
        user,
        perm,
        uuid=report_uuid,
    )


def units_for(
    user: AnyUser, perm: Perm = Perm.REPORT_VIEW, form: ReportForm | None = None
) -> QuerySet[Region]:
    """The reporting units inside the user's jurisdiction."""
    form = form or ReportForm.current()
    if form is None:
        return Region.objects.none()
    return scoped(form.units(), user, perm, via="")


def access_unit(user: AnyUser, code: str, perm: Perm = Perm.REPORT_FILE) -> Region:
    return get_scoped_or_404(units_for(user, perm), user, perm, via="", code=code)


def accountability_for(user: AnyUser, perm: Perm = Perm.REPORT_VIEW) -> QuerySet[AccountabilityRecord]:
    return scoped(AccountabilityRecord.objects.select_related("region", "report"), user, perm)


def access_accountability(
    user: AnyUser, record_uuid: UUIDLike, perm: Perm = Perm.REPORT_VIEW
) -> AccountabilityRecord:
    return get_scoped_or_404(
        AccountabilityRecord.objects.select_related("region", "report", "explained_by", "decided_by"),
        user,
        perm,
        uuid=record_uuid,
    )


# Who reads urgent reports inside their jurisdiction: those who send them, those who acknowledge them, and the
# roles that are told about them (leaders and inspectors on escalation read the day's reporting work).
URGENT_READ = (Perm.URGENT_SEND, Perm.URGENT_ACK, Perm.REPORT_VIEW)


def urgent_read_perm(user: AnyUser) -> Perm | None:
    """The permission through which `user` reads urgent reports, or None."""
    return next((perm for perm in URGENT_READ if has_perm(user, perm)), None)


def urgent_for(user: AnyUser, perm: Perm | None = None) -> QuerySet[UrgentReport]:
    qs = UrgentReport.objects.select_related("region", "sent_by", "acknowledged_by")
    perm = perm or urgent_read_perm(user)
    return qs.none() if perm is None else scoped(qs, user, perm)


def access_urgent(user: AnyUser, report_uuid: UUIDLike, perm: Perm | None = None) -> UrgentReport:
    perm = perm or urgent_read_perm(user)
    if perm is None:
        raise Http404
    return get_scoped_or_404(
        UrgentReport.objects.select_related("region", "sent_by", "acknowledged_by"),
        user,
        perm,
        uuid=report_uuid,
    )


def can_read_urgent(user: User, report: UrgentReport) -> bool:
    """Whether a notification about `report` may link to it for `user` (a link works for its reader)."""
    return urgent_for(user).filter(pk=report.pk).exists()


def notifications_for(user: AnyUser) -> NotificationQuerySet:
    """A user's own notifications; nobody reads another's."""
    if not isinstance(user, User):
        return Notification.objects.none()
    return Notification.objects.filter(user=user)
