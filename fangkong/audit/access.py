"""Who may browse the audit log: holders of audit.view, limited to their jurisdiction.

Events without a region (logins, lockouts, district-wide imports) are visible only to users whose
jurisdiction is a whole county (the command office and district inspectors).
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from fangkong.accounts.access import AnyUser, has_perm, jurisdiction, within
from fangkong.accounts.permissions import Perm
from fangkong.audit.models import AuditEvent
from fangkong.regions.models import Level


def audit_events_for(user: AnyUser) -> QuerySet[AuditEvent]:
    root = jurisdiction(user)
    qs = AuditEvent.objects.select_related("actor", "region")
    if root is None or not has_perm(user, Perm.AUDIT_VIEW):
        return qs.none()
    inside = within(root)
    if root.level == Level.COUNTY:
        inside |= Q(region__isnull=True)
    return qs.filter(inside)
