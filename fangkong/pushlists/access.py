"""Reading push lists: always through these helpers, scoped to the user's jurisdiction.

A batch belongs to the county office that imported it; a township or village user sees a batch only
when it holds at least one of the batch's items. Items are scoped by the unit that holds them.
"""

from __future__ import annotations

import uuid
from typing import cast

from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.expressions import RawSQL
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
from fangkong.pushlists.models import PushBatch, PushItem, PushItemQuerySet
from fangkong.regions.models import Region
from fangkong.regions.queries import holds_everything


def batches_for(user: AnyUser, perm: Perm = Perm.SCREENING_VIEW) -> QuerySet[PushBatch]:
    root = jurisdiction(user)
    if root is None or not has_perm(user, perm):
        return PushBatch.objects.none()
    if holds_everything(root):
        return PushBatch.objects.select_related("region", "uploaded_by")
    units = list(Region.objects.within(root).values_list("pk", flat=True))
    return PushBatch.objects.select_related("region", "uploaded_by").filter(
        within(root) | _holds_items(units)
    )


def _holds_items(units: list[int]) -> Q:
    """Batches with an item held by one of `units`: one probe of the (region, batch) index per unit and batch.

    Written plainly (EXISTS item of this batch with region IN units), PostgreSQL scans the items table until
    the first match, expecting matches everywhere; but items lie batch by batch, so it read every earlier
    batch's items (1.5 s at a million). Unnesting the units makes each probe an equality on both columns.
    SQLite plans the plain form as probes already.
    """
    if connection.vendor != "postgresql":
        return Q(Exists(PushItem.objects.filter(batch=OuterRef("pk"), region_id__in=units)))
    sql = (
        f"SELECT b.id FROM {PushBatch._meta.db_table} b WHERE EXISTS ("  # noqa: S608 - table names only
        f"SELECT 1 FROM unnest(%s::bigint[]) u(rid) WHERE EXISTS (SELECT 1 FROM {PushItem._meta.db_table} i "
        "WHERE i.region_id = u.rid AND i.batch_id = b.id))"
    )
    return Q(pk__in=RawSQL(sql, [units]))  # noqa: S611 - the units are bound as a parameter


def access_batch(user: AnyUser, batch_uuid: uuid.UUID | str, perm: Perm = Perm.SCREENING_VIEW) -> PushBatch:
    try:
        return batches_for(user, perm).get(uuid=batch_uuid)
    except (PushBatch.DoesNotExist, ValueError):
        raise Http404 from None


def access_own_batch(
    user: AnyUser, batch_uuid: uuid.UUID | str, perm: Perm = Perm.PUSHLIST_IMPORT
) -> PushBatch:
    """A batch the user's office imported (for the error file and re-runs)."""
    return get_scoped_or_404(PushBatch.objects.select_related("region"), user, perm, uuid=batch_uuid)


def owns_batch(user: AnyUser, batch: PushBatch) -> bool:
    """Whether the user's office imported `batch`: only it sees the whole file's counts and error rows.

    A unit that merely holds some of the items sees its own share, never the district-wide figures.
    """
    return has_perm(user, Perm.PUSHLIST_IMPORT) and in_jurisdiction(user, batch.region)


def items_for(user: AnyUser, perm: Perm = Perm.SCREENING_VIEW) -> PushItemQuerySet:
    # Only items of finished imports: a running import's committed chunks are not shown yet.
    qs = PushItem.objects.visible().select_related("region", "assigned_to", "batch")
    root = jurisdiction(user)
    if root is not None and has_perm(user, perm) and holds_everything(root):
        # No join to filter by: the lists walk the open-items index in deadline order and stop after a page.
        return qs
    return cast(PushItemQuerySet, scoped(qs, user, perm))


def access_item(user: AnyUser, item_uuid: uuid.UUID | str, perm: Perm = Perm.SCREENING_VIEW) -> PushItem:
    return get_scoped_or_404(
        PushItem.objects.visible().select_related(
            "region", "assigned_to", "batch", "person", "person__region"
        ),
        user,
        perm,
        uuid=item_uuid,
    )
