"""The day page on a phone: wide tables scroll inside their box, and the day picker keeps its date."""

from __future__ import annotations

import datetime
from typing import Any

import time_machine
from django.utils import translation

from fangkong.briefing.actions import do_generate_briefing
from fangkong.briefing.forms import DayForm
from fangkong.briefing.tests.conftest import DAY, at

NOW = at(DAY, 18)


@time_machine.travel(NOW)
def test_the_versions_and_township_tables_scroll_inside_their_box(
    district: Any, command_user: Any, client_for: Any, fast_render: Any
) -> None:
    do_generate_briefing(None, district.county, DAY, NOW)
    page = client_for(command_user).get(f"/briefings/day/{DAY.isoformat()}/").content.decode()
    assert (
        '<div class="table-responsive mt-3"><table class="table table-sm mb-0" data-testid="versions">'
        in page
    )
    assert '<thead class="text-nowrap">' in page


def test_the_day_picker_holds_an_iso_date_in_chinese() -> None:
    with translation.override("zh-hans"):
        assert 'value="2021-08-05"' in str(DayForm(initial={"day": datetime.date(2021, 8, 5)})["day"])
