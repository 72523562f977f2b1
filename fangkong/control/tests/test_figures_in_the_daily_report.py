"""The control figures reach the daily report: the default form's indicators read them."""

from __future__ import annotations

import datetime

from fangkong.control import figures
from fangkong.control.actions import do_record_follow_up, do_release_early
from fangkong.control.tests.helpers import at, start
from fangkong.reporting.models import Indicator
from fangkong.reporting.sources import EXPECTED, registered, source_value

D = datetime.date
DAY = D(2021, 8, 20)


def test_the_default_form_reads_the_control_figures(db):
    sources = dict(Indicator.objects.filter(form__code="daily").values_list("code", "source"))
    assert sources["central_isolation"] == "control.central_isolation"
    assert sources["home_isolation"] == "control.home_isolation"
    assert sources["health_monitoring"] == "control.health_monitoring"
    assert sources["close_contacts"] == "control.close_contacts"
    assert {s for s in EXPECTED if s.startswith("control.")} <= set(registered())


def test_counts_by_unit_and_day(district, command_user, grid_worker_a):
    start(district.grid_a, D(2021, 8, 10), name="集中")  # day 11: central
    home = start(district.grid_a, D(2021, 8, 1), name="居家")  # day 20: home isolation
    start(district.grid_b, D(2021, 7, 25), name="监测")  # day 27: monitoring
    early = start(district.grid_a, D(2021, 8, 15), name="解除")
    do_release_early(command_user, early, "排除", now=at(DAY))
    do_record_follow_up(grid_worker_a, home, temperature="38.0", symptoms=[], at_home=True, now=at(DAY))
    end = at(DAY, 23, 59)
    assert source_value("control.central_isolation", district.county, DAY, end) == 1
    assert source_value("control.home_isolation", district.township_a, DAY, end) == 1
    assert source_value("control.health_monitoring", district.township_a, DAY, end) == 0
    assert source_value("control.health_monitoring", district.county, DAY, end) == 1
    assert figures.released(district.county, DAY, end) == 1
    assert figures.alerts(district.township_a, DAY, end) == 1
    # The day before, the early release was still under control.
    assert (
        source_value("control.central_isolation", district.county, DAY - datetime.timedelta(days=1), end) == 2
    )
