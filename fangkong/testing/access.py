"""Reading testing records: always through these helpers, scoped to the user's jurisdiction (outsider → 404).

Points, rounds and tubes belong to their unit; a tube's members are seen through the tube. A recall and a
key-group membership belong to the person's unit, so the township and grid worker who must reach them see them.
"""

from __future__ import annotations

import uuid
from typing import TypeVar

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import QuerySet
from django.http import Http404

from fangkong.accounts.access import AnyUser, get_scoped_or_404, has_perm, jurisdiction, scoped
from fangkong.accounts.permissions import Perm
from fangkong.testing.models import (
    KeyGroupMember,
    Recall,
    ResultBatch,
    TestingPoint,
    TestingRound,
    Tube,
)

M = TypeVar("M", bound=models.Model)


def _with_ancestors(qs: QuerySet[M], user: AnyUser, perm: Perm) -> QuerySet[M]:
    """For reading (TESTING_VIEW): also the records of the units above the user's own. A round or a point of
    the township concerns its villages and grids too — the grid worker's untested list starts from the
    township's round — while what it shows of people stays inside the user's jurisdiction."""
    inside = scoped(qs, user, perm)
    root = jurisdiction(user)
    if perm != Perm.TESTING_VIEW or root is None or not has_perm(user, perm):
        return inside
    return inside | qs.filter(region__code__in=root.ancestor_codes()[:-1])


def points_for(user: AnyUser, perm: Perm = Perm.TESTING_VIEW) -> QuerySet[TestingPoint]:
    return _with_ancestors(TestingPoint.objects.select_related("region"), user, perm)


def access_point(user: AnyUser, point_uuid: uuid.UUID | str, perm: Perm = Perm.TESTING_VIEW) -> TestingPoint:
    try:
        return points_for(user, perm).get(uuid=point_uuid)
    except (TestingPoint.DoesNotExist, ValueError, ValidationError):
        raise Http404 from None


def rounds_for(user: AnyUser, perm: Perm = Perm.TESTING_VIEW) -> QuerySet[TestingRound]:
    return _with_ancestors(TestingRound.objects.select_related("region"), user, perm)


def access_round(user: AnyUser, round_uuid: uuid.UUID | str, perm: Perm = Perm.TESTING_VIEW) -> TestingRound:
    try:
        return rounds_for(user, perm).get(uuid=round_uuid)
    except (TestingRound.DoesNotExist, ValueError, ValidationError):
        raise Http404 from None


def tubes_for(user: AnyUser, perm: Perm = Perm.TESTING_VIEW) -> QuerySet[Tube]:
    return scoped(Tube.objects.select_related("point", "region", "collector"), user, perm)


def access_tube(user: AnyUser, tube_uuid: uuid.UUID | str, perm: Perm = Perm.TESTING_VIEW) -> Tube:
    return get_scoped_or_404(
        Tube.objects.select_related("point", "region", "collector", "round"), user, perm, uuid=tube_uuid
    )


def recalls_for(user: AnyUser, perm: Perm = Perm.TESTING_VIEW) -> QuerySet[Recall]:
    return scoped(
        Recall.objects.select_related("pool", "person", "region", "retest_tube", "reached_by"), user, perm
    )


def access_recall(user: AnyUser, recall_uuid: uuid.UUID | str, perm: Perm = Perm.TESTING_VIEW) -> Recall:
    return get_scoped_or_404(
        Recall.objects.select_related("pool", "person", "region"), user, perm, uuid=recall_uuid
    )


def members_for(user: AnyUser, perm: Perm = Perm.TESTING_VIEW) -> QuerySet[KeyGroupMember]:
    return scoped(KeyGroupMember.objects.select_related("group", "person", "region"), user, perm)


def batches_for(user: AnyUser, perm: Perm = Perm.TESTING_VIEW) -> QuerySet[ResultBatch]:
    return scoped(ResultBatch.objects.select_related("imported_by"), user, perm)


def access_batch(user: AnyUser, batch_uuid: uuid.UUID | str, perm: Perm = Perm.TESTING_VIEW) -> ResultBatch:
    return get_scoped_or_404(ResultBatch.objects.all(), user, perm, uuid=batch_uuid)
