"""Nucleic-acid testing (核酸检测): points, rounds, key groups on a cycle, tubes (single or pooled), lab results
and the recall of a positive pool's members.

A tube (采样管) holds one person (single) or 5/10/20 (混采); each member is a `TubeMember` (one collection).
A member's result is the tube's result for a negative tube; a positive or abnormal pool recalls its members
for a single-tube re-test (`Recall`). One person is in one tube per round unless re-sampled with a reason.
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


class PointKind(models.TextChoices):
    FIXED = "fixed", _("Fixed")
    MOBILE = "mobile", _("Mobile")
    DOOR_TO_DOOR = "door", _("Door to door")


class PointStatus(models.TextChoices):
    # Own message contexts: Django merges every app's catalogue, and a bare "Open" is taken (打开).
    OPEN = "open", pgettext_lazy("testing point", "Open")
    CLOSED = "closed", pgettext_lazy("testing point", "Closed")


class TestingPoint(models.Model):
    """采样点: where samples are taken; the public page lists a township's open points."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    region = models.ForeignKey(Region, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=100)
    address = models.CharField(_("address"), max_length=200)
    opening_hours = models.CharField(_("opening hours"), max_length=100)
    desks = models.PositiveSmallIntegerField(_("sampling desks"), default=1)
    kind = models.CharField(_("kind"), max_length=10, choices=PointKind.choices, default=PointKind.FIXED)
    status = models.CharField(
        _("status"), max_length=10, choices=PointStatus.choices, default=PointStatus.OPEN
    )
    created_at = models.DateTimeField(_("created at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("testing point")
        verbose_name_plural = _("testing points")
        ordering = ["region__path", "name"]

    def __str__(self) -> str:
        return self.name


class RoundKind(models.TextChoices):
    EVERYONE = "everyone", _("Everyone (全员)")
    AREA = "area", _("Key areas (重点区域)")


class TestingRound(models.Model):
    """轮次: a mass-testing round over a set of units and days; its target is everyone registered there."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # The unit that organises the round (its units lie inside it).
    region = models.ForeignKey(Region, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    units = models.ManyToManyField(Region, verbose_name=_("units"), related_name="+")
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=10, choices=RoundKind.choices, default=RoundKind.EVERYONE)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    min_age = models.PositiveSmallIntegerField(_("from age"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(_("to age"), null=True, blank=True)
    # Optional exclusions from the target (and so from coverage and the untested list), judged when counted.
    exclude_away = models.BooleanField(_("exclude people away"), default=False)
    exclude_isolated = models.BooleanField(_("exclude people in centralized isolation"), default=False)
    created_at = models.DateTimeField(_("created at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("testing round")
        verbose_name_plural = _("testing rounds")
        ordering = ["-starts_on", "-id"]

    def __str__(self) -> str:
        return self.name

    def is_running(self, day: datetime.date) -> bool:
        return self.starts_on <= day <= self.ends_on

    def age_filter(self, via: str = "") -> Q:
        """People whose age on the first day lies in the round's band (birth dates come from ID numbers);
        `via` is the path to the person from another model ("person__")."""
        q = Q()
        day = self.starts_on
        if self.min_age is not None:
            q &= Q(**{f"{via}birth_date__lte": _years_before(day, self.min_age)})
        if self.max_age is not None:
            q &= Q(**{f"{via}birth_date__gt": _years_before(day, self.max_age + 1)})
        return q

    def takes_age(self, birth_date: datetime.date | None) -> bool:
        """`age_filter` for one person already read (a missing birth date is outside any band, as in SQL)."""
        day = self.starts_on
        if self.min_age is not None and (birth_date is None or birth_date > _years_before(day, self.min_age)):
            return False
        oldest = None if self.max_age is None else _years_before(day, self.max_age + 1)
        return oldest is None or (birth_date is not None and birth_date > oldest)


def _years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


class KeyGroup(models.Model):
    """常态化重点人群: a group tested on a cycle (cold-chain workers every 3 days …); data, not code."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    cycle_days = models.PositiveSmallIntegerField(_("tested every (days)"))
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("key group")
        verbose_name_plural = _("key groups")
        ordering = ["cycle_days", "code"]

    def __str__(self) -> str:
        return self.name


class KeyGroupMember(models.Model):
    """One person's membership of a key group, with the day their next test is due."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    group = models.ForeignKey(
        KeyGroup, verbose_name=_("key group"), on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="+")
    # The person's unit when they joined: jurisdiction over the membership.
    region = models.ForeignKey(Region, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    joined_on = models.DateField(_("joined on"))
    last_sampled_on = models.DateField(_("last sampled on"), null=True, blank=True)
    next_due_on = models.DateField(_("next test due"))
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("key group member")
        verbose_name_plural = _("key group members")
        constraints = [
            models.UniqueConstraint(
                fields=["group", "person"], condition=Q(is_active=True), name="keygroup_one_active_membership"
            )
        ]
        indexes = [models.Index(fields=["next_due_on"], name="keygroup_member_due_idx")]

    def __str__(self) -> str:
        return f"{self.group} · {self.person}"

    def is_overdue(self, day: datetime.date) -> bool:
        return self.next_due_on < day


class Purpose(models.TextChoices):
    ROUND = "round", _("Testing round")
    KEY_GROUP = "key_group", _("Key group")
    CONTROL = "control", _("Control test day")
    RECALL = "recall", _("Recall re-test")
    OTHER = "other", _("Other")


class TubeStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("tube", "Open")
    CLOSED = "closed", pgettext_lazy("tube", "Closed")
    RESULTED = "resulted", pgettext_lazy("tube", "Resulted")


class Result(models.TextChoices):
    NEGATIVE = "negative", _("Negative")
    POSITIVE = "positive", _("Positive")
    INVALID = "invalid", _("Invalid")


CAPACITIES = (1, 5, 10, 20)


class Tube(models.Model):
    """采样管: a single tube or a pool (混采) of 5, 10 or 20, taken at a point's desk by a collector."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    barcode = models.CharField(_("barcode"), max_length=40, unique=True)
    capacity = models.PositiveSmallIntegerField(_("capacity"))
    status = models.CharField(_("status"), max_length=10, choices=TubeStatus.choices, default=TubeStatus.OPEN)
    purpose = models.CharField(_("purpose"), max_length=10, choices=Purpose.choices)
    round = models.ForeignKey(
        TestingRound,
        verbose_name=_("round"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    key_group = models.ForeignKey(
        KeyGroup,
        verbose_name=_("key group"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # A control order's test day or another source, as the caller names it (testing never imports control).
    reference = models.CharField(_("reference"), max_length=100, blank=True)
    point = models.ForeignKey(
        TestingPoint, verbose_name=_("point"), on_delete=models.PROTECT, related_name="+"
    )
    # The point's unit: jurisdiction over the tube and its members.
    region = models.ForeignKey(Region, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    desk = models.PositiveSmallIntegerField(_("desk"), default=1)
    collector = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("collector"), on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField(_("opened at"))
    sampled_on = models.DateField(_("sampled on"))  # the Beijing day it was opened
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    member_count = models.PositiveSmallIntegerField(_("people"), default=0)
    result = models.CharField(_("result"), max_length=10, choices=Result.choices, blank=True)
    resulted_at = models.DateTimeField(_("resulted at"), null=True, blank=True)
    lab = models.CharField(_("lab"), max_length=100, blank=True)
    ct_orf1ab = models.FloatField(_("Ct ORF1ab"), null=True, blank=True)
    ct_n = models.FloatField(_("Ct N"), null=True, blank=True)
    batch = models.ForeignKey(
        "ResultBatch", on_delete=models.PROTECT, null=True, blank=True, related_name="+", db_index=False
    )

    class Meta:
        verbose_name = _("tube")
        verbose_name_plural = _("tubes")
        indexes = [
            models.Index(fields=["region", "sampled_on"], name="tube_region_day_idx"),
            models.Index(fields=["collector", "status"], name="tube_collector_status_idx"),
        ]

    def __str__(self) -> str:
        return self.barcode

    @property
    def is_pool(self) -> bool:
        return self.capacity > 1

    @property
    def is_full(self) -> bool:
        return self.member_count >= self.capacity


class TubeMember(models.Model):
    """One person's sample in a tube: who, where in the tube, when, by whom."""

    # No single-column indexes on the three keys: the composite ones below start with each of them and serve
    # the same lookups, and a round writes a million rows through every index this table has.
    tube = models.ForeignKey(Tube, on_delete=models.PROTECT, related_name="members", db_index=False)
    # Empty once the sample is past its retention period (retention.py): the sample, its tube and result stay.
    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    position = models.PositiveSmallIntegerField(_("position"))
    # Copied from the tube: one person, one tube per round is a constraint on this table.
    round = models.ForeignKey(
        TestingRound, on_delete=models.PROTECT, null=True, blank=True, related_name="+", db_index=False
    )
    sampled_at = models.DateTimeField(_("sampled at"))
    sampled_on = models.DateField(_("sampled on"))
    resample_reason = models.CharField(_("reason for re-sampling"), max_length=200, blank=True)
    result = models.CharField(_("result"), max_length=10, choices=Result.choices, blank=True)
    resulted_at = models.DateTimeField(_("resulted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("sample")
        verbose_name_plural = _("samples")
        constraints = [
            models.UniqueConstraint(fields=["tube", "position"], name="tube_member_position_unique"),
            models.UniqueConstraint(fields=["tube", "person"], name="tube_member_person_unique"),
            models.UniqueConstraint(
                fields=["round", "person"],
                condition=Q(round__isnull=False, resample_reason=""),
                name="tube_member_one_per_round",
            ),
        ]
        indexes = [
            models.Index(fields=["person", "sampled_on"], name="tube_member_person_day_idx"),
            models.Index(fields=["round", "person"], name="tube_member_round_person_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.tube_id}#{self.position}"

    @property
    def subject(self) -> Person:
        """The sample's person: only a resulted sample past its retention period has none (retention.py)."""
        if self.person is None:
            raise ValueError(f"sample {self.pk} was anonymised")
        return self.person


class BatchStatus(models.TextChoices):
    # A file uploaded on the page waits for its background job, then imports (progress in `lib.importjobs`).
    QUEUED = "queued", pgettext_lazy("result import", "Queued")
    RUNNING = "running", pgettext_lazy("result import", "Importing")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Refused")


class ResultBatch(models.Model):
    """检测结果导入: one lab file (or API call), imported all or nothing; the same file twice is one import."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    region = models.ForeignKey(Region, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    file_name = models.CharField(_("file"), max_length=200)
    file_hash = models.CharField(max_length=64)
    status = models.CharField(_("status"), max_length=10, choices=BatchStatus.choices)
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_failed = models.PositiveIntegerField(_("rows with errors"), default=0)
    errors = models.JSONField(default=list)  # [[row number, barcode, message], …]
    message = models.CharField(_("message"), max_length=500, blank=True)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("imported at"))

    class Meta:
        verbose_name = _("result import")
        verbose_name_plural = _("result imports")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["file_hash"], condition=Q(status="done"), name="result_batch_one_import_per_file"
            )
        ]

    def __str__(self) -> str:
        return self.file_name

    @property
    def is_finished(self) -> bool:
        return self.status in (BatchStatus.DONE, BatchStatus.FAILED)


class Recall(models.Model):
    """召回: a member of a positive or abnormal pool, to reach and re-test in a single tube."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    pool = models.ForeignKey(Tube, verbose_name=_("pool"), on_delete=models.PROTECT, related_name="recalls")
    # Empty once the recall is past its retention period (retention.py).
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The person's unit: their township and grid worker reach them.
    region = models.ForeignKey(Region, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("recalled at"))
    retest_due_on = models.DateField(_("single-tube re-test due"))
    reached_at = models.DateTimeField(_("reached at"), null=True, blank=True)
    reached_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    retest_tube = models.ForeignKey(Tube, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    resampled_at = models.DateTimeField(_("re-sampled at"), null=True, blank=True)
    result = models.CharField(_("result"), max_length=10, choices=Result.choices, blank=True)
    resulted_at = models.DateTimeField(_("resulted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("recall")
        verbose_name_plural = _("recalls")
        ordering = ["-created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["pool", "person"], name="recall_one_per_pool_member")]

    def __str__(self) -> str:
        return f"{self.pool} · {self.person}"

    @property
    def stage(self) -> str:
        if self.resulted_at:
            return "resulted"
        if self.resampled_at:
            return "resampled"
        if self.reached_at:
            return "reached"
        return "waiting"


class RoundTested(models.Model):
    """应检已检计数: how many people of a region (the person's unit) had their first sample of a round on a day.

    Kept by the sampling actions in their own transaction (an UPSERT adding to the count), so the coverage page
    and the untested counts never read every sample of the round; `recount_rounds` rebuilds it from the samples.
    Only the first sample of a person in the round counts (a re-sample carries a reason), and only people in
    the round's age band: the same people the coverage counted from the samples.
    """

    # The unique constraint starts with the round: it is the index for "this round's counts".
    round = models.ForeignKey(TestingRound, on_delete=models.CASCADE, related_name="+", db_index=False)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", db_index=False)
    day = models.DateField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("tested count")
        verbose_name_plural = _("tested counts")
        constraints = [
            models.UniqueConstraint(fields=["round", "region", "day"], name="round_tested_one_row")
        ]

    def __str__(self) -> str:
        return f"{self.round_id}/{self.region_id}/{self.day}: {self.count}"


class SampleDay(models.Model):
    """采样数、检测结果数 per unit and day: the daily report's, the home page's and the dashboard's testing figures.

    One row counts the samples taken at the points of a unit (the tube's unit) on a Beijing `day` — `result` empty
    — or those of them whose result `result` became known on `known_on` (the Beijing day of its `resulted_at`).
    Kept by the sampling and result actions in their own transaction (an UPSERT adding to the count, as
    `RoundTested`), so a figure reads a few rows instead of every sample of the day; `first_at`/`last_at` bound the
    instants counted, so a figure "as known at" an instant inside `known_on` is still exact (`counters`). The
    nightly recount rebuilds the recent days from the samples. Nothing here names a person: retention keeps it.
    """

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", db_index=False)
    day = models.DateField()
    result = models.CharField(max_length=10, choices=Result.choices, blank=True)
    known_on = models.DateField()
    count = models.PositiveIntegerField(default=0)
    first_at = models.DateTimeField()
    last_at = models.DateTimeField()

    class Meta:
        verbose_name = _("samples of a day")
        verbose_name_plural = _("samples of a day")
        constraints = [
            models.UniqueConstraint(fields=["region", "day", "result", "known_on"], name="sample_day_one_row")
        ]
        indexes = [models.Index(fields=["day", "result"], name="sample_day_day_idx")]

    def __str__(self) -> str:
        return f"{self.region_id}/{self.day}/{self.result or 'taken'}@{self.known_on}: {self.count}"
