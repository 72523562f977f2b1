"""Every change of field work: places, disinfection records, teams, members, tasks. Validated, saved and audited in
one transaction; each takes `now` so it can be tested and replayed."""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.db.models.fields.files import FieldFile
from django.utils.translation import gettext as _

from fangkong.accounts.access import has_perm, in_jurisdiction
from fangkong.accounts.models import User
from fangkong.accounts.permissions import Perm, Role
from fangkong.audit.actions import record
from fangkong.audit.models import AuditAction
from fangkong.fieldwork.models import (
    DisinfectionPlace,
    DisinfectionRecord,
    FieldTask,
    PlaceKind,
    TaskKind,
    TaskStatus,
    Team,
    TeamKind,
    TeamMember,
)
from fangkong.lib.photos import CleanPhoto
from fangkong.lib.reporting_day import local_date
from fangkong.people.models import Household
from fangkong.regions.models import Level, Region

log = logging.getLogger(__name__)

MAX_AREA_M2 = 1_000_000
MAX_LITRES = 1000
# A phone may record a disinfection done up to this long ago (offline for a weekend), never in the future.
MAX_RECORD_AGE = datetime.timedelta(days=7)
CLOCK_SKEW = datetime.timedelta(minutes=10)
MAX_EVERY_DAYS = 30


def _check_manager(actor: User, region: Region, field: str = "region") -> None:
    if not has_perm(actor, Perm.FIELDWORK_MANAGE) or not in_jurisdiction(actor, region):
        raise ValidationError({field: _("You cannot manage field work of this unit.")})


@transaction.atomic
def do_create_place(
    actor: User, *, region: Region, kind: str, name: str, address: str = "", now: datetime.datetime
) -> DisinfectionPlace:
    _check_manager(actor, region)
    if kind not in PlaceKind.values:
        raise ValidationError({"kind": _("Choose a kind of place.")})
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the place a name.")})
    if DisinfectionPlace.objects.filter(region=region, name=name).exists():
        raise ValidationError({"name": _("This unit already has a place of this name.")})
    place = DisinfectionPlace.objects.create(
        region=region, kind=kind, name=name[:100], address=(address or "").strip()[:200], created_at=now
    )
    record(actor, AuditAction.CREATE, obj=place, changes={"name": [None, place.name]}, now=now)
    return place


@dataclass(frozen=True)
class DisinfectionInput:
    area_m2: int
    agent: str
    concentration: str
    done_at: datetime.datetime
    note: str = ""
    litres: int | None = None  # disinfectant drawn from the unit's warehouse, when given
    photo: CleanPhoto | None = None  # checked and re-encoded before the transaction (lib/photos.clean_photo)


def check_disinfection(data: DisinfectionInput, now: datetime.datetime) -> DisinfectionInput:
    errors: dict[str, str] = {}
    if not 1 <= data.area_m2 <= MAX_AREA_M2:
        errors["area_m2"] = _("Give the area disinfected in m², between 1 and 1000000.")
    if not data.agent.strip():
        errors["agent"] = _("Name the disinfectant used.")
    if not data.concentration.strip():
        errors["concentration"] = _("Give the concentration, e.g. 500 mg/L.")
    if data.done_at.tzinfo is None:
        errors["done_at"] = _("Give the time of the disinfection.")
    elif data.done_at > now + CLOCK_SKEW:
        errors["done_at"] = _("A disinfection cannot be in the future.")
    elif data.done_at < now - MAX_RECORD_AGE:
        errors["done_at"] = _("A disinfection is recorded within seven days.")
    if data.litres is not None and not 0 <= data.litres <= MAX_LITRES:
        errors["litres"] = _("Give the disinfectant drawn in litres, between 0 and 1000.")
    if errors:
        raise ValidationError(errors)
    return data


def _draw_disinfectant(
    actor: User, place: DisinfectionPlace, litres: int, ref: str, now: datetime.datetime
) -> str:
    """Best effort: draw from the unit's warehouse; a missing warehouse or short stock is noted, not an error
    (the disinfection happened either way)."""
    from fangkong.supplies.public import InsufficientStock, NoWarehouse, draw_items

    try:
        with transaction.atomic():
            draw_items(
                region=place.region,
                item_code="disinfectant",
                quantity=litres,
                reason=_("Disinfection of %(place)s") % {"place": place.name},
                ref=ref,
                now=now,
                actor=actor,
            )
    except (NoWarehouse, InsufficientStock, LookupError, ValidationError) as exc:
        log.info("disinfectant not drawn for %s: %s", place.uuid, exc)
        return (_("Not drawn: %(why)s") % {"why": "; ".join(getattr(exc, "messages", [str(exc)]))})[:200]
    return (_("%(n)d L drawn") % {"n": litres})[:200]


