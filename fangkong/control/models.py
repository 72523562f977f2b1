"""Control (管控): protocols as data, control orders with stages derived from dates, due tests, daily follow-ups,
isolation sites and rooms, transfers, close contacts and retroactive risk-area tasks.

An order's stage is never stored: it follows from the order's start day and its protocol version (see
`Plan`), so moving the clock moves every order. What is stored is what people did: results, follow-ups,
check-ins, transfers and the explicit actions (release, extension, hospital, cancellation).
"""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass
from functools import cached_property

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from fangkong.people.models import Person
from fangkong.regions.models import Region


class StageKind(models.TextChoices):
    """What a stage counts as in the daily figures."""

    CENTRAL_ISOLATION = "central_isolation", _("Centralized isolation")
    HOME_ISOLATION = "home_isolation", _("Home isolation")
    HEALTH_MONITORING = "health_monitoring", _("Health monitoring")


# The stricter measure wins when a person gets a new reason (higher is stricter).
STAGE_RANK = {StageKind.CENTRAL_ISOLATION: 3, StageKind.HOME_ISOLATION: 2, StageKind.HEALTH_MONITORING: 1}


class PlaceKind(models.TextChoices):
    SITE = "site", _("Centralized isolation site")
    HOME = "home", _("Home (place)")
    ANYWHERE = "anywhere", _("Anywhere")


class Protocol(models.Model):
    """管控方案: one edition of a named, versioned sequence of stages. Never changed once saved: a change is a
    new version, so an order keeps the protocol it started with."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    code = models.SlugField(_("code"), max_length=40)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    name = models.CharField(_("name"), max_length=100)
    edition = models.CharField(_("edition"), max_length=40, blank=True)
    lookback_days = models.PositiveSmallIntegerField(
        _("lookback days"),
        default=14,
        help_text=_("A newly published risk area finds again the people who were there within these days."),
    )
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("protocol")
        verbose_name_plural = _("protocols")
        ordering = ["code", "-version"]
        constraints = [models.UniqueConstraint(fields=["code", "version"], name="protocol_code_version")]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"

    @cached_property
    def plan(self) -> Plan:
        return Plan([StagePlan.of(s) for s in self.stages.order_by("position")])


class ProtocolStage(models.Model):
    """One stage of a protocol: kind, place, duration and the test days counted from the stage's first day."""

    protocol = models.ForeignKey(Protocol, on_delete=models.CASCADE, related_name="stages")
    position = models.PositiveSmallIntegerField(_("position"))
    kind = models.CharField(_("kind"), max_length=20, choices=StageKind.choices)
    place = models.CharField(_("place"), max_length=10, choices=PlaceKind.choices)
    days = models.PositiveSmallIntegerField(_("days"))
    test_days = models.JSONField(_("test days"), default=list, blank=True)
    follow_ups_per_day = models.PositiveSmallIntegerField(_("follow-ups per day"), default=0)

    class Meta:
        verbose_name = _("protocol stage")
        verbose_name_plural = _("protocol stages")
        ordering = ["protocol", "position"]
        constraints = [models.UniqueConstraint(fields=["protocol", "position"], name="stage_position")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.days}"


@dataclass(frozen=True)
class StagePlan:
    kind: str
    place: str
    days: int
    test_days: tuple[int, ...]
    follow_ups_per_day: int

    @classmethod
    def of(cls, stage: ProtocolStage) -> StagePlan:
        return cls(
            stage.kind,
            stage.place,
            stage.days,
            tuple(sorted(int(d) for d in stage.test_days)),
            stage.follow_ups_per_day,
        )

    @property
    def kind_label(self) -> str:
        return str(StageKind(self.kind).label)


class Plan:
    """A protocol's stages as day offsets: stage i covers order days offsets[i] .. offsets[i+1]-1 (day 0 is the
    start day). An extension lengthens the last stage."""

    def __init__(self, stages: list[StagePlan]) -> None:
        self.stages = stages
        self.offsets: list[int] = []
        total = 0
        for stage in stages:
            self.offsets.append(total)
            total += stage.days
        self.total_days = total

    def stage_index(self, start: datetime.date, day: datetime.date, end: datetime.date) -> int | None:
        """The index of the stage on `day`, or None before the start or after the end day."""
        if day < start or day > end or not self.stages:
            return None
        n = (day - start).days
        for index in range(len(self.stages) - 1, -1, -1):
            if n >= self.offsets[index]:
                return index
        return None  # pragma: no cover

    def end_day(self, start: datetime.date, extra_days: int = 0) -> datetime.date:
        """The last day under control."""
        return start + datetime.timedelta(days=self.total_days + extra_days - 1)

    def test_dates(self, start: datetime.date) -> list[tuple[int, datetime.date]]:
        """(stage index, date) of every test the protocol asks for."""
        out = []
        for index, stage in enumerate(self.stages):
            for d in stage.test_days:
                out.append((index, start + datetime.timedelta(days=self.offsets[index] + d - 1)))
        return out

    def stage_starts(self, start: datetime.date) -> list[datetime.date]:
        return [start + datetime.timedelta(days=o) for o in self.offsets]


