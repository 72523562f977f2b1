"""Every change in screening: `check_*`/`parse_*` validate, `do_*` save and audit in one transaction."""

from __future__ import annotations

import csv
import datetime
import io
import itertools
import re
import secrets
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fangkong.accounts.models import User
from fangkong.accounts.permissions import Role
from fangkong.audit.actions import diff, record, snapshot
from fangkong.audit.models import AuditAction
from fangkong.lib.dates import event_day_error
from fangkong.lib.masking import mask_phone
from fangkong.lib.reporting_day import local_date
from fangkong.lib.spreadsheets import SpreadsheetError, open_sheet
from fangkong.people.actions import (
    check_phone,
    do_register_person,
    do_request_transfer,
    do_update_person,
    needs_transfer,
)
from fangkong.people.models import DocumentType, Household
from fangkong.regions.models import Level, Region, path_prefix
from fangkong.screening.models import (
    ClassificationRule,
    ControlMeasure,
    HouseholdVisit,
    ReturneeReport,
    ReturnStatus,
    RiskArea,
    RiskLevel,
    RuleCondition,
    ScreeningCampaign,
    SpecialSituation,
    TransportMode,
    joined_origin,
    special_situations_of,
)
from fangkong.screening.risk import is_starred_city, normalise, risk_level_at
from fangkong.screening.rules import classify

# ---------------------------------------------------------------------------------------------------
# Risk areas


@dataclass
class AreaRow:
    name: str
    level: RiskLevel
    effective_from: datetime.date | None = None
    region_code: str = ""
    note: str = ""


_LEVEL_WORDS = {
    "高": RiskLevel.HIGH,
    "高风险": RiskLevel.HIGH,
    "high": RiskLevel.HIGH,
    "中": RiskLevel.MEDIUM,
    "中风险": RiskLevel.MEDIUM,
    "medium": RiskLevel.MEDIUM,
    "低": RiskLevel.LOW,
    "低风险": RiskLevel.LOW,
    "low": RiskLevel.LOW,
}
_SPLIT = re.compile(r"[\s,，;；\t]+")
_HEADERS = {
    "name": "name",
    "地区": "name",
    "名称": "name",
    "地区名称": "name",
    "area": "name",
    "level": "level",
    "风险等级": "level",
    "等级": "level",
    "effective_from": "effective_from",
    "生效日期": "effective_from",
    "起始日期": "effective_from",
    "region_code": "region_code",
    "区划代码": "region_code",
    "note": "note",
    "备注": "note",
}
MAX_IMPORT_ROWS = 5000


def parse_level(raw: str) -> RiskLevel | None:
    return _LEVEL_WORDS.get(normalise(raw).lower())


def parse_risk_list(text: str) -> list[AreaRow]:
    """A pasted published list: one area per line, its level before or after the name (`高风险 南京市…`).

    Lines that name a level only (`中风险地区:`) set the level for the lines below them, as published
    lists are usually grouped that way.
    """
    rows: list[AreaRow] = []
    errors: list[str] = []
    current: RiskLevel | None = None
    for number, line in enumerate((text or "").splitlines(), start=1):
        parts = [p for p in _SPLIT.split(line.strip().rstrip(":：")) if p]
        if not parts:
            continue
        levels = [lvl for p in parts if (lvl := parse_level(p.removesuffix("地区")))]
        names = [p for p in parts if not parse_level(p.removesuffix("地区"))]
        if levels and not names:
            current = levels[0]
            continue
        level = levels[0] if levels else current
        if level is None:
            errors.append(_("Line %(n)d: no risk level (高/中/低).") % {"n": number})
            continue
        rows.append(AreaRow(name="".join(names)[:200], level=level))
    if errors:
        raise ValidationError({"text": errors})
    if not rows:
        raise ValidationError({"text": _("No areas found.")})
    return rows


def _parse_date(raw: Any) -> datetime.date | None:
    if raw is None or raw == "":
        return None
    if isinstance(raw, datetime.datetime):
        return raw.date()
    if isinstance(raw, datetime.date):
        return raw
    try:
        return datetime.date.fromisoformat(str(raw).strip().replace("/", "-")[:10])
    except ValueError:
        return None


