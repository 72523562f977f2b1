"""Reading checkpoints and their records: always through these helpers.

A checkpoint is seen inside the jurisdiction of its unit and of its supervising unit (the OR of two `within`),
and by its own staff. Crossings, referrals and spot checks follow their checkpoint. Outside: 404.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404

from fangkong.accounts.access import AnyUser, has_perm, jurisdiction, within
from fangkong.accounts.models import User
from fangkong.accounts.permissions import Perm
from fangkong.checkpoints import lookups
from fangkong.checkpoints.models import Checkpoint, Crossing, Referral, SpotCheck


def _visible(user: AnyUser, perm: Perm) -> Q | None:
    """The condition on checkpoints that `user` may read with `perm`, or None for nothing."""
    root = jurisdiction(user)
    if root is None or not has_perm(user, perm):
        return None
    cond = within(root, via="region") | within(root, via="supervising_unit")
    if isinstance(user, User):
        cond |= Q(staff=user)
    return cond


def checkpoints_for(user: AnyUser, perm: Perm = Perm.CHECKPOINT_VIEW) -> QuerySet[Checkpoint]:
    cond = _visible(user, perm)
    if cond is None:
        return Checkpoint.objects.none()
    # The staff join can repeat a checkpoint: narrow by key instead of DISTINCT over the whole row.
    ids = Checkpoint.objects.filter(cond).values("pk")
    return Checkpoint.objects.filter(pk__in=ids).select_related("region", "supervising_unit")


def access_checkpoint(
    user: AnyUser, checkpoint_uuid: uuid.UUID | str, perm: Perm = Perm.CHECKPOINT_VIEW
) -> Checkpoint:
    try:
        return checkpoints_for(user, perm).get(uuid=checkpoint_uuid)
    except (Checkpoint.DoesNotExist, ValueError, ValidationError):
        raise Http404 from None


def may_register_at(user: AnyUser, checkpoint: Checkpoint) -> bool:
    """Registering crossings: the checkpoint's own staff, or a user managing checkpoints of that unit."""
    if not isinstance(user, User) or not has_perm(user, Perm.CHECKPOINT_REGISTER):
        return False
    if checkpoint.staff.filter(pk=user.pk).exists():
        return True
    return has_perm(user, Perm.CHECKPOINT_MANAGE) and checkpoints_for(user).filter(pk=checkpoint.pk).exists()


def access_for_registration(user: AnyUser, checkpoint_uuid: uuid.UUID | str) -> Checkpoint:
    """A checkpoint the user may register crossings at. Its own staff (the scanners' case, ~10 a second at a
    busy site) are answered by one query; managers of the unit through the general rule."""
    if isinstance(user, User) and has_perm(user, Perm.CHECKPOINT_REGISTER):
        try:
            own = lookups.staffed_checkpoint(checkpoint_uuid, user.pk)
        except (ValueError, ValidationError):
            raise Http404 from None
        if own is not None:
            return own
    checkpoint = access_checkpoint(user, checkpoint_uuid, Perm.CHECKPOINT_REGISTER)
    if not may_register_at(user, checkpoint):
        raise Http404
    return checkpoint


def crossings_for(user: AnyUser, perm: Perm = Perm.CHECKPOINT_VIEW) -> QuerySet[Crossing]:
    return Crossing.objects.filter(checkpoint__in=checkpoints_for(user, perm).values("pk"))


def referrals_for(user: AnyUser, perm: Perm = Perm.CHECKPOINT_VIEW) -> QuerySet[Referral]:
    return Referral.objects.filter(checkpoint__in=checkpoints_for(user, perm).values("pk")).select_related(
        "checkpoint", "traveller"
    )


def access_referral(user: AnyUser, referral_uuid: Any, perm: Perm = Perm.CHECKPOINT_VIEW) -> Referral:
    try:
        return referrals_for(user, perm).get(uuid=referral_uuid)
    except (Referral.DoesNotExist, ValueError, ValidationError):
        raise Http404 from None


def spot_checks_for(user: AnyUser, perm: Perm = Perm.CHECKPOINT_VIEW) -> QuerySet[SpotCheck]:
    return SpotCheck.objects.filter(checkpoint__in=checkpoints_for(user, perm).values("pk")).select_related(
        "checkpoint", "inspector"
    )
