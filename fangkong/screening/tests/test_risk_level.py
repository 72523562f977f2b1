import datetime

import pytest

from fangkong.screening.actions import do_lift_risk_area
from fangkong.screening.models import RiskArea, RiskLevel
from fangkong.screening.risk import is_starred_city, risk_level_at, starred_cities
from fangkong.screening.tests.helpers import publish

D = datetime.date
PLACE = "江苏省南京市江宁区禄口街道某社区"


@pytest.fixture
def lukou(db: None) -> RiskArea:
    publish("南京市江宁区禄口街道", RiskLevel.HIGH, D(2021, 7, 21))
    return RiskArea.objects.get()


def test_it_has_no_level_before_the_area_took_effect(lukou: RiskArea) -> None:
    assert risk_level_at(PLACE, D(2021, 7, 20)) is None


def test_it_matches_an_area_contained_in_the_place_from_its_effective_day(lukou: RiskArea) -> None:
    assert risk_level_at(PLACE, D(2021, 7, 21)) == RiskLevel.HIGH
    assert risk_level_at("南京市江宁区禄口街道", D(2021, 8, 1)) == RiskLevel.HIGH


def test_it_keeps_the_level_until_the_day_before_lifting(lukou: RiskArea) -> None:
    do_lift_risk_area(None, lukou, D(2021, 8, 20))
    assert risk_level_at(PLACE, D(2021, 8, 19)) == RiskLevel.HIGH
    assert risk_level_at(PLACE, D(2021, 8, 20)) is None
    assert RiskArea.objects.count() == 1  # history kept


def test_it_answers_none_for_another_place(lukou: RiskArea) -> None:
    assert risk_level_at("江苏省南京市鼓楼区", D(2021, 7, 25)) is None
    assert risk_level_at("", D(2021, 7, 25)) is None


def test_the_highest_matching_level_wins(db: None) -> None:
    publish("郑州市", RiskLevel.LOW, D(2021, 7, 1))
    publish("郑州市二七区", RiskLevel.MEDIUM, D(2021, 7, 1))
    assert risk_level_at("河南省郑州市二七区某街道", D(2021, 7, 2)) == RiskLevel.MEDIUM
    assert risk_level_at("河南省郑州市金水区", D(2021, 7, 2)) == RiskLevel.LOW


def test_a_name_published_with_its_province_matches_a_place_without_it(db: None) -> None:
    publish("江苏省扬州市邗江区", RiskLevel.HIGH, D(2021, 7, 28))
    assert risk_level_at("扬州市邗江区某村", D(2021, 7, 29)) == RiskLevel.HIGH


def test_a_city_with_a_current_medium_or_high_area_is_starred(lukou: RiskArea) -> None:
    publish("郑州市金水区某小区", RiskLevel.LOW, D(2021, 7, 21))
    assert starred_cities(D(2021, 7, 22)) == {"南京市"}
    assert is_starred_city("江苏省南京市鼓楼区", D(2021, 7, 22))
    assert not is_starred_city("河南省郑州市金水区", D(2021, 7, 22))
    assert not is_starred_city("江苏省南京市鼓楼区", D(2021, 7, 20))


def test_a_city_is_no_longer_starred_once_its_areas_are_lifted(lukou: RiskArea) -> None:
    do_lift_risk_area(None, lukou, D(2021, 8, 20))
    assert not is_starred_city("南京市鼓楼区", D(2021, 8, 20))