def _table_rows(name: str, content: bytes) -> list[list[Any]]:
    if name.lower().endswith((".xlsx", ".xls")):
        # Hostile workbooks are checked and read in a child process under a memory limit (lib.spreadsheets).
        with tempfile.NamedTemporaryFile(suffix=".xlsx") as fh:
            fh.write(content)
            fh.flush()
            with open_sheet(Path(fh.name), max_rows=MAX_IMPORT_ROWS) as sheet:
                return list(itertools.islice(sheet.rows(), MAX_IMPORT_ROWS + 1))
    if b"\x00" in content:
        raise SpreadsheetError(_("The file contains NUL characters; save it as UTF-8 CSV or XLSX."))
    text = content.decode("utf-8-sig", errors="replace")
    return [list(r) for r in itertools.islice(csv.reader(io.StringIO(text)), MAX_IMPORT_ROWS + 1)]


def parse_risk_file(name: str, content: bytes) -> list[AreaRow]:
    """A CSV or XLSX file whose header row names 地区, 风险等级 and optionally 生效日期, 区划代码, 备注."""
    try:
        table = _table_rows(name, content)
    except SpreadsheetError as exc:
        raise ValidationError({"file": exc.message}) from None
    except Exception as exc:  # a broken upload must read as a form error, whatever the parser raised
        raise ValidationError({"file": _("The file could not be read.")}) from exc
    if not table:
        raise ValidationError({"file": _("The file is empty.")})
    header = [_HEADERS.get(normalise(str(h)).lower(), "") for h in table[0]]
    if "name" not in header or "level" not in header:
        raise ValidationError(
            {"file": _("The first row must name the columns 地区 (name) and 风险等级 (level).")}
        )
    rows: list[AreaRow] = []
    errors: list[str] = []
    for number, raw in enumerate(table[1 : MAX_IMPORT_ROWS + 1], start=2):
        values = {
            col: ("" if value is None else value) for col, value in zip(header, raw, strict=False) if col
        }
        area_name = normalise(str(values.get("name", "")))
        if not area_name:
            continue
        level = parse_level(str(values.get("level", "")))
        if level is None:
            errors.append(_("Row %(n)d: unknown risk level.") % {"n": number})
            continue
        rows.append(
            AreaRow(
                area_name[:200],
                level,
                _parse_date(values.get("effective_from")),
                str(values.get("region_code", "")).strip()[:32],
                str(values.get("note", "")).strip()[:500],
            )
        )
    if errors:
        raise ValidationError({"file": errors[:20]})
    if not rows:
        raise ValidationError({"file": _("No areas found.")})
    return rows


@dataclass
class PublishResult:
    created: int = 0
    unchanged: int = 0
    relisted: int = 0


@transaction.atomic
def do_publish_risk_areas(
    actor: User | None,
    rows: list[AreaRow],
    *,
    effective_from: datetime.date,
    source: str = "",
    now: datetime.datetime | None = None,
) -> PublishResult:
    """Record a published list. One place has one level at a time, and history is never deleted: an area
    already at that level on the day stays as it is; otherwise the new entry ends the entry in force on its
    day (or splits it, taking over the rest of its period) and runs until the next later entry of the place."""
    result = PublishResult()
    published: list[int] = []
    for row in rows:
        starts = row.effective_from or effective_from
        # Lock the place's entries: two lists published together must not both split the same period.
        entries = list(
            RiskArea.objects.select_for_update().filter(name=row.name).order_by("effective_from", "id")
        )
        current = next((a for a in entries if a.is_current_on(starts)), None)
        if current is not None and current.level == row.level:
            result.unchanged += 1
            continue
        later = [a.effective_from for a in entries if a.effective_from > starts]
        ends = min(later, default=None)
        if current is not None:
            if current.lifted_on is not None and (ends is None or current.lifted_on < ends):
                ends = current.lifted_on
            old_end = current.lifted_on
            # Ended from the new entry's day; an entry of the same day is superseded (never in force again,
            # kept for the record).
            current.lifted_on = starts
            current.save(update_fields=["lifted_on"])
            record(
                actor,
                AuditAction.UPDATE,
                obj=current,
                changes={"lifted_on": [old_end.isoformat() if old_end else None, starts.isoformat()]},
            )
            result.relisted += 1
        area = RiskArea.objects.create(
            name=row.name,
            level=row.level,
            effective_from=starts,
            lifted_on=ends,
            region_code=row.region_code,
            note=row.note,
            source=source[:200],
            created_by=actor,
        )
        record(
            actor,
            AuditAction.CREATE,
            obj=area,
            changes=diff({}, snapshot(area, ["name", "level", "effective_from", "lifted_on", "source"])),
        )
        result.created += 1
        if area.level in (RiskLevel.HIGH, RiskLevel.MEDIUM):
            published.append(area.pk)
    if published:
        from fangkong.screening.signals import risk_areas_published

        risk_areas_published.send(RiskArea, area_ids=published, actor=actor, now=now or timezone.now())
    return result


