"""/api/v1/vaccination/: coverage of a unit and its child units by age band and key group (the page's figures).

Counts only: no person is named. Scoped like the page: `?region=` outside the jurisdiction is 404.
"""

from __future__ import annotations

import datetime

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from fangkong.lib.reporting_day import local_date
from fangkong.lib.schemas import InputSchema
from fangkong.vaccination import coverage as cov
from fangkong.vaccination.access import unit_for

router = Router(tags=["vaccination"])


class CellOut(Schema):
    code: str
    name: str
    population: int
    completed: int
    rate: float | None
    target: float | None

    @staticmethod
    def build(code: str, name: str, cell: cov.Cell) -> CellOut:
        return CellOut(
            code=code,
            name=name,
            population=cell.population,
            completed=cell.completed,
            rate=cell.rate,
            target=float(cell.target) if cell.target is not None else None,
        )


class UnitOut(Schema):
    region_code: str
    region_name: str
    total: CellOut
    bands: list[CellOut]
    groups: list[CellOut]


class CoverageOut(Schema):
    day: datetime.date
    unit: UnitOut
    children: list[UnitOut]


class CoverageFilters(InputSchema):
    region: str = Field("", max_length=40)


def _unit(c: cov.Coverage, row: cov.UnitCoverage) -> UnitOut:
    return UnitOut(
        region_code=row.region.code,
        region_name=row.region.name,
        total=CellOut.build("all", "", row.total),
        bands=[CellOut.build(b.code, b.name, cell) for b, cell in zip(c.bands, row.bands, strict=True)],
        groups=[CellOut.build(g.code, g.name, cell) for g, cell in zip(c.groups, row.groups, strict=True)],
    )


@router.get("/coverage", response=CoverageOut)
def coverage(request: HttpRequest, filters: Query[CoverageFilters]) -> CoverageOut:
    """接种率 on today's Beijing day: people with a completed course (or booster) / active people of the band."""
    unit = unit_for(request.user, filters.region.strip())
    result = cov.coverage(unit, local_date(timezone.now()))
    return CoverageOut(
        day=result.day, unit=_unit(result, result.total), children=[_unit(result, r) for r in result.rows]
    )
