"""`manage.py generate_briefing --day YYYY-MM-DD`."""

from __future__ import annotations

import io
from typing import Any

import pytest
import time_machine
from django.core.management import CommandError, call_command

from fangkong.briefing.models import BriefingVersion, Trigger
from fangkong.briefing.tests.conftest import DAY, at


@time_machine.travel(at(DAY, 20))
def test_it_generates_the_day_asked_for(district: Any, fast_render: Any) -> None:
    out = io.StringIO()
    call_command("generate_briefing", "--day", "2021-08-04", stdout=out)
    version = BriefingVersion.objects.get()
    assert (str(version.briefing.day), version.trigger) == ("2021-08-04", Trigger.COMMAND)
    assert "issue 2021-1 v1" in out.getvalue()


@time_machine.travel(at(DAY, 20))
def test_it_defaults_to_today(district: Any, fast_render: Any) -> None:
    call_command("generate_briefing", stdout=io.StringIO())
    assert BriefingVersion.objects.get().briefing.day == DAY


@time_machine.travel(at(DAY, 20))
def test_it_rejects_bad_days_and_counties(district: Any, fast_render: Any) -> None:
    with pytest.raises(CommandError):
        call_command("generate_briefing", "--day", "05/08/2021")
    with pytest.raises(CommandError):
        call_command("generate_briefing", "--day", "2021-08-06")
    with pytest.raises(CommandError):
        call_command("generate_briefing", "--county", "410972100")
    assert not BriefingVersion.objects.exists()