@transaction.atomic
def do_lift_risk_area(actor: User | None, area: RiskArea, lifted_on: datetime.date) -> RiskArea:
    """Lift an area from `lifted_on` (it is no longer in force on that day); the row itself stays."""
    area = RiskArea.objects.select_for_update().get(pk=area.pk)
    if area.lifted_on is not None:
        raise ValidationError({"lifted_on": _("This area has already been lifted.")})
    if lifted_on <= area.effective_from:
        raise ValidationError({"lifted_on": _("An area can only be lifted after the day it took effect.")})
    area.lifted_on = lifted_on
    area.save(update_fields=["lifted_on"])
    record(actor, AuditAction.UPDATE, obj=area, changes={"lifted_on": [None, lifted_on.isoformat()]})
    return area


# ---------------------------------------------------------------------------------------------------
# Classification rules and measures


RULE_FIELDS = ["priority", "condition", "special_situation", "measure", "active", "note"]


def check_rule(condition: str, special_situation: str, measure: ControlMeasure) -> None:
    if condition not in RuleCondition.values:
        raise ValidationError({"condition": _("Unknown condition.")})
    if special_situation and special_situation not in SpecialSituation.values:
        raise ValidationError({"special_situation": _("Unknown special situation.")})
    if not measure.active:
        raise ValidationError({"measure": _("This measure is not active.")})


@transaction.atomic
def do_save_rule(actor: User, rule: ClassificationRule | None, **values: Any) -> ClassificationRule:
    """Create (rule None) or change a classification rule; the next classification uses it."""
    check_rule(values["condition"], values.get("special_situation", ""), values["measure"])
    before = snapshot(rule, RULE_FIELDS) if rule is not None else {}
    rule = rule or ClassificationRule()
    for name in RULE_FIELDS:
        if name in values:
            setattr(rule, name, values[name])
    rule.save()
    record(
        actor,
        AuditAction.UPDATE if before else AuditAction.CREATE,
        obj=rule,
        changes=diff(before, snapshot(rule, RULE_FIELDS)),
    )
    return rule


@transaction.atomic
def do_save_measure(actor: User, measure: ControlMeasure | None, **values: Any) -> ControlMeasure:
    fields = ["code", "name_zh", "name_en", "is_control", "active", "sort_order"]
    code = values.get("code", measure.code if measure else "")
    if measure is None and ControlMeasure.objects.filter(code=code).exists():
        raise ValidationError({"code": _("A measure with this code exists.")})
    if measure is not None and not values.get("active", True) and measure.rules.filter(active=True).exists():
        raise ValidationError({"active": _("Active rules still use this measure.")})
    before = snapshot(measure, fields) if measure is not None else {}
    measure = measure or ControlMeasure()
    for name in fields:
        if name in values and not (name == "code" and measure.pk):
            setattr(measure, name, values[name])
    measure.save()
    record(
        actor,
        AuditAction.UPDATE if before else AuditAction.CREATE,
        obj=measure,
        changes=diff(before, snapshot(measure, fields)),
    )
    return measure


# ---------------------------------------------------------------------------------------------------
# Returnee reports (双报告)


