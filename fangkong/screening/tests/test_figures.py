import datetime
from zoneinfo import ZoneInfo

import time_machine

from conftest import District
from fangkong.screening.figures import (
    double_report_incomplete,
    returnees_registered,
    returnees_under_control,
    returnees_verified,
)
from fangkong.screening.models import Channel, RiskLevel
from fangkong.screening.tests.helpers import publish, register, valid_id

SH = ZoneInfo("Asia/Shanghai")


def test_it_counts_new_returnees_per_day_once_per_person(district: District) -> None:
    with time_machine.travel(
        datetime.datetime(2021, 7, 25, 7, 30, tzinfo=SH), tick=False
    ):  # 23:30 UTC the day before
        register(district.village_a, Channel.SELF, document_number=valid_id(1))
    with time_machine.travel(datetime.datetime(2021, 7, 26, 9, 0, tzinfo=SH), tick=False):
        register(district.grid_a, Channel.GRID, document_number=valid_id(1))
        register(district.grid_a, Channel.GRID, document_number=valid_id(2))
        register(district.grid_b, Channel.GRID, document_number=valid_id(3))
    assert returnees_registered(district.township_a, datetime.date(2021, 7, 25)) == 1
    assert returnees_registered(district.township_a, datetime.date(2021, 7, 26)) == 1
    assert returnees_registered(district.county, datetime.date(2021, 7, 26)) == 2


@time_machine.travel(datetime.datetime(2021, 7, 25, 10, 0, tzinfo=SH), tick=False)
def test_it_counts_returnees_under_control_and_incomplete_double_reports(district: District) -> None:
    publish("南京市江宁区禄口街道", RiskLevel.HIGH, datetime.date(2021, 7, 21))
    register(district.grid_a, Channel.GRID, document_number=valid_id(1))  # high risk → centralized
    register(district.village_a, Channel.SELF, document_number=valid_id(1))
    register(
        district.grid_a,
        Channel.GRID,
        document_number=valid_id(2),
        origin_province="北京市",
        origin_city="",
        origin_county="",
        origin_township="",
    )  # none
    assert returnees_under_control(district.township_a) == 1
    assert double_report_incomplete(district.township_a) == 1
    assert double_report_incomplete(district.township_b) == 0


def test_only_grid_reports_count_as_verified_on_their_beijing_day(district: District) -> None:
    with time_machine.travel(
        datetime.datetime(2021, 7, 26, 7, 30, tzinfo=SH), tick=False
    ):  # 23:30 UTC on the 25th
        register(district.village_a, Channel.SELF, document_number=valid_id(1))
        register(district.grid_a, Channel.GRID, document_number=valid_id(2))
    with time_machine.travel(datetime.datetime(2021, 7, 26, 20, 0, tzinfo=SH), tick=False):
        register(district.grid_a, Channel.GRID, document_number=valid_id(1))
        register(district.grid_b, Channel.GRID, document_number=valid_id(3))
    assert returnees_verified(district.township_a, datetime.date(2021, 7, 25)) == 0
    assert returnees_verified(district.township_a, datetime.date(2021, 7, 26)) == 2
    assert returnees_verified(district.county, datetime.date(2021, 7, 26)) == 3


def test_the_daily_report_reads_the_verified_figure() -> None:
    from fangkong.reporting.sources import registered

    assert "screening.returnees_verified" in registered()
