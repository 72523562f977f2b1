"""The returnee figures stay on the reports table (an index on the path): an inactive person is excluded
by the few deactivated people, not by joining every person of the city."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import District
from fangkong.people.actions import do_deactivate_person
from fangkong.screening.figures import double_report_incomplete, returnees_under_control
from fangkong.screening.models import Channel, ControlMeasure
from fangkong.screening.tests.helpers import register, valid_id


def test_under_control_counts_active_people_without_joining_people(district: District, command_user) -> None:
    measure = ControlMeasure.objects.filter(is_control=True).first()
    assert measure is not None
    kept = register(district.village_a, channel=Channel.GRID, name="甲一", document_number=valid_id(1))
    gone = register(district.village_a, channel=Channel.GRID, name="甲二", document_number=valid_id(2))
    register(district.village_b, channel=Channel.GRID, name="乙一", document_number=valid_id(3))
    type(kept).objects.update(proposed_measure=measure)
    assert returnees_under_control(district.township_a) == 2
    do_deactivate_person(command_user, gone.person, "迁出")
    with CaptureQueriesContext(connection) as ctx:
        assert returnees_under_control(district.township_a) == 1
    assert returnees_under_control(district.county) == 2
    (sql,) = [q["sql"] for q in ctx.captured_queries]
    # The tiny table of measures may join; the million people may not.
    assert 'JOIN "people_person"' not in sql, sql


def test_double_report_incomplete_leaves_out_the_inactive_without_joining_people(
    district: District, command_user
) -> None:
    kept = register(district.village_a, channel=Channel.GRID, name="甲一", document_number=valid_id(1))
    gone = register(district.village_a, channel=Channel.GRID, name="甲二", document_number=valid_id(2))
    both = register(district.village_a, channel=Channel.GRID, name="甲三", document_number=valid_id(3))
    register(district.village_a, channel=Channel.SELF, name="甲三", document_number=valid_id(3))
    assert both.person.returnee_reports.count() == 2
    assert double_report_incomplete(district.township_a) == 2
    do_deactivate_person(command_user, gone.person, "迁出")
    with CaptureQueriesContext(connection) as ctx:
        assert double_report_incomplete(district.township_a) == 1
    assert kept.person.is_active
    (sql,) = [q["sql"] for q in ctx.captured_queries]
    assert 'JOIN "people_person"' not in sql, sql


def test_double_report_counts_the_other_channel_wherever_it_was_filed(district: District) -> None:
    # 甲四 reported herself in township A; the grid report about her was filed in township B.
    register(district.village_a, channel=Channel.SELF, name="甲四", document_number=valid_id(4))
    register(district.grid_b, channel=Channel.GRID, name="甲四", document_number=valid_id(4))
    register(district.village_a, channel=Channel.SELF, name="甲五", document_number=valid_id(5))
    assert double_report_incomplete(district.township_a) == 1
    assert double_report_incomplete(district.township_b) == 0
    assert double_report_incomplete(district.county) == 1