@transaction.atomic
def do_record_disinfection(
    actor: User,
    place: DisinfectionPlace,
    data: DisinfectionInput,
    *,
    now: datetime.datetime,
    task: FieldTask | None = None,
) -> DisinfectionRecord:
    """Record a disinfection of `place`. The recorder holds DISINFECTION_RECORD inside the place's unit, or is
    completing their own disinfection task of this place (a volunteer)."""
    by_task = task is not None and task.place_id == place.pk and may_complete(actor, task)
    if not by_task and (
        not has_perm(actor, Perm.DISINFECTION_RECORD) or not in_jurisdiction(actor, place.region)
    ):
        raise ValidationError({"place": _("You cannot record disinfections of this place.")})
    if not place.is_active:
        raise ValidationError({"place": _("This place is no longer kept.")})
    data = check_disinfection(data, now)
    entry = DisinfectionRecord(
        place=place,
        region=place.region,
        day=local_date(data.done_at),
        done_at=data.done_at,
        area_m2=data.area_m2,
        agent=data.agent.strip()[:60],
        concentration=data.concentration.strip()[:40],
        note=data.note.strip()[:200],
        recorded_by=actor,
        recorded_at=now,
    )
    if data.photo is not None:
        _keep_photo(entry.photo, data.photo, entry.uuid)
    entry.save()
    if data.litres:
        entry.supply_note = _draw_disinfectant(actor, place, data.litres, f"fieldwork:{entry.uuid}", now)
        entry.save(update_fields=["supply_note"])
    # A late replay of an older record does not move the place's last disinfection back.
    DisinfectionPlace.objects.filter(pk=place.pk).filter(
        Q(last_disinfected_at__isnull=True) | Q(last_disinfected_at__lt=data.done_at)
    ).update(last_disinfected_at=data.done_at)
    record(
        actor,
        AuditAction.CREATE,
        obj=entry,
        changes={"area_m2": [None, entry.area_m2], "agent": [None, f"{entry.agent} {entry.concentration}"]},
        now=now,
    )
    return entry


def _keep_photo(target: FieldFile, photo: CleanPhoto, key: object) -> None:
    """Store an already re-encoded photo in a record's file field (saved with the record)."""
    target.save(f"{key}.jpg", ContentFile(photo.content), save=False)


# ---------------------------------------------------------------------------------------------------
# Teams and members


@transaction.atomic
def do_create_team(
    actor: User, *, region: Region, kind: str, name: str, is_party_team: bool = False, now: datetime.datetime
) -> Team:
    """A team belongs to a village or a township (sub-district)."""
    _check_manager(actor, region)
    if region.level not in (Level.VILLAGE, Level.TOWNSHIP):
        raise ValidationError({"region": _("A team belongs to a village or a township.")})
    if kind not in TeamKind.values:
        raise ValidationError({"kind": _("Choose the kind of team.")})
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the team a name.")})
    if Team.objects.filter(region=region, name=name).exists():
        raise ValidationError({"name": _("This unit already has a team of this name.")})
    team = Team.objects.create(
        region=region, kind=kind, name=name[:100], is_party_team=is_party_team, created_at=now
    )
    record(actor, AuditAction.CREATE, obj=team, changes={"name": [None, team.name]}, now=now)
    return team


@transaction.atomic
def do_add_member(
    actor: User,
    team: Team,
    *,
    user: User | None = None,
    name: str = "",
    is_party_member: bool = False,
    now: datetime.datetime,
) -> TeamMember:
    """Add a member: an account working inside the team's unit, or a name only (no account, no tasks page)."""
    _check_manager(actor, team.region, "user")
    if user is not None:
        if not user.is_active or not in_jurisdiction(actor, user.region) or user.region is None:
            raise ValidationError({"user": _("Choose an account of your jurisdiction.")})
        if not (team.region.contains(user.region) or user.region.contains(team.region)):
            raise ValidationError({"user": _("The account works outside the team's unit.")})
        name = name.strip() or user.full_name or user.username
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the member's name.")})
    try:
        with transaction.atomic():
            member = TeamMember.objects.create(
                team=team, user=user, name=name[:50], is_party_member=is_party_member, joined_at=now
            )
    except IntegrityError:
        raise ValidationError({"user": _("This account is already a member of the team.")}) from None
    record(
        actor,
        AuditAction.CREATE,
        obj=member,
        region=team.region,
        changes={"team": [None, team.name]},
        now=now,
    )
    return member


# ---------------------------------------------------------------------------------------------------
# Tasks


