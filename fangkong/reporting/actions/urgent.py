"""Urgent reports (专题报送): sending, opening attachments, acknowledging, escalating."""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from fangkong.accounts.access import within
from fangkong.accounts.models import User
from fangkong.accounts.permissions import Role
from fangkong.audit.actions import record
from fangkong.audit.models import AuditAction
from fangkong.duty import public as duty_public
from fangkong.regions.models import Level, Region
from fangkong.reporting.access import can_read_urgent
from fangkong.reporting.actions.notifications import notify, notify_readers
from fangkong.reporting.models import UrgentAttachment, UrgentKind, UrgentReport

log = logging.getLogger(__name__)
MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024
MAX_ATTACHMENTS = 10
MAX_ATTACHMENTS_TOTAL_BYTES = 50 * 1024 * 1024
# What a unit sends from the field: photos, scans and office documents. Anything else (scripts, archives,
# executables) is refused: the command office opens these files on its own machines.
ALLOWED_ATTACHMENT_TYPES = {
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".pdf": (b"%PDF-",),
    ".docx": (b"PK\x03\x04",),
    ".xlsx": (b"PK\x03\x04",),
    ".doc": (b"\xd0\xcf\x11\xe0",),
    ".xls": (b"\xd0\xcf\x11\xe0",),
    ".txt": (),  # plain text has no signature
}


def _attachment_errors(files: list[UploadedFile]) -> list[str]:
    """Why these files cannot be attached, in the user's language (empty when they can)."""
    errors: list[str] = []
    if len(files) > MAX_ATTACHMENTS:
        errors.append(
            _("At most %(max)d attachments per urgent report; %(n)d were chosen.")
            % {"max": MAX_ATTACHMENTS, "n": len(files)}
        )
    if sum(f.size or 0 for f in files) > MAX_ATTACHMENTS_TOTAL_BYTES:
        errors.append(_("The attachments together are larger than 50 MB."))
    allowed = ", ".join(sorted(ALLOWED_ATTACHMENT_TYPES))
    for upload in files:
        name = upload.name or ""
        if (upload.size or 0) > MAX_ATTACHMENT_BYTES:
            errors.append(_("“%(name)s” is larger than 20 MB.") % {"name": name})
            continue
        suffix = Path(name).suffix.lower()
        signatures = ALLOWED_ATTACHMENT_TYPES.get(suffix)
        if signatures is None:
            errors.append(
                _("“%(name)s” cannot be attached: allowed are %(types)s.") % {"name": name, "types": allowed}
            )
            continue
        head = upload.read(8)
        upload.seek(0)
        if signatures and not head.startswith(signatures):
            errors.append(
                _("“%(name)s” is not the %(type)s file its name says.") % {"name": name, "type": suffix[1:]}
            )
    return errors


def _district_of(region: Region) -> Region:
    return region.ancestor_at(Level.COUNTY) or region


def duty_recipients(region: Region, now: datetime.datetime) -> list[User]:
    """The command office's person on duty; everyone of the command office when nobody is rostered."""
    district = _district_of(region)
    users: list[User] = []
    try:
        users = list(duty_public.on_duty(district, now))
    except Exception:  # a failing roster must never lose an urgent report: tell the whole office instead
        log.exception("on_duty failed; notifying the whole command office")
    if not users:
        users = list(User.objects.filter(within(district), is_active=True, role=Role.COMMAND_OFFICE))
    return users


@transaction.atomic
def do_send_urgent(
    actor: User,
    region: Region,
    kind: str,
    text: str,
    *,
    now: datetime.datetime,
    files: Iterable[UploadedFile] = (),
) -> UrgentReport:
    """Send an urgent report (专题报送) and notify the person on duty at once."""
    text = text.strip()
    errors: dict[str, str | list[str]] = {}
    if kind not in UrgentKind.values:
        errors["kind"] = _("Choose the kind of report.")
    if not text:
        errors["text"] = _("Describe the situation.")
    files = list(files)
    if problems := _attachment_errors(files):
        errors["attachments"] = problems
    if errors:
        raise ValidationError(errors)
    recipients = duty_recipients(region, now)
    report = UrgentReport.objects.create(
        region=region,
        kind=kind,
        text=text,
        sent_by=actor,
        sent_at=now,
        notified=[str(u) for u in recipients],  # people's names, as the page shows them
    )
    for upload in files:
        UrgentAttachment.objects.create(report=report, file=upload, name=(upload.name or "")[:200])
    message = _("Urgent report from %(unit)s: %(kind)s — %(text)s") % {
        "unit": region.name,
        "kind": report.get_kind_display(),
        "text": text[:200],
    }
    notify_readers(
        recipients,
        message,
        reverse("reporting:urgent_detail", args=[report.uuid]),
        now,
        can_open=lambda user: can_read_urgent(user, report),
    )
    record(actor, AuditAction.CREATE, obj=report, changes={"kind": [None, kind]}, now=now)
    return report


@transaction.atomic
def do_open_attachment(actor: User, attachment: UrgentAttachment) -> UrgentAttachment:
    """Opening an attachment of an urgent report is on the record, like every export."""
    record(actor, AuditAction.EXPORT, obj=attachment.report, label=attachment.name[:200], note="attachment")
    return attachment


@transaction.atomic
def do_acknowledge_urgent(actor: User, report: UrgentReport, *, now: datetime.datetime) -> UrgentReport:
    if report.acknowledged_at is not None:
        raise ValidationError({"report": _("This report has already been acknowledged.")})
    report.acknowledged_at, report.acknowledged_by = now, actor
    report.save(update_fields=["acknowledged_at", "acknowledged_by"])
    record(
        actor, AuditAction.UPDATE, obj=report, changes={"acknowledged_at": [None, now.isoformat()]}, now=now
    )
    notify(
        [report.sent_by_id],
        _("Your urgent report was acknowledged by %(name)s.") % {"name": str(actor)},
        reverse("reporting:urgent_detail", args=[report.uuid]),
        now,
    )
    return report


def escalation_delay() -> datetime.timedelta:
    return datetime.timedelta(minutes=int(getattr(settings, "URGENT_ESCALATION_MINUTES", 15)))


@transaction.atomic
def do_escalate_urgent(now: datetime.datetime) -> int:
    """Tell the whole command office and the district leaders about urgent reports nobody acknowledged in time."""
    due = list(
        UrgentReport.objects.select_for_update()
        .select_related("region")
        .filter(
            acknowledged_at__isnull=True, escalated_at__isnull=True, sent_at__lte=now - escalation_delay()
        )
    )
    for report in due:
        district = _district_of(report.region)
        users = User.objects.filter(
            within(district), is_active=True, role__in=[Role.COMMAND_OFFICE, Role.LEADER]
        ).select_related("region")
        minutes = int((now - report.sent_at).total_seconds() // 60)
        text = _("Not acknowledged for %(minutes)d minutes — urgent report from %(unit)s: %(kind)s") % {
            "minutes": minutes,
            "unit": report.region.name,
            "kind": report.get_kind_display(),
        }
        notify_readers(
            users,
            text,
            reverse("reporting:urgent_detail", args=[report.uuid]),
            now,
            can_open=lambda user, report=report: can_read_urgent(user, report),  # type: ignore[misc]
        )
        report.escalated_at = now
        report.save(update_fields=["escalated_at"])
        record(
            None, AuditAction.UPDATE, obj=report, changes={"escalated_at": [None, now.isoformat()]}, now=now
        )
    return len(due)
