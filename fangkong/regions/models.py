"""The region tree: county → township → village/community → grid (区县 → 乡镇/街道 → 村/社区 → 网格).

Jurisdiction is a subtree. Each region stores its materialized path (`/410972/410972100/…/`), so "all
records inside region R" is one indexed prefix match on a small table joined to the records by key.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from typing import Any

from django.db import connection, models
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    COUNTY = "county", _("County / district")
    TOWNSHIP = "township", _("Township / sub-district")
    VILLAGE = "village", _("Village / community")
    GRID = "grid", _("Grid")


LEVEL_DEPTH = {Level.COUNTY: 0, Level.TOWNSHIP: 1, Level.VILLAGE: 2, Level.GRID: 3}
# Statistical division codes (统计用区划代码) have a fixed length per level.
NBS_CODE_LENGTH = {Level.COUNTY: 6, Level.TOWNSHIP: 9, Level.VILLAGE: 12}
LOCAL_CODE_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_-]{1,31}$")


def code_problem(code: str, level: str) -> str | None:
    """Why `code` cannot name a unit of `level`, or None when it can.

    A unit is coded either with its national statistical code (digits, length fixed by level) or, for
    local units and grids that the national tables do not have, with a local code starting with a letter.
    """
    if code.isdigit():
        expected = NBS_CODE_LENGTH.get(Level(level))
        if expected is None:
            return str(_("Grids take local codes starting with a letter."))
        if len(code) != expected:
            return str(_("A statistical code at this level has %(n)d digits.") % {"n": expected})
        return None
    if LOCAL_CODE_RE.match(code):
        return None
    return str(
        _(
            "A code is either a statistical code (digits) or a local code (a letter, then letters, digits, - or _)."
        )
    )


def path_prefix(field: str, path: str) -> models.Q:
    """`field` (a materialized path stored on a record) lies at or below `path`, in a form an index serves.

    PostgreSQL serves `LIKE 'prefix%'` from a `varchar_pattern_ops` index. SQLite uses an index for LIKE only
    with case-insensitive collation, so there the prefix is the byte range [path, path with its last '/'
    replaced by '0'): '0' follows '/' and every string starting with the path falls in between.
    """
    if connection.vendor == "sqlite":
        return models.Q(**{f"{field}__gte": path, f"{field}__lt": path[:-1] + "0"})
    return models.Q(**{f"{field}__startswith": path})


class _WithAncestors(models.query.ModelIterable):
    """Rows with their ancestors attached, fetched for all rows in one query instead of one per row."""

    def __iter__(self) -> Iterator[Any]:
        rows = list(super().__iter__())
        codes = {code for row in rows for code in row.ancestor_codes()}
        found = Region.objects.using(self.queryset.db).filter(code__in=codes) if codes else []
        by_code = {r.code: r for r in found}
        for row in rows:
            row._ancestors = [by_code[c] for c in row.ancestor_codes() if c in by_code]
        yield from rows


class RegionQuerySet(models.QuerySet["Region"]):
    def with_ancestors(self) -> RegionQuerySet:
        """Regions whose `ancestors()` and `full_name` need no query of their own (choice lists of units)."""
        qs = self.all()
        qs._iterable_class = _WithAncestors
        return qs

    def within(self, region: Region) -> RegionQuerySet:
        """`region` and everything below it."""
        return self.filter(path__startswith=region.path)

    def active(self) -> RegionQuerySet:
        return self.filter(is_active=True)


class Region(models.Model):
    """行政区划/网格: one unit of the tree."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    path = models.CharField(max_length=255, unique=True, editable=False)
    is_local = models.BooleanField(_("locally coded"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["path"]
        indexes = [
            # LIKE 'prefix%' on PostgreSQL needs the pattern opclass to use a b-tree.
            models.Index(fields=["path"], name="region_path_prefix_idx", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["level", "path"], name="region_level_path_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    @staticmethod
    def path_for(code: str, parent: Region | None) -> str:
        return (parent.path if parent else "/") + code + "/"

    @property
    def depth(self) -> int:
        return LEVEL_DEPTH[Level(self.level)]

    def contains(self, other: Region) -> bool:
        return other.path.startswith(self.path)

    def ancestor_codes(self) -> list[str]:
        """Codes from the root down to this region, inclusive."""
        return [part for part in self.path.split("/") if part]

    def ancestors(self) -> list[Region]:
        prefetched: list[Region] | None = getattr(self, "_ancestors", None)
        if prefetched is not None:
            return prefetched
        codes = self.ancestor_codes()
        by_code = {r.code: r for r in Region.objects.filter(code__in=codes)}
        return [by_code[c] for c in codes if c in by_code]

    def ancestor_at(self, level: Level) -> Region | None:
        for region in self.ancestors():
            if region.level == level:
                return region
        return None

    @property
    def full_name(self) -> str:
        """王助镇 / 某村 / 第1网格 (without the county)."""
        return " / ".join(r.name for r in self.ancestors() if r.level != Level.COUNTY)