@dataclass
class ReturneeInput:
    """The fields of 返乡人员登记表, as a form or schema delivers them."""

    name: str
    document_number: str
    origin_province: str
    status: str
    return_date: datetime.date
    transport_mode: str
    document_type: str = DocumentType.RESIDENT_ID
    phone: str = ""
    household_number: str = ""
    address: str = ""
    origin_city: str = ""
    origin_county: str = ""
    origin_township: str = ""
    origin_village: str = ""
    reason: str = ""
    transport_number: str = ""
    symptoms: str = ""
    negative_test: bool = False
    negative_test_date: datetime.date | None = None
    travel_history: str = ""
    recovered_case: bool = False
    close_contact: bool = False
    contact_name: str = ""
    contact_phone: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def origin(self) -> str:
        return joined_origin(self)

    @property
    def special_situations(self) -> set[str]:
        return special_situations_of(self)


REPORT_FIELDS = [
    "origin_province",
    "origin_city",
    "origin_county",
    "origin_township",
    "origin_village",
    "address",
    "status",
    "return_date",
    "reason",
    "transport_mode",
    "transport_number",
    "symptoms",
    "negative_test",
    "negative_test_date",
    "travel_history",
    "recovered_case",
    "close_contact",
    "contact_name",
]
AUDITED_REPORT_FIELDS = [
    "channel",
    "region",
    "origin_risk_level",
    "status",
    "return_date",
    "proposed_measure",
    "assigned_to",
    "receipt_number",
]


def check_returnee(data: ReturneeInput, today: datetime.date) -> str:
    """Validate what the person fields do not; returns the normalised contact phone."""
    errors: dict[str, str] = {}
    if not data.document_number.strip():
        errors["document_number"] = _("Enter the document number.")
    if not data.origin_province.strip():
        errors["origin_province"] = _("Enter the province you come from.")
    if data.status not in ReturnStatus.values:
        errors["status"] = _("Choose whether you have returned or will return.")
    elif data.status == ReturnStatus.RETURNED and data.return_date > today:
        errors["return_date"] = _("A return that has happened cannot be in the future.")
    elif data.status == ReturnStatus.WILL_RETURN and data.return_date < today:
        errors["return_date"] = _("An expected return date cannot be in the past.")
    # The API path has no form: the same plausibility window as the form's fields (one rule, one place).
    for name in ("return_date", "negative_test_date"):
        day = getattr(data, name)
        if day is not None and name not in errors and (message := event_day_error(day, today=today)):
            errors[name] = message
    if data.transport_mode not in TransportMode.values:
        errors["transport_mode"] = _("Choose the means of transport.")
    elif data.transport_mode == TransportMode.SELF_DRIVE and not data.transport_number.strip():
        errors["transport_number"] = _("Enter the plate number of the car.")
    if data.negative_test:
        if data.negative_test_date is None:
            errors["negative_test_date"] = _("Enter the date of the negative test.")
        elif not (
            data.return_date - datetime.timedelta(days=2) <= data.negative_test_date <= data.return_date
        ):
            errors["negative_test_date"] = _("The negative test must be within 48 hours before the return.")
    if errors:
        raise ValidationError(errors)
    return check_phone(data.contact_phone) if data.contact_phone.strip() else ""


def new_receipt_number(now: datetime.datetime) -> str:
    """`FK20240801-7KQ2M9`: the day, then random characters that are easy to read out on the phone."""
    alphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
    return f"FK{local_date(now):%Y%m%d}-" + "".join(secrets.choice(alphabet) for _i in range(6))


def grid_worker_of(region: Region | None) -> User | None:
    """The grid worker responsible for a grid (the first active one), or None for a village."""
    if region is None or region.level != Level.GRID:
        return None
    return User.objects.filter(region=region, role=Role.GRID_WORKER, is_active=True).order_by("id").first()


