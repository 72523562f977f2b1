"""Reading campaigns and messages, scoped to the user's jurisdiction (outsider → 404)."""

from __future__ import annotations

import uuid

from django.db.models import QuerySet

from fangkong.accounts.access import AnyUser, get_scoped_or_404, scoped
from fangkong.accounts.permissions import Perm
from fangkong.notify.models import Campaign


def campaigns_for(user: AnyUser) -> QuerySet[Campaign]:
    return scoped(Campaign.objects.select_related("template", "region", "created_by"), user, Perm.SMS_SEND)


def access_campaign(user: AnyUser, campaign_uuid: uuid.UUID | str) -> Campaign:
    return get_scoped_or_404(
        Campaign.objects.select_related("template", "region"), user, Perm.SMS_SEND, uuid=campaign_uuid
    )
