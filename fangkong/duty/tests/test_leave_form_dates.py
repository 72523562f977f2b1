"""The leave form's date inputs hold ISO dates, which is all <input type="date"> accepts."""

from __future__ import annotations

import datetime

from django.utils import translation

from fangkong.duty.forms import LeaveForm


def test_the_leave_dates_render_as_iso_in_chinese() -> None:
    with translation.override("zh-hans"):
        form = LeaveForm(
            initial={"starts_on": datetime.date(2021, 8, 3), "ends_on": datetime.date(2021, 8, 5)}
        )
        assert 'value="2021-08-03"' in str(form["starts_on"])
        assert 'value="2021-08-05"' in str(form["ends_on"])