class Trigger(models.Model):
    """Which protocol a classification measure or a reason starts (the command office re-points these)."""

    key = models.CharField(_("trigger"), max_length=60, unique=True)
    protocol = models.ForeignKey(
        Protocol, verbose_name=_("protocol"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("protocol trigger")
        verbose_name_plural = _("protocol triggers")
        ordering = ["key"]

    def __str__(self) -> str:
        return self.key


class Reason(models.TextChoices):
    RETURNEE = "returnee", _("Returnee from a risk area")
    CLOSE_CONTACT = "close_contact", _("Close contact")
    SECONDARY_CONTACT = "secondary_contact", _("Secondary contact")
    POOL_POSITIVE = "pool_positive", _("Positive pool member")
    PUSH_LIST = "push_list", _("Push list")
    REFERRAL = "referral", _("Referral")


class OrderStatus(models.TextChoices):
    ACTIVE = "active", _("Under control (order)")
    RELEASED = "released", _("Released")
    HOSPITAL = "hospital", _("Transferred to hospital")
    CANCELLED = "cancelled", _("Cancelled")


class ControlOrder(models.Model):
    """管控对象: one person's staged protocol. At most one active order per person."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Empty once a closed order is past its retention period (retention.py): the order and its days stay.
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    region = models.ForeignKey(
        Region, verbose_name=_("responsible unit"), on_delete=models.PROTECT, related_name="+"
    )
    grid_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("grid worker"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    source_ref = models.CharField(_("source"), max_length=120, blank=True)
    protocol = models.ForeignKey(
        Protocol, verbose_name=_("protocol"), on_delete=models.PROTECT, related_name="orders"
    )
    start_day = models.DateField(_("start (last exposure or arrival)"))
    extra_days = models.PositiveSmallIntegerField(_("extended by days"), default=0)
    end_day = models.DateField(_("last day under control"))
    status = models.CharField(
        _("status"), max_length=10, choices=OrderStatus.choices, default=OrderStatus.ACTIVE
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    close_reason = models.CharField(_("reason for closing"), max_length=200, blank=True)
    held = models.BooleanField(_("release held"), default=False)
    held_note = models.CharField(_("why held"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("started at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("control order")
        verbose_name_plural = _("control orders")
        ordering = ["-start_day", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=Q(status="active"), name="one_active_order_per_person"
            )
        ]
        indexes = [
            models.Index(fields=["status", "protocol", "start_day"], name="order_status_start_idx"),
            # With the id: the releases due come in page order, so a page of 50 stops after 50 rows.
            models.Index(fields=["status", "end_day", "id"], name="order_status_end_id_idx"),
            # A unit's orders (the grid worker's page) without walking every active order.
            models.Index(fields=["region", "status", "end_day"], name="order_region_status_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.person_name} {self.protocol}"

    @property
    def person_name(self) -> str:
        """The person's name; empty once the order was anonymised (retention)."""
        return self.person.name if self.person is not None else ""

    @property
    def masked_document(self) -> str:
        return self.person.masked_document if self.person is not None else ""

    @property
    def subject(self) -> Person:
        """The order's person, for the actions: only a closed order past its retention period has none, and no
        action takes a closed order."""
        if self.person is None:
            raise ValueError(f"control order {self.uuid} was anonymised")
        return self.person

    @property
    def subject_id(self) -> int:
        if self.person_id is None:
            raise ValueError(f"control order {self.uuid} was anonymised")
        return int(self.person_id)

    @property
    def plan(self) -> Plan:
        return self.protocol.plan

    @property
    def release_day(self) -> datetime.date:
        """The first day free of control."""
        return self.end_day + datetime.timedelta(days=1)

    def stage_index_on(self, day: datetime.date) -> int | None:
        if self.status != OrderStatus.ACTIVE and self.closed_on is not None and day >= self.closed_on:
            return None
        return self.plan.stage_index(self.start_day, day, self.end_day)

    def stage_on(self, day: datetime.date) -> StagePlan | None:
        index = self.stage_index_on(day)
        return None if index is None else self.plan.stages[index]

    def day_number(self, day: datetime.date) -> int:
        return (day - self.start_day).days + 1

    @property
    def is_active(self) -> bool:
        return self.status == OrderStatus.ACTIVE


class ControlDay(models.Model):
    """Counts of one unit on one day, kept by the actions (`counts.py`): people under each stage kind,
    follow-ups asked and done, planned tests. The overview reads these instead of scanning the orders."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    day = models.DateField(_("day"))
    central = models.IntegerField(default=0)
    home = models.IntegerField(default=0)
    monitoring = models.IntegerField(default=0)
    asked = models.IntegerField(default=0)
    done = models.IntegerField(default=0)
    tests = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("control day")
        verbose_name_plural = _("control days")
        constraints = [models.UniqueConstraint(fields=["region", "day"], name="controlday_unit_day")]
        indexes = [models.Index(fields=["day", "region"], name="controlday_day_idx")]

    def __str__(self) -> str:
        return f"{self.region_id} {self.day}"


class TestResult(models.TextChoices):
    NEGATIVE = "negative", _("Negative")
    POSITIVE = "positive", _("Positive")
    INVALID = "invalid", _("Invalid")


class DueTest(models.Model):
    """One test an order asks for on a day (planned), or a result that arrived for another day (unplanned)."""

    order = models.ForeignKey(ControlOrder, on_delete=models.CASCADE, related_name="tests")
    stage = models.PositiveSmallIntegerField(_("stage"))
    day = models.DateField(_("day"))
    planned = models.BooleanField(default=True)
    result = models.CharField(_("result"), max_length=10, choices=TestResult.choices, blank=True)
    resulted_at = models.DateTimeField(null=True, blank=True)
    sample_uuid = models.UUIDField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("due test")
        verbose_name_plural = _("due tests")
        ordering = ["day", "id"]
        # With the id: a day's tests come in the overview's order (pending first), so its list of 50 stops early.
        indexes = [models.Index(fields=["day", "result", "id"], name="duetest_day_result_id_idx")]

    def __str__(self) -> str:
        return f"{self.order_id} {self.day}"


SYMPTOMS = [
    ("fever", _("Fever")),
    ("cough", _("Cough")),
    ("fatigue", _("Fatigue")),
    ("sore_throat", _("Sore throat")),
    ("taste_smell", _("Loss of taste or smell")),
    ("other", _("Other symptom")),
]
FEVER = 37.3


class FollowUp(models.Model):
    """每日随访: one follow-up of a person under home isolation or health monitoring."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    order = models.ForeignKey(ControlOrder, on_delete=models.CASCADE, related_name="follow_ups")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    day = models.DateField(_("day"))
    temperature = models.DecimalField(_("temperature (°C)"), max_digits=3, decimal_places=1)
    symptoms = models.JSONField(_("symptoms"), default=list, blank=True)
    at_home = models.BooleanField(_("at home"), default=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    alert = models.BooleanField(_("alert"), default=False)
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["-recorded_at", "-id"]
        indexes = [models.Index(fields=["day", "order"], name="followup_day_order_idx")]

    def __str__(self) -> str:
        return f"{self.order_id} {self.day} {self.temperature}"

    @property
    def symptom_labels(self) -> list[str]:
        names = dict(SYMPTOMS)
        return [str(names.get(s, s)) for s in self.symptoms]


class SiteStatus(models.TextChoices):
    OPEN = "open", _("Open")
    STANDBY = "standby", _("Standby")
    DISINFECTION = "disinfection", _("Closed for disinfection")


class IsolationSite(models.Model):
    """集中隔离场所."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    region = models.ForeignKey(Region, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=100)
    address = models.CharField(_("address"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=SiteStatus.choices, default=SiteStatus.OPEN)
    # The site's staff; their shifts live in the duty app's roster (`duty.public.shifts_of`).
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("staff"), related_name="isolation_sites", blank=True
    )

    class Meta:
        verbose_name = _("isolation site")
        verbose_name_plural = _("isolation sites")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class Room(models.Model):
    site = models.ForeignKey(IsolationSite, on_delete=models.CASCADE, related_name="rooms")
    number = models.CharField(_("room"), max_length=20)

    class Meta:
        verbose_name = _("room")
        verbose_name_plural = _("rooms")
        ordering = ["site", "number"]
        constraints = [models.UniqueConstraint(fields=["site", "number"], name="room_number_in_site")]

    def __str__(self) -> str:
        return f"{self.site} {self.number}"


class Stay(models.Model):
    """A person's stay in a room: one open stay per room (a family shares one stay's room through `family_of`)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    order = models.ForeignKey(ControlOrder, on_delete=models.PROTECT, related_name="stays")
    room = models.ForeignKey(Room, on_delete=models.PROTECT, related_name="stays")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    checked_in_at = models.DateTimeField(_("checked in at"))
    checked_out_at = models.DateTimeField(_("checked out at"), null=True, blank=True)
    family_of = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("stay")
        verbose_name_plural = _("stays")
        ordering = ["-checked_in_at"]
        constraints = [
            # The last-room race ends here: two check-ins to one room, only one open stay survives.
            models.UniqueConstraint(
                fields=["room"],
                condition=Q(checked_out_at__isnull=True, family_of__isnull=True),
                name="one_open_stay_per_room",
            )
        ]

    def __str__(self) -> str:
        return f"{self.room} {self.checked_in_at}"


class PlaceType(models.TextChoices):
    HOME = "home", _("Home (place)")
    SITE = "site", _("Isolation site")
    HOSPITAL = "hospital", _("Hospital")
    FEVER_CLINIC = "fever_clinic", _("Fever clinic")
    CHECKPOINT = "checkpoint", _("Checkpoint")
    CLINIC = "clinic", _("Village clinic or pharmacy")


# Until the command office sets it (`ControlSettings.transfer_hours`).
DEFAULT_TRANSFER_HOURS = 4


class ControlSettings(models.Model):
    """管控参数: the command office's settings of the control module, one row (data, not code)."""

    transfer_hours = models.PositiveSmallIntegerField(
        _("transfer hours"),
        default=DEFAULT_TRANSFER_HOURS,
        help_text=_("A closed-loop transfer not completed this many hours after leaving is flagged."),
    )
    changed_at = models.DateTimeField(null=True, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("control settings")
        verbose_name_plural = _("control settings")
        constraints = [models.CheckConstraint(condition=Q(pk=1), name="control_settings_one_row")]

    def __str__(self) -> str:
        return str(self._meta.verbose_name)

    @classmethod
    def current(cls) -> ControlSettings:
        """The settings row (the defaults until the command office saves them)."""
        return cls.objects.filter(pk=1).first() or cls(pk=1)


class Transfer(models.Model):
    """闭环转运: one move between home, site, hospital and fever clinic."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    order = models.ForeignKey(ControlOrder, on_delete=models.PROTECT, related_name="transfers")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    from_place = models.CharField(_("departure"), max_length=12, choices=PlaceType.choices)
    to_place = models.CharField(_("destination"), max_length=12, choices=PlaceType.choices)
    vehicle = models.CharField(_("vehicle"), max_length=40, blank=True)
    escort = models.CharField(_("escort"), max_length=60, blank=True)
    to_name = models.CharField(_("destination name"), max_length=100, blank=True)
    proposed = models.BooleanField(_("proposed, not yet started"), default=False)
    left_at = models.DateTimeField(_("left at"), null=True, blank=True)
    arrived_at = models.DateTimeField(_("arrived at"), null=True, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("transfer")
        verbose_name_plural = _("transfers")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.from_place} → {self.to_place}"

    def is_overdue(self, now: datetime.datetime, hours: int) -> bool:
        """Left more than `hours` (`ControlSettings.transfer_hours`) ago and not arrived."""
        if self.arrived_at is not None or self.left_at is None:
            return False
        return now - self.left_at > datetime.timedelta(hours=hours)


class ContactKind(models.TextChoices):
    CLOSE = "close", _("Close contact")
    SECONDARY = "secondary", _("Secondary contact")


class ContactLink(models.Model):
    """密接/次密接: a contact of a case or positive person (the index)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    index_person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    contact = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=10, choices=ContactKind.choices)
    last_exposure = models.DateField(_("last exposure"))
    place = models.CharField(_("place of exposure"), max_length=200, blank=True)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["index_person", "contact"], name="contact_once")]

    def __str__(self) -> str:
        return f"{self.index_person_id} → {self.contact_id}"


class RetroTask(models.Model):
    """A person found again by a newly published risk area, handed to the grid worker."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    grid_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    area_name = models.CharField(_("risk area"), max_length=200)
    returned_on = models.DateField(_("returned on"))
    measure_code = models.CharField(_("new measure"), max_length=40)
    order = models.ForeignKey(
        ControlOrder, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField()
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)

    class Meta:
        verbose_name = _("re-screening task")
        verbose_name_plural = _("re-screening tasks")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.person_id} {self.area_name}"