@transaction.atomic
def do_register_returnee(
    actor: User | None, *, channel: str, region: Region, data: ReturneeInput, now: datetime.datetime
) -> ReturneeReport:
    """Register one report (self or grid) about a returnee arriving in `region` (village or grid).

    The person is found or registered by document number, so both channels land on the same person; the
    origin's risk level is judged on the return date; the rules propose a measure; the grid worker of the
    person's grid is assigned.
    """
    if region.level not in (Level.VILLAGE, Level.GRID):
        raise ValidationError({"region": _("Choose a village or a grid.")})
    contact_phone = check_returnee(data, local_date(now))
    person, _created = do_register_person(
        actor,
        name=data.name,
        region=region,
        document_type=data.document_type,
        document_number=data.document_number,
        phone=data.phone,
        address=data.address,
        household_number=data.household_number,
    )
    # A grid report places a person known only at village level into the grid where they were found.
    if person.region_id != region.pk and region.level == Level.GRID and region.parent_id == person.region_id:
        person = do_update_person(actor, person, region=region)
    # A person another village holds stays there, unseen by the registering unit (the report shows what was
    # typed); the holding unit is asked to hand them over, and decides.
    transfer_needed = needs_transfer(person, region)
    grid = region if region.level == Level.GRID else (None if transfer_needed else person.grid)
    report = ReturneeReport(
        person=person,
        channel=channel,
        reported_name=data.name.strip(),
        reported_phone=check_phone(data.phone),
        region=region,
        region_path=region.path,
        home_path=person.region.path,
        household=None if transfer_needed else person.household,
        contact_phone=contact_phone,
        created_at=now,
        created_by=actor,
        origin_risk_level=risk_level_at(data.origin, data.return_date) or "",
        origin_starred=is_starred_city(data.origin, data.return_date),
        proposed_measure=classify(data, data.return_date),
        assigned_to=grid_worker_of(grid),
    )
    for name in REPORT_FIELDS:
        value = getattr(data, name)
        setattr(report, name, value.strip() if isinstance(value, str) else value)
    for _attempt in range(5):
        report.receipt_number = new_receipt_number(now)
        try:
            with transaction.atomic():
                report.save()
            break
        except IntegrityError:
            # A receipt number collision is astronomically rare; draw again.
            continue
    else:  # pragma: no cover
        raise RuntimeError("could not allocate a receipt number")
    changes = diff({}, snapshot(report, AUDITED_REPORT_FIELDS, {"contact_phone": mask_phone}))
    record(actor, AuditAction.CREATE, obj=report, region=region, changes=changes, now=now)
    if transfer_needed:
        do_request_transfer(
            actor, person, region, reported_name=report.reported_name, source=report.receipt_number, now=now
        )
    elif report.proposed_measure is not None and report.status == ReturnStatus.RETURNED:
        from fangkong.screening.signals import returnee_classified

        returnee_classified.send(
            ReturneeReport,
            report_uuid=report.uuid,
            person_id=person.pk,
            region_id=person.region_id,
            measure_code=report.proposed_measure.code,
            start_day=report.return_date,
            grid_worker_id=report.assigned_to_id,
            actor=actor,
            now=now,
        )
    return report


# ---------------------------------------------------------------------------------------------------
# Household completeness (村不漏户、户不漏人)


@transaction.atomic
def do_start_campaign(
    actor: User, *, region: Region, name: str, started_on: datetime.date
) -> ScreeningCampaign:
    if region.level != Level.VILLAGE:
        raise ValidationError({"region": _("A campaign covers one village.")})
    if not name.strip():
        raise ValidationError({"name": _("Enter a name.")})
    campaign = ScreeningCampaign.objects.create(
        region=region, name=name.strip(), started_on=started_on, created_by=actor
    )
    record(
        actor,
        AuditAction.CREATE,
        obj=campaign,
        changes={"name": [None, campaign.name], "started_on": [None, started_on.isoformat()]},
    )
    return campaign


def campaign_households(campaign: ScreeningCampaign) -> Any:
    """The active households of the campaign's village (including those registered at grid level)."""
    # The village's units as keys, so households are found by their unit index; joined by path, SQLite read
    # every household of the district (it uses no index for LIKE).
    units = Region.objects.filter(path_prefix("path", campaign.region.path)).values("pk")
    return Household.objects.filter(is_active=True, region__in=units)


