"""Changes to the region tree: importing the statistical tables, adding local units and grids."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext as _

from fangkong.audit.actions import record
from fangkong.audit.models import AuditAction
from fangkong.regions.models import LEVEL_DEPTH, Level, Region, code_problem

REQUIRED_COLUMNS = ("code", "name", "parent_code", "level")


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[str] = field(default_factory=list)


class RegionImportError(ValueError):
    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass
class _Row:
    line: int
    code: str
    name: str
    parent_code: str
    level: str


def _read_rows(text: str) -> tuple[list[_Row], list[str]]:
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = [c for c in REQUIRED_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        return [], [_("The file lacks the columns: %(cols)s") % {"cols": ", ".join(missing)}]
    rows: list[_Row] = []
    errors: list[str] = []
    seen: dict[str, int] = {}
    for line, raw in enumerate(reader, start=2):
        row = _Row(
            line,
            (raw["code"] or "").strip(),
            (raw["name"] or "").strip(),
            (raw["parent_code"] or "").strip(),
            (raw["level"] or "").strip(),
        )
        if row.level not in Level.values:
            errors.append(_("Line %(line)d: unknown level %(level)r.") % {"line": line, "level": row.level})
            continue
        problem = code_problem(row.code, row.level)
        if problem:
            errors.append(
                _("Line %(line)d: bad code %(code)r: %(why)s")
                % {"line": line, "code": row.code, "why": problem}
            )
            continue
        if not row.name:
            errors.append(_("Line %(line)d: the name is empty.") % {"line": line})
            continue
        if row.code in seen:
            errors.append(
                _("Line %(line)d: code %(code)s already appears on line %(first)d.")
                % {"line": line, "code": row.code, "first": seen[row.code]}
            )
            continue
        seen[row.code] = line
        rows.append(row)
    return rows, errors


@transaction.atomic
def do_import_regions(actor: object, text: str) -> ImportResult:
    """Load `code,name,parent_code,level` rows: add new units, rename known ones, never duplicate.

    Every row is checked first; on any error nothing is written and RegionImportError lists the
    problems with their line numbers.
    """
    rows, errors = _read_rows(text)
    known = {r.code: r for r in Region.objects.all()}
    in_file = {r.code: r for r in rows}
    for row in rows:
        # A county may hang from a city outside the system; every other unit needs a known parent.
        if row.level == Level.COUNTY:
            continue
        parent_level = (
            in_file[row.parent_code].level
            if row.parent_code in in_file
            else known[row.parent_code].level
            if row.parent_code in known
            else None
        )
        if parent_level is None:
            errors.append(
                _("Line %(line)d: unknown parent %(parent)r.") % {"line": row.line, "parent": row.parent_code}
            )
        elif LEVEL_DEPTH[Level(parent_level)] != LEVEL_DEPTH[Level(row.level)] - 1:
            errors.append(
                _("Line %(line)d: a %(level)s cannot sit under a %(parent_level)s.")
                % {
                    "line": row.line,
                    "level": Level(row.level).label,
                    "parent_level": Level(parent_level).label,
                }
            )
    if errors:
        raise RegionImportError(errors)

    result = ImportResult()
    for row in sorted(rows, key=lambda r: LEVEL_DEPTH[Level(r.level)]):
        parent = known.get(row.parent_code) if row.level != Level.COUNTY or row.parent_code in known else None
        region = known.get(row.code)
        if region is None:
            region = Region.objects.create(
                code=row.code,
                name=row.name,
                level=row.level,
                parent=parent,
                path=Region.path_for(row.code, parent),
                is_local=not row.code.isdigit(),
            )
            known[row.code] = region
            result.created += 1
            continue
        changed = False
        if region.name != row.name or region.level != row.level:
            region.name, region.level, changed = row.name, row.level, True
        if (parent.pk if parent else None) != region.parent_id:
            _move(region, parent)
            changed = True
        if changed:
            region.save()
            result.updated += 1
        else:
            result.unchanged += 1
    record(
        actor,
        AuditAction.IMPORT,
        label=_("Regions"),
        note=f"created={result.created} updated={result.updated} unchanged={result.unchanged}",
    )
    return result


def _move(region: Region, parent: Region | None) -> None:
    """Re-hang a unit and rewrite the paths of its whole subtree in one statement."""
    old, new = region.path, Region.path_for(region.code, parent)
    Region.objects.within(region).update(path=Concat(Value(new), Substr(F("path"), len(old) + 1)))
    region.parent, region.path = parent, new


@transaction.atomic
def do_create_region(actor: object, *, parent: Region, code: str, name: str, level: Level) -> Region:
    """Add a local unit (a sub-district the national tables lack) or a grid under a village."""
    code, name = code.strip(), name.strip()
    if LEVEL_DEPTH[level] != parent.depth + 1:
        raise ValidationError(
            {"level": _("This unit cannot be created under %(parent)s.") % {"parent": parent.name}}
        )
    problem = code_problem(code, level)
    if problem:
        raise ValidationError({"code": problem})
    if not name:
        raise ValidationError({"name": _("Enter the name.")})
    if Region.objects.filter(code=code).exists():
        raise ValidationError({"code": _("This code is already used.")})
    region = Region.objects.create(
        code=code,
        name=name,
        level=level,
        parent=parent,
        path=Region.path_for(code, parent),
        is_local=not code.isdigit(),
    )
    record(actor, AuditAction.CREATE, obj=region, region=region)
    return region


def next_grid_code(village: Region) -> str:
    """G + the village code + a two-digit sequence: unique, readable and sortable."""
    taken = set(Region.objects.filter(parent=village).values_list("code", flat=True))
    n = 1
    while f"G{village.code}{n:02d}" in taken:
        n += 1
    return f"G{village.code}{n:02d}"


def do_create_grid(actor: object, village: Region, name: str) -> Region:
    if village.level != Level.VILLAGE:
        raise ValidationError({"parent": _("Grids are created under villages and communities.")})
    return do_create_region(actor, parent=village, code=next_grid_code(village), name=name, level=Level.GRID)
