"""`make demo` is run at any hour: the demo day must build whatever the clock says in Beijing (a CI run at 00:40
Beijing time once failed because "this morning" was yesterday's evening)."""

import datetime
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command

from fangkong.lib.reporting_day import SHANGHAI
from fangkong.reporting.models import DailyReport
from fangkong.testing.models import TubeMember


@pytest.mark.parametrize("hour, minute", [(0, 20), (2, 50), (11, 59), (12, 1), (23, 50)])
def test_the_demo_builds_at_any_hour_of_the_beijing_day(db, hour, minute):
    now = datetime.datetime(2026, 12, 1, hour, minute, tzinfo=SHANGHAI)
    with time_machine.travel(now, tick=False):
        call_command("load_demo", "--people-per-village", "1", stdout=StringIO())
    # Nothing the demo did happens after the moment it was built.
    assert not DailyReport.objects.filter(submitted_at__gt=now).exists()
    assert not TubeMember.objects.filter(sampled_at__gt=now).exists()
    assert TubeMember.objects.exists()
