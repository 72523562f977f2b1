import datetime

import pytest

from fangkong.screening.models import ClassificationRule, ControlMeasure, RiskLevel, RuleCondition
from fangkong.screening.rules import classify
from fangkong.screening.tests.helpers import publish, returnee_input

D = datetime.date
DAY = D(2021, 7, 25)


@pytest.fixture
def areas(db: None) -> None:
    publish("南京市江宁区禄口街道", RiskLevel.HIGH, D(2021, 7, 21))
    publish("郑州市二七区", RiskLevel.MEDIUM, D(2021, 7, 21))


def _code(**origin: str) -> str | None:
    measure = classify(returnee_input(**origin), DAY)
    return measure.code if measure else None


def test_the_seeded_rules_propose_a_measure_by_origin_risk(areas: None) -> None:
    assert _code() == "centralized_isolation"
    assert _code(
        origin_province="河南省", origin_city="郑州市", origin_county="二七区", origin_township=""
    ) == ("home_isolation")
    assert _code(origin_city="南京市", origin_county="鼓楼区", origin_township="") == "health_monitoring"
    assert (
        _code(origin_province="北京市", origin_city="", origin_county="朝阳区", origin_township="") == "none"
    )


def test_a_close_contact_goes_to_centralized_isolation_from_anywhere(areas: None) -> None:
    measure = classify(
        returnee_input(origin_province="北京市", origin_city="", origin_township="", close_contact=True), DAY
    )
    assert measure is not None and measure.code == "centralized_isolation"


def test_changing_a_rule_in_the_database_changes_the_result(areas: None) -> None:
    rule = ClassificationRule.objects.get(condition=RuleCondition.STARRED_CITY)
    rule.measure = ControlMeasure.objects.get(code="home_isolation")
    rule.save()
    assert _code(origin_city="南京市", origin_county="鼓楼区", origin_township="") == "home_isolation"


def test_an_inactive_rule_is_skipped(areas: None) -> None:
    ClassificationRule.objects.filter(condition=RuleCondition.HIGH).update(active=False)
    assert _code() == "health_monitoring"  # the city is still starred


def test_the_risk_is_judged_on_the_given_day(areas: None) -> None:
    assert classify(returnee_input(), D(2021, 7, 1)).code == "none"  # type: ignore[union-attr]
