"""What other apps may ask of the notify app: start a campaign. Keep these signatures stable."""

from __future__ import annotations

from fangkong.notify.actions import do_create_campaign, do_create_staff_campaign
from fangkong.notify.models import Campaign, CampaignKind, SmsTemplate


def template(code: str) -> SmsTemplate | None:
    return SmsTemplate.objects.filter(code=code, is_active=True).first()


__all__ = ["Campaign", "CampaignKind", "do_create_campaign", "do_create_staff_campaign", "template"]
