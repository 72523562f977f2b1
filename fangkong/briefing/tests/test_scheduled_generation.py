"""The scheduled job: today's briefing once the configured Beijing time has passed, and only once."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from fangkong.briefing.actions import do_generate_briefing, generate_due_briefings
from fangkong.briefing.models import BriefingVersion, Trigger
from fangkong.briefing.tasks import generate_daily_briefing
from fangkong.briefing.tests.conftest import DAY, at


def test_nothing_happens_before_the_time(district: Any, fast_render: Any) -> None:
    assert generate_due_briefings(at(DAY, 16, 59)) == []
    assert not BriefingVersion.objects.exists()


def test_it_generates_once_after_the_time(district: Any, fast_render: Any) -> None:
    [version] = generate_due_briefings(at(DAY, 17, 0))
    assert (version.briefing.day, version.trigger, version.generated_by) == (DAY, Trigger.SCHEDULED, None)
    assert generate_due_briefings(at(DAY, 17, 5)) == []
    assert generate_due_briefings(at(DAY, 23, 55)) == []
    assert BriefingVersion.objects.count() == 1


def test_an_earlier_preview_does_not_stand_in_for_the_scheduled_briefing(
    district: Any, command_user: Any, fast_render: Any
) -> None:
    do_generate_briefing(command_user, district.county, DAY, at(DAY, 15))
    [version] = generate_due_briefings(at(DAY, 17, 5))
    assert (version.number, version.briefing.issue_no) == (2, 1)


def test_a_regeneration_after_the_time_counts_as_done(
    district: Any, command_user: Any, fast_render: Any
) -> None:
    do_generate_briefing(command_user, district.county, DAY, at(DAY, 17, 1))
    assert generate_due_briefings(at(DAY, 17, 5)) == []


def test_the_beijing_day_is_used_around_midnight_utc(district: Any, fast_render: Any) -> None:
    # 16:30 UTC is 00:30 the next day in Beijing: a new day whose time has not come.
    assert generate_due_briefings(datetime.datetime(2021, 8, 5, 16, 30, tzinfo=datetime.UTC)) == []
    # 09:10 UTC is 17:10 Beijing.
    [version] = generate_due_briefings(datetime.datetime(2021, 8, 5, 9, 10, tzinfo=datetime.UTC))
    assert version.briefing.day == DAY


@override_settings(BRIEFING_TIME="08:30")
def test_the_time_is_configurable(district: Any, fast_render: Any) -> None:
    assert generate_due_briefings(at(DAY, 8, 29)) == []
    assert len(generate_due_briefings(at(DAY, 8, 30))) == 1


@override_settings(BRIEFING_TIME="5pm")
def test_a_malformed_time_fails_loudly(district: Any, fast_render: Any) -> None:
    with pytest.raises(ImproperlyConfigured):
        generate_due_briefings(at(DAY, 18))


def test_the_huey_task_calls_the_action(district: Any, fast_render: Any) -> None:
    with time_machine.travel(at(DAY, 17, 10)):
        assert generate_daily_briefing.call_local() == 1
        assert generate_daily_briefing.call_local() == 0
