"""Issue 9: the reports home says "due today at 12:00" only before 12:00 Beijing time; after it, that the
deadline has passed. Checked on both sides of 12:00 and around midnight UTC (08:00 in Beijing)."""

from __future__ import annotations

import re

import pytest
import time_machine
from django.urls import reverse

from .conftest import bj


def _note(client) -> str:
    page = client.get(reverse("reporting:home")).content.decode()
    match = re.search(r'data-testid="deadline-note">(.*?)</p>', page, re.S)
    assert match
    return match.group(1)


@pytest.mark.parametrize("hour, minute", [(8, 0), (11, 59)])
def test_before_the_deadline_it_says_due_today_at_12(district, cadre_a, client_for, hour, minute):
    with time_machine.travel(bj(hour, minute), tick=False):
        note = _note(client_for(cadre_a))
    assert "今日12:00（北京时间）前上报" in note


@pytest.mark.parametrize("hour, minute", [(12, 0), (12, 1), (23, 59)])
def test_after_the_deadline_it_says_the_deadline_has_passed(district, cadre_a, client_for, hour, minute):
    with time_machine.travel(bj(hour, minute), tick=False):
        note = _note(client_for(cadre_a))
    assert "前上报" not in note
    assert "已过" in note
