"""Notices (督查通报): publishing one (audited, sent to the units it names, rendered to PDF once and kept)."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from fangkong.accounts.access import has_perm, in_jurisdiction, jurisdiction
from fangkong.accounts.models import User
from fangkong.accounts.permissions import Perm
from fangkong.audit.actions import diff, record, snapshot
from fangkong.audit.models import AuditAction
from fangkong.regions.models import Region
from fangkong.supervision.models import Notice, RectificationItem

NOTICE_FIELDS = ["number", "title", "body", "is_public", "published_at"]


def notice_html(notice: Notice, items: Sequence[RectificationItem], units: Sequence[Region]) -> str:
    """The print HTML of a notice (also what the public page shows): units and findings, no personal data."""
    with translation.override("zh-hans"):
        return render_to_string(
            "supervision/notice_document.html", {"notice": notice, "items": items, "units": units}
        )


def render_pdf(notice: Notice, items: Sequence[RectificationItem], units: Sequence[Region]) -> bytes:
    import weasyprint

    pdf = weasyprint.HTML(string=notice_html(notice, items, units)).write_pdf()
    assert pdf is not None  # noqa: S101 - write_pdf without a target always returns bytes
    return pdf


@transaction.atomic
def do_publish_notice(
    actor: User,
    *,
    number: str,
    title: str,
    body: str,
    items: Sequence[RectificationItem],
    is_public: bool = False,
    now: datetime.datetime,
) -> Notice:
    """Publish a notice naming `items` and their units; each unit's people are told; the PDF is kept."""
    root = jurisdiction(actor)
    if root is None or not has_perm(actor, Perm.SUPERVISION_INSPECT):
        raise ValidationError({"__all__": _("You cannot publish notices.")})
    number, title, body = (number or "").strip(), (title or "").strip(), (body or "").strip()
    if not number:
        raise ValidationError({"number": _("Give the notice its number.")})
    if not title:
        raise ValidationError({"title": _("Give the notice a title.")})
    if not body:
        raise ValidationError({"body": _("Write the text of the notice.")})
    if not items:
        raise ValidationError({"items": _("Name at least one finding.")})
    if any(not in_jurisdiction(actor, item.region) for item in items):
        raise ValidationError({"items": _("Choose findings of your jurisdiction.")})
    notice = Notice.objects.create(
        region=root,
        number=number[:60],
        title=title[:200],
        body=body,
        is_public=is_public,
        published_at=now,
        published_by=actor,
    )
    ordered = sorted(items, key=lambda i: (i.region.path, i.found_at))
    units = list({i.region_id: i.region for i in ordered}.values())
    notice.items.set(ordered)
    notice.units.set(units)
    notice.pdf.save(f"{notice.uuid}.pdf", ContentFile(render_pdf(notice, ordered, units)), save=True)
    record(actor, AuditAction.CREATE, obj=notice, changes=diff({}, snapshot(notice, NOTICE_FIELDS)), now=now)

    from fangkong.reporting.actions.notifications import notify, user_ids_with

    link = reverse("supervision:notice", kwargs={"notice_uuid": notice.uuid})
    ids = user_ids_with(Perm.SUPERVISION_VIEW, [u.pk for u in units])
    text = _("Supervision notice %(number)s names your unit: %(title)s") % {"number": number, "title": title}
    transaction.on_commit(lambda: notify(ids, text, link, now))
    return notice
