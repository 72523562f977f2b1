"""Screening (排查): risk areas, control measures and classification rules, returnee double reports,
household visit campaigns.

Risk areas are national facts, not region-owned; everything about people (reports, campaigns, visits)
is owned by a village or grid and read only through `screening.access`.
"""

from __future__ import annotations

import datetime
import uuid
from typing import Protocol

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from fangkong.lib.masking import mask_phone
from fangkong.people.models import Household, Person
from fangkong.regions.models import Region


class RiskLevel(models.TextChoices):
    HIGH = "high", _("High risk")
    MEDIUM = "medium", _("Medium risk")
    LOW = "low", _("Low risk")


# Higher wins when several published areas match one place.
RISK_RANK = {RiskLevel.HIGH: 3, RiskLevel.MEDIUM: 2, RiskLevel.LOW: 1}


class RiskAreaQuerySet(models.QuerySet["RiskArea"]):
    def current_on(self, day: datetime.date) -> RiskAreaQuerySet:
        """Areas in force on `day`: effective on or before it and not lifted by then."""
        return self.filter(effective_from__lte=day).filter(Q(lifted_on__isnull=True) | Q(lifted_on__gt=day))


class RiskArea(models.Model):
    """中高风险地区: one published area with its level and the period it was in force.

    History is kept: a new listing is a new row and lifting only sets `lifted_on`, so the level of a place
    on a past day can always be answered.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("area as published"), max_length=200)
    region_code = models.CharField(_("region code"), max_length=32, blank=True)
    level = models.CharField(_("risk level"), max_length=10, choices=RiskLevel.choices)
    effective_from = models.DateField(_("effective from"))
    lifted_on = models.DateField(_("lifted on"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=200, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = RiskAreaQuerySet.as_manager()

    class Meta:
        verbose_name = _("risk area")
        verbose_name_plural = _("risk areas")
        ordering = ["-effective_from", "name", "id"]
        indexes = [models.Index(fields=["effective_from", "lifted_on"], name="riskarea_period_idx")]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_level_display()})"

    def is_current_on(self, day: datetime.date) -> bool:
        return self.effective_from <= day and (self.lifted_on is None or self.lifted_on > day)

    @property
    def city(self) -> str:
        """The city part of the published name, up to and including 市 ('' when there is none)."""
        index = self.name.find("市")
        return self.name[: index + 1] if index >= 0 else ""


class ControlMeasure(models.Model):
    """管控措施: a measure a returnee may be put under (集中隔离, 居家隔离, 健康监测, 无需管控)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    # Whether returnees under this measure count as "under control" in the daily figures.
    is_control = models.BooleanField(_("counts as under control"), default=True)
    active = models.BooleanField(_("active"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("control measure")
        verbose_name_plural = _("control measures")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """The name in the active language (Chinese unless English is active and has a name)."""
        language = get_language() or ""
        if language.startswith("en") and self.name_en:
            return self.name_en
        return self.name_zh


class RuleCondition(models.TextChoices):
    HIGH = "high", _("Origin is a high-risk area")
    MEDIUM = "medium", _("Origin is a medium-risk area")
    LOW = "low", _("Origin is a low-risk area")
    STARRED_CITY = "starred_city", _("Origin city has a medium/high-risk area (*)")
    NONE = "none", _("Origin has no risk listing")
    ANY = "any", _("Any origin")


class SpecialSituation(models.TextChoices):
    RECOVERED_CASE = "recovered_case", _("Recovered case")
    CLOSE_CONTACT = "close_contact", _("Close contact")


class _OriginFields(Protocol):
    origin_province: str
    origin_city: str
    origin_county: str
    origin_township: str
    origin_village: str
    recovered_case: bool
    close_contact: bool


def joined_origin(o: _OriginFields) -> str:
    """Province … village as one place text (a registration form or a stored report alike)."""
    return "".join([o.origin_province, o.origin_city, o.origin_county, o.origin_township, o.origin_village])


def special_situations_of(o: _OriginFields) -> set[str]:
    found = set()
    if o.recovered_case:
        found.add(SpecialSituation.RECOVERED_CASE.value)
    if o.close_contact:
        found.add(SpecialSituation.CLOSE_CONTACT.value)
    return found


class ClassificationRule(models.Model):
    """分类管控规则: origin condition (+ optional special situation) → control measure.

    Rules are data the command office edits; the first active rule by priority (lowest number) that matches
    a report proposes its measure.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    priority = models.PositiveSmallIntegerField(_("priority"), help_text=_("Lower numbers are tried first."))
    condition = models.CharField(_("condition"), max_length=20, choices=RuleCondition.choices)
    special_situation = models.CharField(
        _("special situation"),
        max_length=20,
        choices=SpecialSituation.choices,
        blank=True,
        help_text=_("Leave empty to apply to everyone."),
    )
    measure = models.ForeignKey(
        ControlMeasure, verbose_name=_("measure"), on_delete=models.PROTECT, related_name="rules"
    )
    active = models.BooleanField(_("active"), default=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("classification rule")
        verbose_name_plural = _("classification rules")
        ordering = ["priority", "id"]

    def __str__(self) -> str:
        return f"{self.priority}: {self.get_condition_display()} → {self.measure}"


class Channel(models.TextChoices):
    SELF = "self", _("Self-report")
    GRID = "grid", _("Grid report")


class ReturnStatus(models.TextChoices):
    RETURNED = "returned", pgettext_lazy("returnee status", "Returned")
    WILL_RETURN = "will_return", _("Will return")


class TransportMode(models.TextChoices):
    TRAIN = "train", _("Train")
    FLIGHT = "flight", _("Flight")
    COACH = "coach", _("Coach")
    SELF_DRIVE = "self_drive", _("Self-drive")
    OTHER = "other", _("Other")


class ReturneeReportQuerySet(models.QuerySet["ReturneeReport"]):
    def with_double_report(self) -> ReturneeReportQuerySet:
        """Annotate `has_self` and `has_grid`: whether the person has a report of each channel (anywhere)."""
        same_person = ReturneeReport.objects.filter(person=models.OuterRef("person"))
        return self.annotate(
            has_self=models.Exists(same_person.filter(channel=Channel.SELF)),
            has_grid=models.Exists(same_person.filter(channel=Channel.GRID)),
        )

    def double_complete(self, complete: bool = True) -> ReturneeReportQuerySet:
        qs = self.with_double_report()
        both = Q(has_self=True, has_grid=True)
        return qs.filter(both) if complete else qs.exclude(both)


class ReturneeReport(models.Model):
    """返乡人员登记: one report about one returnee, by the person (自主申报) or by the grid (网格报告).

    Both channels land on the same Person; 双报告 is complete when a person has one of each.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="returnee_reports"
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    # What the reporter typed. A report shows these, never the stored person's details: the document may
    # belong to a person another unit holds, who stays hidden until that unit hands them over (移交).
    reported_name = models.CharField(_("name as reported"), max_length=100, blank=True)
    reported_phone = models.CharField(_("phone as reported"), max_length=20, blank=True)
    # Destination village or grid: the jurisdiction that owns the report.
    region = models.ForeignKey(
        Region, verbose_name=_("destination village or grid"), on_delete=models.PROTECT, related_name="+"
    )
    # Copies of the destination's path and of the person's unit's path (kept in step when the person moves,
    # see apps.py), so that "inside a jurisdiction" is a prefix match on this table alone: across two joined
    # tables the OR of both conditions could use no index and scanned every report.
    region_path = models.CharField(max_length=255, editable=False, default="")
    home_path = models.CharField(max_length=255, editable=False, default="")
    origin_province = models.CharField(_("origin province"), max_length=50)
    origin_city = models.CharField(_("origin city"), max_length=50, blank=True)
    origin_county = models.CharField(_("origin county/district"), max_length=50, blank=True)
    origin_township = models.CharField(_("origin township/street"), max_length=50, blank=True)
    origin_village = models.CharField(_("origin village/community"), max_length=100, blank=True)
    origin_risk_level = models.CharField(
        _("origin risk level"), max_length=10, choices=RiskLevel.choices, blank=True
    )
    origin_starred = models.BooleanField(_("origin city starred (*)"), default=False)
    address = models.CharField(_("address"), max_length=200, blank=True)
    household = models.ForeignKey(
        Household,
        verbose_name=_("household"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(_("status"), max_length=12, choices=ReturnStatus.choices)
    return_date = models.DateField(_("return date (or expected date)"))
    reason = models.CharField(_("reason for return"), max_length=200, blank=True)
    transport_mode = models.CharField(_("transport"), max_length=12, choices=TransportMode.choices)
    transport_number = models.CharField(_("train/flight number or plate"), max_length=40, blank=True)
    symptoms = models.CharField(_("symptoms"), max_length=200, blank=True)
    negative_test = models.BooleanField(_("negative test within 48 hours"), default=False)
    negative_test_date = models.DateField(_("negative test date"), null=True, blank=True)
    travel_history = models.TextField(_("14-day travel history"), blank=True)
    recovered_case = models.BooleanField(_("recovered case"), default=False)
    close_contact = models.BooleanField(_("close contact"), default=False)
    contact_name = models.CharField(_("destination contact person"), max_length=100, blank=True)
    contact_phone = models.CharField(_("destination contact phone"), max_length=20, blank=True)
    receipt_number = models.CharField(_("receipt number"), max_length=24, unique=True)
    proposed_measure = models.ForeignKey(
        ControlMeasure,
        verbose_name=_("proposed measure"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned grid worker"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("registered at"), db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = ReturneeReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("returnee report")
        verbose_name_plural = _("returnee reports")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["person", "channel"], name="returnee_person_channel_idx"),
            # LIKE 'prefix%' on PostgreSQL needs the pattern opclass; SQLite matches the prefix as a range.
            models.Index(
                fields=["region_path"], name="returnee_region_path_idx", opclasses=["varchar_pattern_ops"]
            ),
            models.Index(
                fields=["home_path"], name="returnee_home_path_idx", opclasses=["varchar_pattern_ops"]
            ),
        ]

    def __str__(self) -> str:
        return f"{self.receipt_number} {self.reported_name}"

    @property
    def masked_reported_phone(self) -> str:
        return mask_phone(self.reported_phone)

    @property
    def masked_document(self) -> str:
        """The document the reporter typed (the report was matched to the person by it), masked."""
        return self.person.masked_document

    @property
    def origin(self) -> str:
        """The origin as one place text, the form risk area names are matched against."""
        return joined_origin(self)

    @property
    def special_situations(self) -> set[str]:
        return special_situations_of(self)


class ScreeningCampaign(models.Model):
    """排查行动: one door-to-door sweep of a village (村不漏户、户不漏人)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    region = models.ForeignKey(Region, verbose_name=_("village"), on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=100)
    started_on = models.DateField(_("start date"))
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("screening campaign")
        verbose_name_plural = _("screening campaigns")
        ordering = ["-started_on", "-id"]

    def __str__(self) -> str:
        return self.name


class HouseholdVisit(models.Model):
    """入户排查: a household marked visited in a campaign; one per household and campaign."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    campaign = models.ForeignKey(ScreeningCampaign, on_delete=models.CASCADE, related_name="visits")
    household = models.ForeignKey(
        Household, verbose_name=_("household"), on_delete=models.PROTECT, related_name="+"
    )
    visited_on = models.DateField(_("visited on"))
    visited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("visited by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    people_present = models.PositiveSmallIntegerField(_("people present"), default=0)
    returnees_found = models.PositiveSmallIntegerField(_("returnees found"), default=0)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("household visit")
        verbose_name_plural = _("household visits")
        ordering = ["-visited_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "household"], name="visit_once_per_campaign")
        ]

    def __str__(self) -> str:
        return f"{self.household} {self.visited_on}"


def mark_double_report(reports: list[ReturneeReport]) -> None:
    """Set `has_self` and `has_grid` (as `with_double_report` does) on a page of reports, with one query.

    Annotating the list query instead made SQLite evaluate both EXISTS for every row it sorted, not only for
    the page it kept.
    """
    persons = {r.person_id for r in reports}
    held = set(
        ReturneeReport.objects.filter(person_id__in=persons)
        .order_by()
        .values_list("person_id", "channel")
        .distinct()
    )
    for r in reports:
        r.has_self = (r.person_id, Channel.SELF.value) in held  # type: ignore[attr-defined]
        r.has_grid = (r.person_id, Channel.GRID.value) in held  # type: ignore[attr-defined]


def follow_person(sender: type[Person], instance: Person, **kwargs: object) -> None:
    """Keep `home_path` of a person's reports equal to the path of the person's unit after a save."""
    path = instance.region.path
    ReturneeReport.objects.filter(person=instance).exclude(home_path=path).update(home_path=path)
