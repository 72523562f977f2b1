"""Issue numbers (期号): sequential per county and year, stable when a day is regenerated."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from fangkong.audit.models import AuditAction, AuditEvent
from fangkong.briefing.actions import do_generate_briefing
from fangkong.briefing.models import Briefing, BriefingVersion, Trigger
from fangkong.briefing.tests.conftest import DAY, at

NOW = at(DAY + datetime.timedelta(days=30), 18)


def test_the_first_generation_of_each_day_takes_the_next_number(district: Any, fast_render: Any) -> None:
    for offset in range(3):
        do_generate_briefing(None, district.county, DAY + datetime.timedelta(days=offset), NOW)
    assert list(Briefing.objects.order_by("day").values_list("issue_no", flat=True)) == [1, 2, 3]


def test_regenerating_a_day_keeps_its_number_and_adds_a_version(
    district: Any, command_user: Any, fast_render: Any
) -> None:
    first = do_generate_briefing(command_user, district.county, DAY, NOW)
    do_generate_briefing(None, district.county, DAY + datetime.timedelta(days=1), NOW)
    again = do_generate_briefing(command_user, district.county, DAY, NOW)
    assert again.briefing.issue_no == first.briefing.issue_no == 1
    assert [v.number for v in BriefingVersion.objects.filter(briefing=first.briefing).order_by("number")] == [
        1,
        2,
    ]
    assert (
        bytes(BriefingVersion.objects.get(pk=first.pk).docx) == b"DOCX 2021-08-05 1"
    )  # the old file is kept
    assert fast_render == [(1, ""), (2, ""), (1, "")]


def test_numbering_starts_again_each_year(district: Any, fast_render: Any) -> None:
    do_generate_briefing(
        None, district.county, datetime.date(2021, 12, 31), NOW + datetime.timedelta(days=200)
    )
    new_year = do_generate_briefing(
        None, district.county, datetime.date(2022, 1, 1), NOW + datetime.timedelta(days=200)
    )
    assert (new_year.briefing.year, new_year.briefing.issue_no) == (2022, 1)


def test_a_generation_is_audited_with_its_version(district: Any, command_user: Any, fast_render: Any) -> None:
    version = do_generate_briefing(command_user, district.county, DAY, NOW)
    event = AuditEvent.objects.get(object_uuid=version.briefing.uuid)
    assert event.action == AuditAction.CREATE
    assert event.actor == command_user
    assert event.region == district.county
    assert event.changes == {"issue_no": [None, 1]}
    assert version.trigger == Trigger.ON_DEMAND
    assert version.generated_by == command_user


def test_it_refuses_a_day_that_has_not_begun(district: Any, fast_render: Any) -> None:
    # 23:59 UTC on Aug 4 is already 07:59 on Aug 5 in Beijing: Aug 5 has begun, Aug 6 has not.
    now = datetime.datetime(2021, 8, 4, 23, 59, tzinfo=datetime.UTC)
    assert do_generate_briefing(None, district.county, DAY, now).briefing.day == DAY
    with pytest.raises(ValidationError):
        do_generate_briefing(None, district.county, DAY + datetime.timedelta(days=1), now)


def test_it_refuses_a_region_below_county_level(district: Any, fast_render: Any) -> None:
    with pytest.raises(ValidationError):
        do_generate_briefing(None, district.township_a, DAY, NOW)
    assert not Briefing.objects.exists()


def test_two_sequential_generations_of_a_day_are_versions_1_and_2(district: Any, fast_render: Any) -> None:
    first = do_generate_briefing(None, district.county, DAY, NOW)
    second = do_generate_briefing(None, district.county, DAY, NOW)
    assert (first.number, second.number) == (1, 2)
    assert first.briefing.pk == second.briefing.pk


def test_storing_a_version_locks_the_briefing_row_first(district: Any, fast_render: Any) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if not connection.features.has_select_for_update:
        pytest.skip("SQLite takes the whole database's write lock instead of row locks")
    with CaptureQueriesContext(connection) as queries:
        do_generate_briefing(None, district.county, DAY, NOW)
    sql = [q["sql"] for q in queries.captured_queries]
    lock = next(
        i for i, q in enumerate(sql) if "briefing_briefing" in q and "FOR UPDATE" in q and "SELECT" in q
    )
    max_number = next(i for i, q in enumerate(sql) if "MAX(" in q and "briefing_briefingversion" in q)
    assert lock < max_number


def test_it_refuses_a_day_before_the_system_had_data(district: Any, fast_render: Any) -> None:
    with pytest.raises(ValidationError):
        do_generate_briefing(None, district.county, datetime.date(1, 1, 1), NOW)
    assert not Briefing.objects.exists()
