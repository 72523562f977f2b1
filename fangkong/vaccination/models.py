"""疫苗接种: doses given to people of the registry, the vaccination system's imports, sites, targets by unit,
age band and key group, and why a person is not yet vaccinated (动员).

A course is complete when a dose's number reaches its product's course length (two doses of an inactivated
vaccine, one of the adenovirus vector vaccine, three of the protein subunit vaccine); a later dose is a
booster and counts as complete too. That rule is `completes_course`, written once and stored on the dose.
"""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from fangkong.people.models import Person
from fangkong.regions.models import Region


def completes_course(dose_number: int, course_doses: int) -> bool:
    """The one rule: the dose reaches the product's course (or goes beyond it: a booster)."""
    return dose_number >= course_doses


class VaccineProduct(models.Model):
    """疫苗产品: a product as the vaccination system names it, with its maker and course length (data)."""

    name = models.CharField(_("product"), max_length=100)
    manufacturer = models.CharField(_("manufacturer"), max_length=100)
    course_doses = models.PositiveSmallIntegerField(_("doses in a full course"))

    class Meta:
        verbose_name = _("vaccine product")
        verbose_name_plural = _("vaccine products")
        ordering = ["name", "manufacturer"]
        constraints = [
            models.UniqueConstraint(fields=["name", "manufacturer"], name="vaccine_product_unique"),
            models.CheckConstraint(condition=Q(course_doses__gte=1), name="vaccine_product_course_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.manufacturer}）"


class AgeBand(models.Model):
    """年龄段: a band of the target population, by age in whole years on the day (data: 3–11, 12–17 …)."""

    code = models.CharField(max_length=20, unique=True)
    name = models.CharField(_("age band"), max_length=50)
    min_age = models.PositiveSmallIntegerField(_("from age"))
    max_age = models.PositiveSmallIntegerField(_("to age (inclusive)"), null=True, blank=True)

    class Meta:
        verbose_name = _("age band")
        verbose_name_plural = _("age bands")
        ordering = ["min_age"]

    def __str__(self) -> str:
        return self.name

    def birth_range(self, day: datetime.date) -> tuple[datetime.date | None, datetime.date]:
        """Birth dates (first, last) of the people whose age on `day` lies in the band; None: no lower bound."""
        last = _years_before(day, self.min_age)
        if self.max_age is None:
            return None, last
        first = _years_before(day, self.max_age + 1) + datetime.timedelta(days=1)
        return first, last

    def birth_q(self, day: datetime.date, field: str = "birth_date") -> Q:
        first, last = self.birth_range(day)
        q = Q(**{f"{field}__lte": last})
        if first is not None:
            q &= Q(**{f"{field}__gte": first})
        return q


def _years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


class KeyGroup(models.Model):
    """重点人群: staff of 机关事业单位, cold-chain workers … (data); members are people of the registry."""

    code = models.CharField(max_length=30, unique=True)
    name = models.CharField(_("key group"), max_length=100)

    class Meta:
        verbose_name = _("key group")
        verbose_name_plural = _("key groups")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class KeyGroupMember(models.Model):
    group = models.ForeignKey(KeyGroup, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("key group member")
        constraints = [models.UniqueConstraint(fields=["group", "person"], name="key_group_member_unique")]

    def __str__(self) -> str:
        return f"{self.group.name} · {self.person.name}"


class VaccinationSite(models.Model):
    """接种点: a place that gives doses, held by a unit."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    region = models.ForeignKey(Region, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("site"), max_length=100)
    is_active = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("vaccination site")
        verbose_name_plural = _("vaccination sites")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("Import queued")
    RUNNING = "running", _("Import running")
    DONE = "done", _("Import done")
    FAILED = "failed", _("Import refused")


class VaccinationImport(models.Model):
    """An export of the vaccination system, imported all or nothing; a file is imported once (by its hash)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    region = models.ForeignKey(Region, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    file_name = models.CharField(_("file"), max_length=200)
    file_hash = models.CharField(max_length=64)
    status = models.CharField(
        pgettext_lazy("vaccination import", "status"), max_length=10, choices=ImportStatus.choices
    )
    rows = models.PositiveIntegerField(_("rows"), default=0)
    created = models.PositiveIntegerField(_("doses added"), default=0)
    known = models.PositiveIntegerField(_("doses already known"), default=0)
    error_count = models.PositiveIntegerField(_("rows with errors"), default=0)
    message = models.CharField(max_length=500, blank=True)
    error_file = models.CharField(max_length=300, blank=True)
    # The uploaded export while it waits for or runs its job (full ID numbers): deleted when the run ends.
    file_path = models.CharField(max_length=500, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", db_index=False
    )
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("vaccination import")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["file_hash"], condition=Q(status="done"), name="vaccination_import_once_per_file"
            )
        ]

    def __str__(self) -> str:
        return self.file_name

    @property
    def is_finished(self) -> bool:
        return self.status in (ImportStatus.DONE, ImportStatus.FAILED)


class DoseSource(models.TextChoices):
    IMPORT = "import", _("Vaccination system export")
    SITE = "site", _("Registered at a site")


class VaccinationRecordQuerySet(models.QuerySet["VaccinationRecord"]):
    def visible(self) -> VaccinationRecordQuerySet:
        """The doses that count: registered at a site, or of an import that is done (an import stores its
        doses chunk by chunk and shows them all at once when it ends)."""
        return self.filter(Q(batch__isnull=True) | Q(batch__status=ImportStatus.DONE))


class VaccinationRecord(models.Model):
    """接种记录: one dose given to one person."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    product = models.ForeignKey(VaccineProduct, verbose_name=_("product"), on_delete=models.PROTECT)
    dose_number = models.PositiveSmallIntegerField(_("dose number"))
    vaccinated_on = models.DateField(_("vaccination date"))
    site = models.ForeignKey(
        VaccinationSite,
        verbose_name=_("site"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    site_name = models.CharField(_("site"), max_length=100, blank=True)
    lot = models.CharField(_("lot"), max_length=50, blank=True)
    # Derived once from the product's course (completes_course) so coverage counts by an index.
    completes_course = models.BooleanField(default=False, editable=False)
    source = models.CharField(max_length=10, choices=DoseSource.choices)
    batch = models.ForeignKey(
        VaccinationImport, on_delete=models.PROTECT, null=True, blank=True, related_name="+", db_index=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", db_index=False
    )
    created_at = models.DateTimeField()

    objects = VaccinationRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("vaccination record")
        verbose_name_plural = _("vaccination records")
        ordering = ["person_id", "dose_number"]
        constraints = [
            models.UniqueConstraint(fields=["person", "dose_number"], name="vaccination_one_dose_number"),
            models.CheckConstraint(condition=Q(dose_number__gte=1), name="vaccination_dose_positive"),
        ]
        indexes = [
            models.Index(
                fields=["person"], condition=Q(completes_course=True), name="vaccination_complete_idx"
            ),
            models.Index(fields=["vaccinated_on"], name="vaccination_day_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.product.name} #{self.dose_number} {self.vaccinated_on}"


class NotVaccinatedReason(models.TextChoices):
    # In their own message context: Django merges every app's catalogue, and a bare "Refused" or "Scheduled"
    # is already another app's word (a leave decision, a generated briefing).
    CONTRAINDICATION = "contraindication", pgettext_lazy("not vaccinated", "Contraindication (禁忌)")
    REFUSED = "refused", pgettext_lazy("not vaccinated", "Refused")
    AWAY = "away", pgettext_lazy("not vaccinated", "Away")
    SCHEDULED = "scheduled", pgettext_lazy("not vaccinated", "Scheduled")


class MobilisationNote(models.Model):
    """动员: why a person of a grid is not yet vaccinated, as the grid worker last recorded it."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(_("reason"), max_length=20, choices=NotVaccinatedReason.choices)
    scheduled_on = models.DateField(_("scheduled for"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", db_index=False
    )
    updated_at = models.DateTimeField()

    class Meta:
        verbose_name = _("mobilisation note")

    def __str__(self) -> str:
        return self.get_reason_display()


class VaccinationTarget(models.Model):
    """目标任务: the rate a unit must reach, for an age band, a key group, or everyone (both empty)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    region = models.ForeignKey(Region, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="+")
    band = models.ForeignKey(
        AgeBand, verbose_name=_("age band"), on_delete=models.CASCADE, null=True, blank=True
    )
    group = models.ForeignKey(
        KeyGroup, verbose_name=_("key group"), on_delete=models.CASCADE, null=True, blank=True
    )
    rate = models.DecimalField(_("target rate (%)"), max_digits=5, decimal_places=2)

    class Meta:
        verbose_name = _("vaccination target")
        constraints = [
            models.CheckConstraint(
                condition=Q(rate__gte=0) & Q(rate__lte=100), name="vaccination_target_rate"
            ),
            models.CheckConstraint(
                condition=Q(band__isnull=True) | Q(group__isnull=True),
                name="vaccination_target_band_or_group",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rate}%"


class CoverageRun(models.Model):
    """接种率 counted once for every unit on a Beijing day: what the coverage page, its API, the home page and the
    dashboard read instead of counting every person with a dose lookup each (`coverage.py`).

    A job counts the whole registry every minute for today (and once more at night for the last week's days); a
    dose registered on the page recounts its person's unit at once. A run answers only while it is fresh (counted
    at most `coverage.FRESH` before the instant asked, or after its day's end) and only for the age bands and key
    groups it was counted with (`spec`); otherwise the coverage is counted live, as before."""

    day = models.DateField(unique=True)
    computed_at = models.DateTimeField()
    spec = models.JSONField(default=dict)  # {"bands": [[id, min_age, max_age], …], "groups": [id, …]}

    class Meta:
        verbose_name = _("coverage count")
        verbose_name_plural = _("coverage counts")

    def __str__(self) -> str:
        return f"{self.day} @ {self.computed_at}"


class CoverageCount(models.Model):
    """One unit's people and completed courses per age band and key group in a `CoverageRun` (the unit's own
    people: a region's subtree sums the rows of its units)."""

    run = models.ForeignKey(CoverageRun, on_delete=models.CASCADE, related_name="counts", db_index=False)
    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+", db_index=False)
    counts = models.JSONField(default=dict)  # {"n_b0": people, "d_b0": completed, "n_g0": …, "d_g0": …}

    class Meta:
        verbose_name = _("coverage of a unit")
        verbose_name_plural = _("coverage of units")
        constraints = [models.UniqueConstraint(fields=["run", "region"], name="coverage_count_one_row")]

    def __str__(self) -> str:
        return f"{self.run_id}/{self.region_id}"
