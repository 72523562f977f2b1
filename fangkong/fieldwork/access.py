"""Jurisdiction for field work: places, records, teams and tasks are read through here.

A volunteer holds no region-wide view: `my_tasks` gives the tasks assigned to them or to a team they belong to
(nobody else's), and `access_my_task` fetches one of those or answers 404.
"""

from __future__ import annotations

import uuid

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404

from fangkong.accounts.access import AnyUser, get_scoped_or_404, has_perm, scoped
from fangkong.accounts.models import User
from fangkong.accounts.permissions import Perm
from fangkong.fieldwork.models import DisinfectionPlace, DisinfectionRecord, FieldTask, Team


def places_for(user: AnyUser, perm: Perm = Perm.FIELDWORK_VIEW) -> QuerySet[DisinfectionPlace]:
    return scoped(DisinfectionPlace.objects.select_related("region"), user, perm)


def access_place(
    user: AnyUser, place_uuid: uuid.UUID | str, perm: Perm = Perm.FIELDWORK_VIEW
) -> DisinfectionPlace:
    return get_scoped_or_404(DisinfectionPlace.objects.select_related("region"), user, perm, uuid=place_uuid)


def records_for(user: AnyUser, perm: Perm = Perm.FIELDWORK_VIEW) -> QuerySet[DisinfectionRecord]:
    return scoped(DisinfectionRecord.objects.select_related("place", "region", "recorded_by"), user, perm)


def teams_for(user: AnyUser, perm: Perm = Perm.FIELDWORK_VIEW) -> QuerySet[Team]:
    return scoped(Team.objects.select_related("region"), user, perm)


def access_team(user: AnyUser, team_uuid: uuid.UUID | str, perm: Perm = Perm.FIELDWORK_VIEW) -> Team:
    return get_scoped_or_404(Team.objects.select_related("region"), user, perm, uuid=team_uuid)


def tasks_for(user: AnyUser, perm: Perm = Perm.FIELDWORK_VIEW) -> QuerySet[FieldTask]:
    return scoped(
        FieldTask.objects.select_related("team", "assignee", "place", "region", "done_by"), user, perm
    )


def my_tasks(user: AnyUser) -> QuerySet[FieldTask]:
    """Tasks given to the user by name, or to a team they are an active member of with nobody assigned."""
    if not isinstance(user, User) or not has_perm(user, Perm.FIELD_TASKS):
        return FieldTask.objects.none()
    mine = Q(assignee__user=user, assignee__is_active=True) | Q(
        assignee__isnull=True, team__members__user=user, team__members__is_active=True
    )
    return (
        FieldTask.objects.filter(mine)
        .distinct()
        .select_related("team", "assignee", "place", "region", "household")
    )


def access_my_task(user: AnyUser, task_uuid: uuid.UUID | str) -> FieldTask:
    """One task the user may complete: their own, or (for a manager) any task of their jurisdiction; else 404."""
    try:
        task = my_tasks(user).filter(uuid=task_uuid).first()
    except (ValueError, ValidationError):
        raise Http404 from None
    if task is not None:
        return task
    return get_scoped_or_404(
        FieldTask.objects.select_related("team", "assignee", "place", "region", "household"),
        user,
        Perm.FIELDWORK_MANAGE,
        uuid=task_uuid,
    )
