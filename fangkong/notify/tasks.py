"""Background sending of SMS campaigns (huey)."""

from __future__ import annotations

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task, lock_task

from fangkong.notify.actions import do_fail_stale_sending, do_send_campaign
from fangkong.notify.models import Campaign, CampaignStatus


@db_task(retries=3, retry_delay=30)
def send_campaign(campaign_id: int) -> None:
    campaign = Campaign.objects.select_related("template").get(pk=campaign_id)
    with lock_task(f"sms-campaign-{campaign_id}"):
        do_send_campaign(campaign, now=timezone.now())


@db_periodic_task(crontab(minute="*/5"))
def resume_campaigns() -> None:
    """Campaigns whose job never ran (broker down) or stopped; stale claims fail instead of resending."""
    now = timezone.now()
    do_fail_stale_sending(now)
    for campaign in Campaign.objects.exclude(status=CampaignStatus.DONE).select_related("template"):
        do_send_campaign(campaign, now=now)
