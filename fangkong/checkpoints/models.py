"""卡口: checkpoints, the crossings registered there, equipment confirmed at shift start, spot checks (督查) and
referrals of febrile travellers to a fever clinic.

A checkpoint belongs to a unit (`region`, the township or village it stands in) and answers to a supervising
unit; both see it. Crossing figures are kept per checkpoint and Beijing day in `CrossingDay`, updated in the
same transaction as each registration, so the checkpoint page and the daily report never count a day's rows.
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from fangkong.lib.masking import mask_document, mask_phone
from fangkong.regions.models import Region

# ≥ 37.3 °C is a fever; a first reading at or above it must be re-measured before the fever disposition.
FEVER_THRESHOLD = Decimal("37.3")
DEFAULT_EQUIPMENT = ["标示牌", "登记本", "值班表", "测温仪", "消毒用品", "口罩"]


class CheckpointKind(models.TextChoices):
    HIGHWAY_EXIT = "highway_exit", _("Highway exit")
    STATION = "station", _("Station")
    TOWNSHIP_BORDER = "township_border", _("Township border")
    VILLAGE_ENTRANCE = "village_entrance", _("Village entrance")
    OTHER = "other", _("Other")


class CheckpointStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("checkpoint", "Open")
    CLOSED = "closed", pgettext_lazy("checkpoint", "Closed")


class Checkpoint(models.Model):
    """卡口: a place where everyone entering is checked (三码 + 测温 + 戴口罩)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("checkpoint name"), max_length=100)
    road = models.CharField(_("road"), max_length=100, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=CheckpointKind.choices)
    location = models.CharField(_("location"), max_length=200, blank=True)
    status = models.CharField(
        pgettext_lazy("checkpoint", "status"),
        max_length=10,
        choices=CheckpointStatus.choices,
        default=CheckpointStatus.OPEN,
    )
    region = models.ForeignKey(
        Region, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="checkpoints"
    )
    supervising_unit = models.ForeignKey(
        Region, verbose_name=_("supervising unit"), on_delete=models.PROTECT, related_name="+"
    )
    # The checklist confirmed at each shift start (标示牌、登记本、值班表、测温仪、消毒用品 …): data, per checkpoint.
    equipment = models.JSONField(_("equipment checklist"), default=list)
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("staff"), related_name="checkpoints", blank=True
    )
    # Findings of spot checks so far (kept by the spot-check action).
    findings_count = models.PositiveIntegerField(_("spot-check findings"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    # Goes up with every saved edit: an edit form opened before someone else's save is refused (lib/versions).
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("checkpoint")
        verbose_name_plural = _("checkpoints")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class CodeColour(models.Model):
    """健康码颜色: green / yellow / red, and any local colours, as data."""

    code = models.SlugField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=20)
    # 0 green (normal), 1 needs a check (yellow, orange …), 2 red.
    severity = models.PositiveSmallIntegerField(_("severity"), default=0)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("health code colour")
        verbose_name_plural = _("health code colours")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.name


class ShiftStart(models.Model):
    """上岗检查: a staff member starts a shift at a checkpoint and confirms the equipment present."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    checkpoint = models.ForeignKey(Checkpoint, on_delete=models.PROTECT, related_name="shift_starts")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField(_("started at"))
    day = models.DateField(_("day"))
    items_present = models.JSONField(_("equipment present"), default=list)
    items_missing = models.JSONField(_("equipment missing"), default=list)
    # Whether the duty app had the user on duty at that instant (a start off the roster is shown as such).
    on_roster = models.BooleanField(_("on the duty roster"), default=False)

    class Meta:
        verbose_name = _("shift start")
        verbose_name_plural = _("shift starts")
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["checkpoint", "day"], name="shiftstart_cp_day_idx")]

    def __str__(self) -> str:
        return f"{self.checkpoint_id} {self.started_at:%Y-%m-%d %H:%M}"


class CrossingKind(models.TextChoices):
    PERSON = "person", _("Person")
    VEHICLE = "vehicle", _("Vehicle")


class Vaccination(models.TextChoices):
    UNKNOWN = "unknown", _("Unknown")
    NONE = "none", _("Not vaccinated")
    PARTIAL = "partial", _("Partly vaccinated")
    FULL = "full", _("Fully vaccinated")
    BOOSTER = "booster", _("Booster")


class Disposition(models.TextChoices):
    PASS = "pass", _("Pass")
    REGISTER = "register", _("Pass and register with the grid")
    REFER = "refer", _("Refer to a fever clinic")
    TURN_BACK = "turn_back", _("Persuade to turn back")


# The risk levels screening publishes (`high`/`medium`/`low`), as shown on checkpoint pages.
RISK_LABELS = {"high": _("High risk"), "medium": _("Medium risk"), "low": _("Low risk")}


class Crossing(models.Model):
    """查验登记: one person on foot or one vehicle with its occupants, checked at a checkpoint."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    checkpoint = models.ForeignKey(Checkpoint, on_delete=models.PROTECT, related_name="crossings")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=10, choices=CrossingKind.choices)
    plate = models.CharField(_("plate"), max_length=20, blank=True)
    origin = models.CharField(_("origin"), max_length=100)
    destination = models.CharField(_("destination"), max_length=100, blank=True)
    origin_risk_level = models.CharField(_("origin risk level"), max_length=10, blank=True)
    registered_at = models.DateTimeField(_("registered at"))
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("crossing")
        verbose_name_plural = _("crossings")
        ordering = ["-registered_at", "-id"]
        # The checkpoint page's latest crossings, in page order (ties by id): read from the index's end, so the
        # page does not grow with a table of millions of rows.
        indexes = [
            models.Index(fields=["checkpoint", "-registered_at", "-id"], name="crossing_cp_latest_idx")
        ]

    def __str__(self) -> str:
        return f"{self.plate or self.kind} {self.registered_at:%Y-%m-%d %H:%M}"

    @property
    def origin_risk_label(self) -> str:
        return str(RISK_LABELS.get(self.origin_risk_level, "—"))


class Traveller(models.Model):
    """One person of a crossing (the walker, or a driver or passenger of a vehicle) and what was decided."""

    crossing = models.ForeignKey(Crossing, on_delete=models.CASCADE, related_name="travellers")
    name = models.CharField(_("name"), max_length=100, blank=True)
    document_number = models.CharField(_("document number"), max_length=40, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    is_driver = models.BooleanField(_("driver"), default=False)
    health_code = models.ForeignKey(
        CodeColour, verbose_name=_("health code"), on_delete=models.PROTECT, related_name="+"
    )
    trip_star = models.BooleanField(_("trip card starred (*)"), default=False)
    trip_cities = models.CharField(_("cities on the trip card"), max_length=200, blank=True)
    vaccination = models.CharField(
        _("vaccination"), max_length=10, choices=Vaccination.choices, default=Vaccination.UNKNOWN
    )
    temperature = models.DecimalField(_("temperature (°C)"), max_digits=3, decimal_places=1)
    temperature_again = models.DecimalField(
        _("temperature re-measured (°C)"), max_digits=3, decimal_places=1, null=True, blank=True
    )
    fever = models.BooleanField(_("fever"), default=False)
    wears_mask = models.BooleanField(_("wears a mask"), default=True)
    disposition = models.CharField(_("disposition"), max_length=10, choices=Disposition.choices)
    # The screening returnee report made by "pass and register" (its receipt number).
    returnee_receipt = models.CharField(_("returnee report"), max_length=24, blank=True)

    class Meta:
        verbose_name = _("traveller")
        verbose_name_plural = _("travellers")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name or self.masked_document

    @property
    def masked_document(self) -> str:
        return mask_document(self.document_number)

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)


class CrossingDay(models.Model):
    """Figures of one checkpoint on one Beijing day, kept in step by the registration action."""

    checkpoint = models.ForeignKey(Checkpoint, on_delete=models.CASCADE, related_name="days")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    day = models.DateField(_("day"))
    people = models.PositiveIntegerField(_("people"), default=0)
    vehicles = models.PositiveIntegerField(_("vehicles"), default=0)
    yellow_codes = models.PositiveIntegerField(_("yellow codes"), default=0)
    red_codes = models.PositiveIntegerField(_("red codes"), default=0)
    fevers = models.PositiveIntegerField(_("fevers"), default=0)
    referrals = models.PositiveIntegerField(_("referrals"), default=0)
    turned_back = models.PositiveIntegerField(_("turned back"), default=0)
    sent_to_grid = models.PositiveIntegerField(_("sent to screening"), default=0)

    class Meta:
        verbose_name = _("checkpoint day")
        verbose_name_plural = _("checkpoint days")
        constraints = [models.UniqueConstraint(fields=["checkpoint", "day"], name="crossingday_unique")]
        indexes = [models.Index(fields=["day"], name="crossingday_day_idx")]

    def __str__(self) -> str:
        return f"{self.checkpoint_id} {self.day}"


FIGURE_FIELDS = [
    "people",
    "vehicles",
    "yellow_codes",
    "red_codes",
    "fevers",
    "referrals",
    "turned_back",
    "sent_to_grid",
]


class ReferralStatus(models.TextChoices):
    REFERRED = "referred", _("Referred")
    RECEIVED = "received", _("Received by the clinic")
    CLOSED = "closed", pgettext_lazy("referral", "Closed")


class Referral(models.Model):
    """转诊: a febrile traveller sent to a fever clinic; the loop closes when the clinic has received them and
    the outcome is written (闭环)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    traveller = models.OneToOneField(Traveller, on_delete=models.PROTECT, related_name="referral")
    checkpoint = models.ForeignKey(Checkpoint, on_delete=models.PROTECT, related_name="referrals")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    clinic = models.CharField(_("fever clinic"), max_length=100, blank=True)
    status = models.CharField(
        pgettext_lazy("referral", "status"),
        max_length=10,
        choices=ReferralStatus.choices,
        default=ReferralStatus.REFERRED,
    )
    referred_at = models.DateTimeField(_("referred at"))
    received_at = models.DateTimeField(_("received at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    outcome = models.CharField(pgettext_lazy("referral", "outcome"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-referred_at", "-id"]

    def __str__(self) -> str:
        return f"{self.clinic} {self.referred_at:%Y-%m-%d %H:%M}"

    @property
    def is_open(self) -> bool:
        return self.status != ReferralStatus.CLOSED


class SpotCheck(models.Model):
    """督查: an inspector's visit to a checkpoint and what they found."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    checkpoint = models.ForeignKey(Checkpoint, on_delete=models.PROTECT, related_name="spot_checks")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    inspector = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    visited_at = models.DateTimeField(_("visited at"))
    staff_present = models.PositiveSmallIntegerField(_("staff present"))
    off_post = models.BooleanField(_("staff off post (脱岗)"), default=False)
    drinking = models.BooleanField(_("drinking on duty (饮酒)"), default=False)
    registrations_complete = models.BooleanField(_("registrations complete"), default=True)
    equipment_complete = models.BooleanField(_("equipment present"), default=True)
    note = models.TextField(_("note"), blank=True)
    findings = models.PositiveSmallIntegerField(_("findings"), default=0)

    class Meta:
        verbose_name = _("spot check")
        verbose_name_plural = _("spot checks")
        ordering = ["-visited_at", "-id"]

    def __str__(self) -> str:
        return f"{self.checkpoint_id} {self.visited_at:%Y-%m-%d %H:%M}"

    def finding_codes(self) -> list[str]:
        """What went wrong, as codes (`off_post`, `drinking`, `registrations`, `equipment`, `no_staff`)."""
        codes = []
        if self.staff_present == 0:
            codes.append("no_staff")
        if self.off_post:
            codes.append("off_post")
        if self.drinking:
            codes.append("drinking")
        if not self.registrations_complete:
            codes.append("registrations")
        if not self.equipment_complete:
            codes.append("equipment")
        return codes


def photo_path(instance: SpotCheckPhoto, filename: str) -> str:
    extension = "png" if filename.lower().endswith(".png") else "jpg"
    return f"spotchecks/{instance.spot_check.uuid}/{uuid.uuid4().hex}.{extension}"


class SpotCheckPhoto(models.Model):
    spot_check = models.ForeignKey(SpotCheck, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(_("photo"), upload_to=photo_path)
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("spot-check photo")
        verbose_name_plural = _("spot-check photos")

    def __str__(self) -> str:
        return str(self.image)
