"""Classification (分类管控): the rules table, read as data, proposes a control measure for a report."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Protocol

from fangkong.screening.models import ClassificationRule, ControlMeasure, RiskLevel, RuleCondition
from fangkong.screening.risk import is_starred_city, risk_level_at


@dataclass(frozen=True)
class OriginFacts:
    """What the rules look at: the origin's risk level and star on the day, and special situations."""

    level: RiskLevel | None
    starred: bool
    situations: frozenset[str] = field(default_factory=frozenset)


class Classifiable(Protocol):
    """Anything with an origin place text and special situations (a report, or a form not yet saved)."""

    @property
    def origin(self) -> str: ...

    @property
    def special_situations(self) -> set[str]: ...


def facts_for(registration: Classifiable, day: datetime.date) -> OriginFacts:
    origin = registration.origin
    return OriginFacts(
        risk_level_at(origin, day), is_starred_city(origin, day), frozenset(registration.special_situations)
    )


def rule_matches(rule: ClassificationRule, facts: OriginFacts) -> bool:
    if rule.special_situation and rule.special_situation not in facts.situations:
        return False
    condition = RuleCondition(rule.condition)
    if condition == RuleCondition.ANY:
        return True
    if condition == RuleCondition.STARRED_CITY:
        return facts.starred
    if condition == RuleCondition.NONE:
        return facts.level is None and not facts.starred
    return facts.level == condition.value


def measure_for(facts: OriginFacts) -> ControlMeasure | None:
    """The measure of the first active rule (by priority) that matches, or None when none does."""
    rules = ClassificationRule.objects.filter(active=True, measure__active=True).select_related("measure")
    for rule in rules.order_by("priority", "id"):
        if rule_matches(rule, facts):
            return rule.measure
    return None


def classify(registration: Classifiable, day: datetime.date) -> ControlMeasure | None:
    """The measure the rules propose for `registration`, judged by the risk areas in force on `day`."""
    return measure_for(facts_for(registration, day))
