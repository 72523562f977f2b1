"""报送率 keeps the states apart: filed on time, zero report, filed late; not filed yet (pending before 12:00,
overdue after it), missing once the day closed. Only a filing counts as received (已报). The page, the API, the
summary the briefing reads and the briefing text all come from `completeness.completeness`."""

from __future__ import annotations

import datetime

import time_machine
from django.urls import reverse

from fangkong.briefing.render import _texts
from fangkong.reporting.actions import do_deadline_sweep
from fangkong.reporting.models import DailyReport, ReportStatus
from fangkong.reporting.summary import day_summary

from .conftest import BJ, DAY, bj, file

NEXT_MORNING = datetime.datetime(2021, 8, 4, 0, 30, tzinfo=BJ)


def a_day_where_one_unit_never_files(district, cadre_a, cadre_b) -> None:
    file(cadre_a, district.township_a, bj(9, 0))  # on time
    file(cadre_b, district.township_b, bj(10, 0), is_zero=True)  # zero report
    do_deadline_sweep(bj(12, 1))
    file(cadre_a, district.village_a, bj(13, 0))  # late
    # village B never files


@time_machine.travel(bj(15, 30), tick=False)
def test_at_15_30_a_unit_that_never_filed_is_overdue_not_received(
    district, cadre_a, cadre_b, command_user, client_for
):
    a_day_where_one_unit_never_files(district, cadre_a, cadre_b)
    response = client_for(command_user).get(reverse("reporting:completeness"))
    total = response.context["result"].total
    assert total.as_dict() == {
        "expected": 4,
        "received": 3,
        "on_time": 1,
        "zero": 1,
        "late": 1,
        "not_filed": 1,
        "pending": 0,
        "overdue": 1,
        "missing": 0,
    }
    assert total.rate == 75.0
    rows = {r.name: t for r, t in response.context["result"].rows}
    assert rows["新习镇"].received == 1 and rows["新习镇"].overdue == 1 and rows["新习镇"].rate == 50.0
    assert response.context["bad_count"] == 2
    bad = {u.region.code: u.status for u in response.context["bad"]}
    assert bad == {district.village_a.code: ReportStatus.LATE, district.village_b.code: ReportStatus.OVERDUE}
    # The sweep's placeholder row of the silent unit says overdue too.
    assert DailyReport.objects.get(region=district.village_b, day=DAY).status == ReportStatus.OVERDUE


@time_machine.travel(bj(15, 30), tick=False)
def test_the_api_and_the_briefing_read_the_same_figures(district, cadre_a, cadre_b, command_user, client_for):
    a_day_where_one_unit_never_files(district, cadre_a, cadre_b)
    page = client_for(command_user).get(reverse("reporting:completeness")).context["result"].total.as_dict()
    api = client_for(command_user).get("/api/v1/reports/completeness").json()["total"]
    summary = day_summary(DAY, now=bj(15, 30))
    assert api == page == summary.timeliness
    text = _texts(summary, 1)
    assert "已报3个" in text["overall"]
    assert (
        "已报3个（按时报送1个，零报告1个，迟报1个），未报1个（待报0个，逾期未报1个，缺报0个）"
        in text["timeliness"]
    )
    assert [u.status for u in summary.late_or_missing] == ["late", "overdue"]


def test_before_noon_the_silent_unit_is_pending_and_after_the_day_it_is_missing(district, cadre_a, cadre_b):
    file(cadre_a, district.township_a, bj(9, 0))
    assert day_summary(DAY, now=bj(11, 0)).timeliness["pending"] == 3
    a_day_where_one_unit_never_files(district, cadre_a, cadre_b)
    do_deadline_sweep(NEXT_MORNING)
    timeliness = day_summary(DAY, now=NEXT_MORNING).timeliness
    assert timeliness["missing"] == 1 and timeliness["overdue"] == 0 and timeliness["received"] == 3
    assert DailyReport.objects.get(region=district.village_b, day=DAY).status == ReportStatus.MISSING