@transaction.atomic
def do_mark_visited(
    actor: User,
    campaign: ScreeningCampaign,
    household: Household,
    *,
    visited_on: datetime.date,
    now: datetime.datetime,
    people_present: int = 0,
    returnees_found: int = 0,
    note: str = "",
) -> HouseholdVisit:
    """Mark a household visited in a campaign; marking it again corrects the earlier visit."""
    if not campaign_households(campaign).filter(pk=household.pk).exists():
        raise ValidationError({"household": _("This household is not in the campaign's village.")})
    if visited_on < campaign.started_on:
        raise ValidationError({"visited_on": _("A visit cannot be before the campaign started.")})
    if visited_on > local_date(now):
        raise ValidationError({"visited_on": _("A visit cannot be in the future.")})
    if people_present < 0 or returnees_found < 0:
        raise ValidationError({"people_present": _("Counts cannot be negative.")})
    if returnees_found > people_present:
        raise ValidationError({"returnees_found": _("More returnees than people present.")})
    fields = ["visited_on", "visited_by", "people_present", "returnees_found", "note"]
    visit = HouseholdVisit.objects.select_for_update().filter(campaign=campaign, household=household).first()
    before = snapshot(visit, fields) if visit is not None else {}
    visit = visit or HouseholdVisit(campaign=campaign, household=household)
    visit.visited_on, visit.visited_by = visited_on, actor
    visit.people_present, visit.returnees_found, visit.note = (
        people_present,
        returnees_found,
        note.strip()[:200],
    )
    visit.save()
    record(
        actor,
        AuditAction.UPDATE if before else AuditAction.CREATE,
        obj=visit,
        region=campaign.region,
        changes=diff(before, snapshot(visit, fields)),
    )
    return visit


# ---------------------------------------------------------------------------------------------------
# Retroactive risk areas (control asks through screening.public.find_again)


@dataclass(frozen=True)
class FoundAgain:
    """A returnee whose origin lies in a newly published area and who returned within the lookback."""

    report_uuid: Any
    person_id: int
    region_id: int
    grid_worker_id: int | None
    returned_on: datetime.date
    area_name: str
    measure_code: str
    previous_code: str


@transaction.atomic
def do_reclassify_for_areas(
    actor: User | None, area_ids: list[int], lookback_days: int, now: datetime.datetime
) -> list[FoundAgain]:
    """Find every returnee who came from one of the areas within `lookback_days` before the area took effect
    (whatever they were classified as, "no control needed" included), classify them again as arrivals from it
    and save the new proposed measure, audited. One row per person (their latest report)."""
    from fangkong.screening.risk import name_keys
    from fangkong.screening.rules import OriginFacts, measure_for

    found: dict[int, FoundAgain] = {}
    for area in RiskArea.objects.filter(pk__in=area_ids).order_by("id"):
        first = area.effective_from - datetime.timedelta(days=lookback_days)
        keys = [k for k in name_keys(area.name) if k]
        reports = (
            ReturneeReport.objects.filter(
                return_date__gte=first, return_date__lte=area.effective_from, status=ReturnStatus.RETURNED
            )
            .select_related("person", "proposed_measure")
            .order_by("-created_at", "-id")
        )
        for report in reports:
            if report.person_id in found or not any(k in normalise(report.origin) for k in keys):
                continue
            level = RiskLevel(area.level)
            measure = measure_for(
                OriginFacts(level, report.origin_starred, frozenset(report.special_situations))
            )
            if measure is None:
                continue
            previous = report.proposed_measure.code if report.proposed_measure else ""
            if measure.code != previous:
                report.origin_risk_level = level.value
                report.proposed_measure = measure
                report.save(update_fields=["origin_risk_level", "proposed_measure"])
                record(
                    actor,
                    AuditAction.UPDATE,
                    obj=report,
                    region=report.region,
                    changes={"proposed_measure": [previous, measure.code]},
                    note=area.name,
                    now=now,
                )
            found[report.person_id] = FoundAgain(
                report_uuid=report.uuid,
                person_id=report.person_id,
                region_id=report.person.region_id,
                grid_worker_id=report.assigned_to_id,
                returned_on=report.return_date,
                area_name=area.name,
                measure_code=measure.code,
                previous_code=previous,
            )
    return list(found.values())
