"""Coverage counted once per unit (`CoverageRun`): a fresh run gives the same cells as counting every person, for
the district, a township and a village; a dose or a key-group change recounts its unit at once; a stale run, or
one counted with other age bands, is not read; the minute job counts today, and at night the last month."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from fangkong.lib.reporting_day import SHANGHAI, day_end
from fangkong.vaccination import coverage as cov
from fangkong.vaccination import tasks
from fangkong.vaccination.actions import do_add_to_key_group
from fangkong.vaccination.models import AgeBand, CoverageCount, CoverageRun, KeyGroup
from fangkong.vaccination.tests.helpers import give_doses, person_aged

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2021, 8, 3, 10, 0, tzinfo=SHANGHAI)
TODAY = NOW.date()


@pytest.fixture(autouse=True)
def _at_now():
    with time_machine.travel(NOW, tick=False):
        yield


def _cells(c: cov.Coverage) -> list[object]:
    """Every number of a coverage, by unit, band and group."""
    out: list[object] = []
    for row in [c.total, *c.rows]:
        out.append((row.region.code, row.total.population, row.total.completed))
        out += [(cell.population, cell.completed) for cell in row.bands + row.groups]
    return out


@pytest.fixture
def people(district):
    staff = KeyGroup.objects.order_by("id").first()
    assert staff is not None
    made = []
    for n, (region, age, doses) in enumerate(
        [
            (district.grid_a, 30, 2),
            (district.grid_a, 31, 1),
            (district.grid_a2, 8, 2),
            (district.grid_a2, 65, 3),
            (district.grid_b, 15, 0),
            (district.grid_b, 45, 2),
            (district.village_b, 70, 2),  # registered at the village itself
        ]
    ):
        person = person_aged(region, age, name=f"居民{n}", today=TODAY)
        give_doses(person, doses)
        made.append(person)
    do_add_to_key_group(None, staff, made[0])
    do_add_to_key_group(None, staff, made[4])
    return made


def test_a_fresh_run_gives_the_counted_cells_for_every_unit(district, people):
    units = [district.county, district.township_a, district.township_b, district.village_a, district.grid_b]
    counted = {u.code: _cells(cov.coverage(u, TODAY)) for u in units}
    assert counted[district.county.code][0] == ("410972", 7, 5)
    assert cov.do_count_coverage(TODAY, NOW) is True
    for unit in units:
        with CaptureQueriesContext(connection) as ctx:
            from_run = cov.coverage(unit, TODAY)
        assert _cells(from_run) == counted[unit.code], unit.name
        assert not any("people_person" in q["sql"] for q in ctx.captured_queries), unit.name
    assert cov.people_completed(district.county, TODAY) == 5
    assert cov.coverage_percent(district.township_a, TODAY) == 75


def test_a_run_is_read_only_while_fresh_and_counted_with_the_same_bands(district, people):
    cov.do_count_coverage(TODAY, NOW)
    # A run the pages read is the run: tampered, it shows; once stale, the people are counted again.
    row = CoverageCount.objects.get(region=district.grid_a)
    row.counts = {**row.counts, "d_b2": 99}
    row.save()
    assert cov.coverage(district.township_a, TODAY).total.total.completed > 90
    later = NOW + cov.FRESH + datetime.timedelta(seconds=1)
    assert cov.coverage(district.township_a, TODAY, later).total.total.completed == 3
    # A new band: the run was counted without it.
    AgeBand.objects.create(code="0-2", name="0–2岁", min_age=0, max_age=2)
    assert cov.coverage(district.township_a, TODAY).total.total.completed == 3


def test_a_dose_or_a_key_group_change_recounts_its_unit_at_once(
    district, people, django_capture_on_commit_callbacks
):
    cov.do_count_coverage(TODAY, NOW)
    assert cov.coverage(district.township_b, TODAY).total.total.completed == 2
    with django_capture_on_commit_callbacks(execute=True):
        give_doses(people[4], 2)
    assert CoverageRun.objects.get(day=TODAY).computed_at == NOW  # not a full count: the unit's row
    assert cov.coverage(district.township_b, TODAY).total.total.completed == 3
    staff = KeyGroup.objects.order_by("id")[:1].get()
    with django_capture_on_commit_callbacks(execute=True):
        do_add_to_key_group(None, staff, people[5])
    b_cov = cov.coverage(district.township_b, TODAY)
    assert b_cov.total.groups[b_cov.groups.index(staff)].population == 2
    assert _cells(b_cov) == _cells(
        cov.coverage(district.township_b, TODAY, NOW + datetime.timedelta(hours=1))  # counted live
    )


def test_a_past_day_reads_its_last_run_and_the_night_counts_the_last_month(district, people):
    yesterday = TODAY - datetime.timedelta(days=1)
    evening = day_end(yesterday) - datetime.timedelta(seconds=30)
    cov.do_count_coverage(yesterday, evening)
    row = CoverageCount.objects.get(run__day=yesterday, region=district.grid_b)
    row.counts = {**row.counts, "n_b2": 48}
    row.save()
    assert cov.coverage(district.township_b, yesterday).total.total.population == 50  # read from the run

    at_night = datetime.datetime(2021, 8, 4, 3, 7, tzinfo=SHANGHAI)
    with time_machine.travel(at_night, tick=False):
        tasks.count_coverage.call_local()
    days = set(CoverageRun.objects.values_list("day", flat=True))
    assert days == {at_night.date() - datetime.timedelta(days=n) for n in range(0, tasks.RECOUNT_DAYS + 1)}
    # Once a night: the next minutes of the hour count today only.
    counted = dict(CoverageRun.objects.values_list("day", "computed_at"))
    with time_machine.travel(at_night + datetime.timedelta(minutes=5), tick=False):
        tasks.count_coverage.call_local()
    again = dict(CoverageRun.objects.values_list("day", "computed_at"))
    assert [day for day in again if again[day] != counted[day]] == [at_night.date()]
    assert cov.coverage(district.township_b, yesterday, at_night).total.total.population == 3
    assert timezone.now() == NOW
