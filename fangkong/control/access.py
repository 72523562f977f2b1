"""Reading control records: always through these helpers, scoped to the user's jurisdiction (outsiders get 404).

An order, follow-up, stay, transfer, contact link and task is owned by the responsible unit (`region`); a site
by the unit that runs it.
"""

from __future__ import annotations

import uuid

from django.db.models import QuerySet

from fangkong.accounts.access import AnyUser, get_scoped_or_404, jurisdiction, scoped, within
from fangkong.accounts.permissions import Perm
from fangkong.control.models import ContactLink, ControlOrder, IsolationSite, RetroTask, Stay, Transfer
from fangkong.regions.models import Region

ORDER_RELATED = ("person", "region", "protocol", "grid_worker")


def orders_for(user: AnyUser, perm: Perm = Perm.CONTROL_VIEW) -> QuerySet[ControlOrder]:
    qs = scoped(ControlOrder.objects.all(), user, perm)
    root = jurisdiction(user)
    if root is None:
        return qs
    # The same scope again as a list of unit ids: the database reaches a grid's orders through the
    # (region, status, end_day) index instead of walking every active order of the district.
    return qs.filter(region_id__in=Region.objects.filter(within(root, via="")).values("pk"))


def access_order(user: AnyUser, order_uuid: uuid.UUID | str, perm: Perm = Perm.CONTROL_VIEW) -> ControlOrder:
    return get_scoped_or_404(ControlOrder.objects.select_related(*ORDER_RELATED), user, perm, uuid=order_uuid)


def sites_for(user: AnyUser, perm: Perm = Perm.CONTROL_VIEW) -> QuerySet[IsolationSite]:
    return scoped(IsolationSite.objects.select_related("region"), user, perm)


def access_site(user: AnyUser, site_uuid: uuid.UUID | str, perm: Perm = Perm.CONTROL_VIEW) -> IsolationSite:
    return get_scoped_or_404(IsolationSite.objects.select_related("region"), user, perm, uuid=site_uuid)


def access_stay(user: AnyUser, stay_uuid: uuid.UUID | str, perm: Perm = Perm.CONTROL_MANAGE) -> Stay:
    return get_scoped_or_404(Stay.objects.select_related("order", "room__site"), user, perm, uuid=stay_uuid)


def access_transfer(
    user: AnyUser, transfer_uuid: uuid.UUID | str, perm: Perm = Perm.CONTROL_MANAGE
) -> Transfer:
    return get_scoped_or_404(Transfer.objects.select_related("order"), user, perm, uuid=transfer_uuid)


def contacts_for(user: AnyUser, perm: Perm = Perm.CONTROL_VIEW) -> QuerySet[ContactLink]:
    return scoped(ContactLink.objects.select_related("contact", "index_person"), user, perm)


def tasks_for(user: AnyUser, perm: Perm = Perm.CONTROL_VIEW) -> QuerySet[RetroTask]:
    return scoped(RetroTask.objects.select_related("person", "region", "grid_worker"), user, perm)


def access_task(user: AnyUser, task_uuid: uuid.UUID | str, perm: Perm = Perm.CONTROL_FOLLOW_UP) -> RetroTask:
    return get_scoped_or_404(RetroTask.objects.all(), user, perm, uuid=task_uuid)
