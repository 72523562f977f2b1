"""Campaigns: one message per person even when the job is retried, a per-number daily cap, no ID numbers."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from fangkong.notify import backends
from fangkong.notify.actions import do_create_campaign, do_send_campaign
from fangkong.notify.models import Campaign, CampaignStatus, Message, MessageStatus

from .conftest import NOW


def _campaign(actor, region, template, people, **kw):
    return do_create_campaign(
        actor,
        region=region,
        kind="round_untested",
        title="提醒",
        template=template,
        people=people,
        params={"round": "第一轮", "until": "2021-08-04", "link": "http://x/testing/open/1/"},
        per_person={p.pk: {"name": p.name} for p in people},
        now=NOW,
        **kw,
    )


def test_a_campaign_sends_one_message_per_person(
    cadre_a, district, template, residents, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):  # the job runs (huey immediate in tests)
        campaign = _campaign(cadre_a, district.township_a, template, residents + residents)
    assert len(backends.outbox) == 3
    assert {m.phone for m in backends.outbox} == {p.phone for p in residents}
    assert "居民0" in backends.outbox[0].text or "居民" in backends.outbox[0].text
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.DONE


def test_a_retried_job_sends_nothing_twice(cadre_a, district, template, residents):
    campaign = _campaign(
        cadre_a, district.township_a, template, residents
    )  # on_commit not run: nothing sent yet
    do_send_campaign(campaign, now=NOW)
    do_send_campaign(campaign, now=NOW)  # the job retried after it had sent everything
    assert len(backends.outbox) == 3


def test_a_job_that_died_after_claiming_does_not_resend(cadre_a, district, template, residents):
    campaign = _campaign(cadre_a, district.township_a, template, residents)

    class Dying(backends.BaseBackend):
        batch_size = 2

        def send(self, messages):
            raise SystemExit  # the worker is killed mid-call: the gateway may or may not have these

    with pytest.raises(SystemExit):
        do_send_campaign(campaign, now=NOW, backend=Dying())
    assert Message.objects.filter(status=MessageStatus.SENDING).count() == 2
    do_send_campaign(campaign, now=NOW)  # the retry sends only the one never claimed
    assert len(backends.outbox) == 1


def test_the_daily_cap_per_number(cadre_a, district, template, residents, settings):
    settings.SMS_DAILY_CAP_PER_NUMBER = 2
    for _n in range(3):
        do_send_campaign(_campaign(cadre_a, district.township_a, template, residents[:1]), now=NOW)
    assert len(backends.outbox) == 2
    failed = Message.objects.get(status=MessageStatus.FAILED)
    assert failed.error and Campaign.objects.filter(status=CampaignStatus.DONE).count() == 3


def test_a_message_never_carries_an_id_number(cadre_a, district, template, residents):
    with pytest.raises(ValidationError):
        do_create_campaign(
            cadre_a,
            region=district.township_a,
            kind="other",
            title="x",
            template=template,
            people=residents,
            params={"round": residents[0].document_number},
            now=NOW,
        )


def test_an_outsider_cannot_start_a_campaign_in_another_township(cadre_b, district, template, residents):
    with pytest.raises(ValidationError):
        _campaign(cadre_b, district.township_a, template, residents)


def test_the_campaign_page_masks_numbers_and_lists_failures(
    client_for, cadre_a, cadre_b, district, template, residents
):
    campaign = _campaign(cadre_a, district.township_a, template, residents)
    do_send_campaign(campaign, now=NOW)
    Message.objects.filter(person=residents[0]).update(status=MessageStatus.FAILED, error="号码停机")
    page = client_for(cadre_a).get(f"/notify/campaigns/{campaign.uuid}/").content.decode()
    assert "号码停机" in page and "138****0000" in page and "13800000000" not in page
    assert client_for(cadre_b).get(f"/notify/campaigns/{campaign.uuid}/").status_code == 404
