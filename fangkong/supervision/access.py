"""Reading inspections, rectification items, photos and notices: always through these helpers.

An item belongs to its responsible unit: it is visible inside that unit's jurisdiction (SUPERVISION_VIEW). An
inspection belongs to the inspected unit. A notice is visible to its issuing unit's jurisdiction and to every
user whose jurisdiction holds one of the units it names (it was sent to them).
"""

from __future__ import annotations

import uuid
from typing import cast

from django.db.models import Q, QuerySet
from django.http import Http404

from fangkong.accounts.access import (
    AnyUser,
    get_scoped_or_404,
    has_perm,
    in_jurisdiction,
    jurisdiction,
    scoped,
    within,
)
from fangkong.accounts.permissions import Perm
from fangkong.supervision.models import (
    Evidence,
    Inspection,
    Notice,
    RectificationItem,
    RectificationItemQuerySet,
)

ITEM_RELATED = ("region", "found_by", "reported_by", "closed_by", "inspection")


def items_for(user: AnyUser, perm: Perm = Perm.SUPERVISION_VIEW) -> RectificationItemQuerySet:
    qs = scoped(RectificationItem.objects.all(), user, perm).select_related(*ITEM_RELATED)
    return cast(RectificationItemQuerySet, qs)


def access_item(
    user: AnyUser, item_uuid: uuid.UUID | str, perm: Perm = Perm.SUPERVISION_VIEW
) -> RectificationItem:
    return get_scoped_or_404(
        RectificationItem.objects.select_related(*ITEM_RELATED), user, perm, uuid=item_uuid
    )


def inspections_for(user: AnyUser, perm: Perm = Perm.SUPERVISION_VIEW) -> QuerySet[Inspection]:
    return scoped(Inspection.objects.all(), user, perm).select_related("region", "inspector", "checklist")


def access_inspection(
    user: AnyUser, inspection_uuid: uuid.UUID | str, perm: Perm = Perm.SUPERVISION_VIEW
) -> Inspection:
    return get_scoped_or_404(
        Inspection.objects.select_related("region", "inspector", "checklist"),
        user,
        perm,
        uuid=inspection_uuid,
    )


def access_evidence(user: AnyUser, evidence_uuid: uuid.UUID | str) -> Evidence:
    return get_scoped_or_404(
        Evidence.objects.select_related("item"),
        user,
        Perm.SUPERVISION_VIEW,
        via="item__region",
        uuid=evidence_uuid,
    )


def notices_for(user: AnyUser) -> QuerySet[Notice]:
    """Notices issued inside the jurisdiction, or naming a unit inside it."""
    root = jurisdiction(user)
    if root is None or not has_perm(user, Perm.SUPERVISION_VIEW):
        return Notice.objects.none()
    sent = Notice.units.through.objects.filter(within(root)).values("notice_id")
    return Notice.objects.filter(within(root) | Q(id__in=sent)).select_related("region", "published_by")


def access_notice(user: AnyUser, notice_uuid: uuid.UUID | str) -> Notice:
    try:
        return notices_for(user).get(uuid=notice_uuid)
    except (Notice.DoesNotExist, ValueError):
        raise Http404 from None


def may_inspect(user: AnyUser, item: RectificationItem) -> bool:
    return has_perm(user, Perm.SUPERVISION_INSPECT) and in_jurisdiction(user, item.region)


def may_report_fix(user: AnyUser, item: RectificationItem) -> bool:
    return has_perm(user, Perm.RECTIFICATION_REPORT) and in_jurisdiction(user, item.region)
