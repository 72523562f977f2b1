"""What was the risk level of a place on a day: the one answer used by registration, classification and
reports.

A place is free text (`河南省郑州市二七区某街道…`). A published area matches when its name (with or
without its province prefix) is contained in the place text; the highest matching level wins. Areas are
few (hundreds), so the areas in force on a day are loaded once and matched in Python.
"""

from __future__ import annotations

import datetime
import re

from fangkong.screening.models import RISK_RANK, RiskArea, RiskLevel

_SPACE = re.compile(r"\s+")
# 河南省 / 广西壮族自治区 / 新疆维吾尔自治区: a leading province that published names may or may not carry.
_PROVINCE = re.compile(r"^.{2,8}?(省|自治区)")
STARRING_LEVELS = (RiskLevel.HIGH, RiskLevel.MEDIUM)


def normalise(place: str) -> str:
    return _SPACE.sub("", place or "")


def name_keys(name: str) -> list[str]:
    """The forms of a published name that may appear in a place text: as published and without province."""
    name = normalise(name)
    keys = [name]
    stripped = _PROVINCE.sub("", name, count=1)
    if stripped and stripped != name:
        keys.append(stripped)
    return keys


def city_of(name: str) -> str:
    """The city of a published name: up to and including 市, without the province ('' when there is none)."""
    key = name_keys(name)[-1]
    index = key.find("市")
    return key[: index + 1] if index >= 0 else ""


def areas_on(day: datetime.date) -> list[RiskArea]:
    return list(RiskArea.objects.current_on(day).only("name", "level", "effective_from", "lifted_on"))


def level_among(place: str, areas: list[RiskArea]) -> RiskLevel | None:
    """The highest level of `areas` whose name occurs in `place` (for callers that hold the areas already)."""
    text = normalise(place)
    if not text:
        return None
    best: RiskLevel | None = None
    for area in areas:
        if any(key and key in text for key in name_keys(area.name)):
            level = RiskLevel(area.level)
            if best is None or RISK_RANK[level] > RISK_RANK[best]:
                best = level
    return best


def risk_level_at(place: str, day: datetime.date) -> RiskLevel | None:
    """The risk level of `place` on `day` (high/medium/low), or None when no area in force matches."""
    return level_among(place, areas_on(day))


def starred_cities(day: datetime.date) -> set[str]:
    """Cities containing a medium- or high-risk area in force on `day` (the trip card's `*`)."""
    return {
        city
        for area in RiskArea.objects.current_on(day).filter(level__in=STARRING_LEVELS).only("name")
        if (city := city_of(area.name))
    }


def is_starred_city(place: str, day: datetime.date) -> bool:
    text = normalise(place)
    return bool(text) and any(city in text for city in starred_cities(day))