@transaction.atomic
def do_assign_task(
    actor: User,
    team: Team,
    *,
    kind: str,
    title: str,
    due_on: datetime.date,
    assignee: TeamMember | None = None,
    place: DisinfectionPlace | None = None,
    household: Household | None = None,
    every_days: int | None = None,
    now: datetime.datetime,
) -> FieldTask:
    """A task for the team or one member; with `every_days`, a recurring one (done, the next is due then)."""
    _check_manager(actor, team.region, "team")
    if every_days is not None and not 1 <= every_days <= MAX_EVERY_DAYS:
        raise ValidationError({"every_days": _("Repeat every 1 to 30 days, or leave it empty for once.")})
    if kind not in TaskKind.values:
        raise ValidationError({"kind": _("Choose the kind of task.")})
    if assignee is not None and (assignee.team_id != team.pk or not assignee.is_active):
        raise ValidationError({"assignee": _("The member is not in this team.")})
    if kind == TaskKind.DISINFECTION and place is None:
        raise ValidationError({"place": _("Choose the place to disinfect.")})
    if place is not None and not in_jurisdiction(actor, place.region):
        raise ValidationError({"place": _("Choose a place of your jurisdiction.")})
    if household is not None and not in_jurisdiction(actor, household.region):
        raise ValidationError({"household": _("Choose a household of your jurisdiction.")})
    if kind == TaskKind.DELIVERY and household is None:
        raise ValidationError({"household": _("Choose the household to deliver to.")})
    if due_on < local_date(now):
        raise ValidationError({"due_on": _("A task is due today or later.")})
    title = (title or "").strip() or (place.name if place else "") or str(TaskKind(kind).label)
    task = FieldTask.objects.create(
        region=place.region if place else (household.region if household else team.region),
        team=team,
        assignee=assignee,
        kind=kind,
        title=str(title)[:200],
        place=place,
        household=household,
        due_on=due_on,
        every_days=every_days or None,
        created_by=actor,
        created_at=now,
    )
    record(actor, AuditAction.CREATE, obj=task, changes={"task": [None, task.title]}, now=now)
    return task


def _next_of(actor: User, task: FieldTask, now: datetime.datetime) -> FieldTask | None:
    """The next round of a recurring task, due `every_days` after its due day (after today, if done late); none
    when its place is no longer kept or its member has left."""
    if not task.every_days:
        return None
    if (task.place is not None and not task.place.is_active) or (
        task.assignee is not None and not task.assignee.is_active
    ):
        return None
    due_on = max(task.due_on, local_date(now)) + datetime.timedelta(days=task.every_days)
    following = FieldTask.objects.create(
        region=task.region,
        team=task.team,
        assignee=task.assignee,
        kind=task.kind,
        title=task.title,
        place=task.place,
        household=task.household,
        due_on=due_on,
        every_days=task.every_days,
        created_by=task.created_by,
        created_at=now,
    )
    record(
        actor,
        AuditAction.CREATE,
        obj=following,
        changes={"task": [None, following.title], "due_on": [None, str(due_on)]},
        note="recurring",
        now=now,
    )
    return following


def may_complete(actor: User, task: FieldTask) -> bool:
    """The task's assignee, a member of its team when nobody is assigned, or a manager of its unit."""
    if not isinstance(actor, User) or not has_perm(actor, Perm.FIELD_TASKS):
        return False
    if has_perm(actor, Perm.FIELDWORK_MANAGE) and in_jurisdiction(actor, task.region):
        return True
    if task.assignee_id is not None:
        return task.assignee is not None and task.assignee.user_id == actor.pk and task.assignee.is_active
    return TeamMember.objects.filter(team_id=task.team_id, user=actor, is_active=True).exists()


class StaleTask(ValidationError):
    """The task changed on the server since the device loaded it (`version` is what the server holds)."""

    current: FieldTask


@transaction.atomic
def do_complete_task(
    actor: User,
    task: FieldTask,
    *,
    note: str,
    now: datetime.datetime,
    base_version: int | None = None,
    disinfection: DisinfectionInput | None = None,
    photo: CleanPhoto | None = None,
) -> FieldTask:
    """Mark a task done with a note; a disinfection task records its disinfection in the same transaction.
    A device that loaded version `base_version` of a task changed since gets StaleTask, never an overwrite."""
    task = (
        FieldTask.objects.select_for_update(of=("self",))
        .select_related("assignee", "place", "team")
        .get(pk=task.pk)
    )
    if not may_complete(actor, task):
        raise ValidationError({"task": _("This task is not yours.")})
    if (base_version is not None and base_version != task.version) or task.status != TaskStatus.OPEN:
        error = StaleTask({"task": _("The task changed since you loaded it.")})
        error.current = task
        raise error
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("Say what was done.")})
    if task.kind == TaskKind.DISINFECTION:
        if disinfection is None or task.place is None:
            raise ValidationError(
                {"area_m2": _("Record the disinfection: area, disinfectant and concentration.")}
            )
        do_record_disinfection(actor, task.place, disinfection, now=now, task=task)
    task.status, task.note, task.done_at, task.done_by = TaskStatus.DONE, note[:300], now, actor
    task.version += 1
    fields = ["status", "note", "done_at", "done_by", "version"]
    if photo is not None:
        _keep_photo(task.photo, photo, task.uuid)
        fields.append("photo")
    task.save(update_fields=fields)
    record(
        actor,
        AuditAction.UPDATE,
        obj=task,
        changes={"status": [TaskStatus.OPEN, TaskStatus.DONE]},
        note=note[:200],
        now=now,
    )
    _next_of(actor, task, now)
    return task


def is_volunteer(user: User) -> bool:
    return user.role == Role.VOLUNTEER
