"""SMS (短信): templates as data, campaigns (one message per person), each message's delivery state.

Gateway sends are not idempotent: a message is claimed (queued → sending) in its own commit before the gateway
is called, so a retried job never sends it twice; a message left in `sending` by a dead job is failed, not resent.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from fangkong.lib.masking import mask_phone
from fangkong.people.models import Person
from fangkong.regions.models import Region


class SmsTemplate(models.Model):
    """短信模板: the gateway's template code and signature, the parameters it takes, the text it renders."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    sign_name = models.CharField(_("signature"), max_length=40)
    provider_code = models.CharField(_("gateway template code"), max_length=40)
    # Rendered for the console and file backends and shown on the campaign page: {name} placeholders.
    text = models.CharField(_("text"), max_length=300)
    params = models.JSONField(_("parameters"), default=list)  # ordered names (Tencent fills {1}, {2} …)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("SMS template")
        verbose_name_plural = _("SMS templates")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    def render(self, params: dict[str, str]) -> str:
        text = self.text
        for key in self.params:
            text = text.replace("{" + key + "}", str(params.get(key, "")))
        return text


class CampaignKind(models.TextChoices):
    ROUND_UNTESTED = "round_untested", _("Remind the untested of a round")
    KEY_GROUP_DUE = "key_group_due", _("Remind a key group due")
    POOL_RECALL = "pool_recall", _("Recall a pool's members")
    REPORT_REMINDER = "report_reminder", _("Daily report reminder")
    OTHER = "other", _("Other")


class CampaignStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    DONE = "done", _("Done")


class Campaign(models.Model):
    """短信任务: one message to each person of a list, sent in batches by a background job."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    region = models.ForeignKey(Region, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=20, choices=CampaignKind.choices)
    title = models.CharField(_("title"), max_length=200)
    template = models.ForeignKey(
        SmsTemplate, verbose_name=_("template"), on_delete=models.PROTECT, related_name="+"
    )
    params = models.JSONField(default=dict)  # the parameters common to every message
    source_ref = models.CharField(max_length=100, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=CampaignStatus.choices, default=CampaignStatus.QUEUED
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("SMS campaign")
        verbose_name_plural = _("SMS campaigns")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title


class MessageStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed")


class Message(models.Model):
    """One SMS to one person of a campaign; at most one per person per campaign.

    The recipient is a registered person (residents, key groups, recalls) or a user (the cadres the daily
    report's reminders go to): exactly one of `person` and `user`."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="messages")
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    phone = models.CharField(_("phone"), max_length=20)
    params = models.JSONField(default=dict)
    status = models.CharField(
        _("status"), max_length=10, choices=MessageStatus.choices, default=MessageStatus.QUEUED
    )
    provider_id = models.CharField(max_length=100, blank=True)
    error = models.CharField(_("error"), max_length=200, blank=True)
    queued_at = models.DateTimeField()
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    sent_on = models.DateField(null=True, blank=True)  # Beijing day, for the per-number daily cap
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("SMS message")
        verbose_name_plural = _("SMS messages")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "person"], name="message_one_per_person"),
            models.UniqueConstraint(
                fields=["campaign", "user"], condition=Q(user__isnull=False), name="message_one_per_user"
            ),
            models.CheckConstraint(
                condition=Q(person__isnull=False, user__isnull=True)
                | Q(person__isnull=True, user__isnull=False),
                name="message_person_or_user",
            ),
        ]
        indexes = [
            models.Index(fields=["phone", "sent_on"], name="message_phone_day_idx"),
            models.Index(fields=["provider_id"], name="message_provider_idx"),
            models.Index(fields=["campaign", "status"], name="message_campaign_status_idx"),
        ]

    def __str__(self) -> str:
        return self.masked_phone

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)

    @property
    def recipient_name(self) -> str:
        if self.person is not None:
            return self.person.name
        return (self.user.full_name or self.user.username) if self.user is not None else ""

    @property
    def recipient_region(self) -> Region | None:
        if self.person is not None:
            return self.person.region
        return self.user.region if self.user is not None else None
