"""Reading reports, accountability records, urgent reports and notifications: always through here."""

from __future__ import annotations

import uuid

from django.db.models import QuerySet

from fangkong.accounts.access import AnyUser, get_scoped_or_404, scoped
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


def urgent_for(user: AnyUser, perm: Perm = Perm.URGENT_SEND) -> QuerySet[UrgentReport]:
    return scoped(UrgentReport.objects.select_related("region", "sent_by", "acknowledged_by"), user, perm)


def access_urgent(user: AnyUser, report_uuid: UUIDLike, perm: Perm = Perm.URGENT_SEND) -> UrgentReport:
    return get_scoped_or_404(
        UrgentReport.objects.select_related("region", "sent_by", "acknowledged_by"),
        user,
        perm,
        uuid=report_uuid,
    )


def notifications_for(user: AnyUser) -> NotificationQuerySet:
    """A user's own notifications; nobody reads another's."""
    if not isinstance(user, User):
        return Notification.objects.none()
    return Notification.objects.filter(user=user)
