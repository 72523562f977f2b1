"""Roll-up: a township's villages add up; the district adds up its townships; the day summary agrees."""

from __future__ import annotations

from conftest import make_user
from fangkong.accounts.permissions import Role
from fangkong.reporting.actions import do_deadline_sweep, prefill, rollup
from fangkong.reporting.summary import day_summary

from .conftest import DAY, bj, file


def test_a_township_rolls_up_its_villages(district, cadre_a):
    second = make_user("v2", Role.VILLAGE_CADRE, district.village_a)
    from conftest import make_region
    from fangkong.regions.models import Level

    village2 = make_region("410972100202", "王二村", Level.VILLAGE, district.township_a)
    file(second, district.village_a, bj(9, 0), home_isolation=3, nat_samples=100)
    file(cadre_a, village2, bj(9, 5), home_isolation=4, nat_samples=250)
    totals = rollup(district.township_a, DAY)
    assert totals["home_isolation"] == 7
    assert totals["nat_samples"] == 350
    assert prefill(district.township_a, DAY, now=bj(9, 0))["home_isolation"] == 7


def test_a_draft_or_placeholder_does_not_count(district, cadre_a):
    do_deadline_sweep(bj(12, 0, 1))
    assert rollup(district.township_a, DAY) == {}


def test_the_district_rolls_up_townships_and_the_summary_matches(district, cadre_a, cadre_b, township_c):
    file(cadre_a, district.township_a, bj(9, 0), home_isolation=5, disinfection_area=1200)
    file(cadre_b, district.township_b, bj(10, 0), is_zero=True)
    summary = day_summary(DAY, now=bj(12, 30))
    assert summary.totals["home_isolation"] == 5
    assert summary.totals["disinfection_area"] == 1200
    assert [name for name, _v in summary.per_township] == ["王助镇", "新习镇", "胡状镇"]
    assert summary.per_township[1][1]["home_isolation"] == 0
    assert summary.per_township[2][1] == {}
    assert summary.timeliness == {
        "expected": 5,
        "received": 2,
        "on_time": 1,
        "zero": 1,
        "late": 0,
        "not_filed": 3,
        "pending": 0,
        "overdue": 3,
        "missing": 0,
    }
    late = {u.region_code for u in summary.late_or_missing}
    assert late == {township_c.code, district.village_a.code, district.village_b.code}
    assert summary.indicators[0][0] == "returnees_screened"


def test_before_noon_silent_units_are_pending(district, cadre_a):
    file(cadre_a, district.township_a, bj(9, 0))
    summary = day_summary(DAY, now=bj(11, 0))
    assert summary.timeliness["pending"] == 3
    assert summary.late_or_missing == []
