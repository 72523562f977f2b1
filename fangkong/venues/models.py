"""Venues (网吧、KTV、歌厅、影院、游泳馆 …) and family events (红白事).

A venue's status on a day — open, limited (a capacity percentage) or closed — is set by a notice (停业/限流通知):
the notice issued last among those covering the day, the venue's kind and a unit above the venue. With no notice
a venue is open. Inspections of venues are made in the supervision app (place kind "venue").

Family events (weddings, funerals, banquets) are registered with host, day, place and expected guests; the rule
喜事缓办、丧事简办、宴会不办 is data (`EventRule`: allowed or not, a maximum of guests); an event the rule forbids is
refused at registration, naming the rule; otherwise the village approves, then the township, and someone checks
on the day (回访).
"""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from fangkong.regions.models import Region


class VenueKind(models.TextChoices):
    INTERNET_CAFE = "internet_cafe", _("Internet café")
    KTV = "ktv", _("KTV")
    SONG_HALL = "song_hall", _("Song hall")
    CINEMA = "cinema", _("Cinema")
    SWIMMING = "swimming", _("Swimming pool")
    GYM = "gym", _("Gym")
    OTHER = "other", _("Other venue")


class VenueStatus(models.TextChoices):
    OPEN = "open", _("Open")
    LIMITED = "limited", _("Limited capacity")
    CLOSED = "closed", _("Closed")


class Venue(models.Model):
    """重点场所: a venue of a unit."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    region = models.ForeignKey(
        Region, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="venues"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=VenueKind.choices)
    name = models.CharField(_("name"), max_length=100)
    address = models.CharField(_("address"), max_length=200, blank=True)
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("venue")
        verbose_name_plural = _("venues")
        ordering = ["region__path", "kind", "name"]

    def __str__(self) -> str:
        return self.name


class VenueNoticeQuerySet(models.QuerySet["VenueNotice"]):
    def covering(self, day: datetime.date) -> VenueNoticeQuerySet:
        return self.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day), starts_on__lte=day)


class VenueNotice(models.Model):
    """停业/限流通知: from `starts_on` (to `ends_on`), venues of `kinds` (all when empty) below `region` are
    open, limited to `capacity_percent` or closed."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    region = models.ForeignKey(
        Region, verbose_name=_("issuing unit"), on_delete=models.PROTECT, related_name="venue_notices"
    )
    number = models.CharField(_("number"), max_length=60)
    title = models.CharField(_("title"), max_length=200)
    kinds = models.JSONField(_("kinds of venue"), default=list, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=VenueStatus.choices)
    capacity_percent = models.PositiveSmallIntegerField(_("capacity (%)"), null=True, blank=True)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)
    issued_at = models.DateTimeField(_("issued at"))
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = VenueNoticeQuerySet.as_manager()

    class Meta:
        verbose_name = _("venue notice")
        verbose_name_plural = _("venue notices")
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="limited") | Q(capacity_percent__gte=1, capacity_percent__lte=99),
                name="venue_notice_limited_has_percent",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def applies_to(self, venue: Venue) -> bool:
        return venue.region.path.startswith(self.region.path) and (not self.kinds or venue.kind in self.kinds)


class EventKind(models.TextChoices):
    WEDDING = "wedding", _("Wedding")
    FUNERAL = "funeral", _("Funeral")
    BANQUET = "banquet", _("Banquet")


class EventRule(models.Model):
    """喜事缓办、丧事简办、宴会不办 as data: whether an event of a kind may be held, and with how many guests."""

    kind = models.CharField(_("kind"), max_length=10, choices=EventKind.choices, unique=True)
    name = models.CharField(_("rule"), max_length=40)
    allowed = models.BooleanField(_("may be held"), default=True)
    max_guests = models.PositiveIntegerField(_("maximum guests"), null=True, blank=True)

    class Meta:
        verbose_name = _("family event rule")
        verbose_name_plural = _("family event rules")
        ordering = ["kind"]

    def __str__(self) -> str:
        return self.name


class EventStatus(models.TextChoices):
    VILLAGE = "village", _("Waiting for the village")
    TOWNSHIP = "township", _("Waiting for the township")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


class FamilyEvent(models.Model):
    """红白事报备: a wedding, funeral or banquet registered in a village."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    region = models.ForeignKey(Region, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=10, choices=EventKind.choices)
    host_name = models.CharField(_("host"), max_length=50)
    host_phone = models.CharField(_("host's phone"), max_length=20, blank=True)
    day = models.DateField(_("day"))
    place = models.CharField(_("place"), max_length=200)
    expected_guests = models.PositiveIntegerField(_("expected guests"))
    status = models.CharField(_("status"), max_length=10, choices=EventStatus.choices)
    rule = models.ForeignKey(
        EventRule, verbose_name=_("rule applied"), on_delete=models.PROTECT, null=True, blank=True
    )
    refusal_reason = models.CharField(_("reason for refusal"), max_length=300, blank=True)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    registered_at = models.DateTimeField(_("registered at"))
    village_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    village_decided_at = models.DateTimeField(null=True, blank=True)
    township_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    township_decided_at = models.DateTimeField(null=True, blank=True)
    checked_at = models.DateTimeField(_("checked on the day at"), null=True, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actual_guests = models.PositiveIntegerField(_("guests found"), null=True, blank=True)
    check_compliant = models.BooleanField(_("as approved"), null=True, blank=True)
    check_note = models.TextField(_("check note"), blank=True)

    class Meta:
        verbose_name = _("family event")
        verbose_name_plural = _("family events")
        ordering = ["day", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.day:%Y-%m-%d}"
