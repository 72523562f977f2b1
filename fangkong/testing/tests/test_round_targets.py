"""A round's target may leave out people away and people in centralized isolation: coverage, the untested list
and the reminders count over the same target, on the page as in the figures."""

from __future__ import annotations

import datetime

from fangkong.control.actions import do_check_in, do_create_site
from fangkong.control.tests.helpers import start
from fangkong.people.actions import do_request_transfer
from fangkong.testing import figures
from fangkong.testing.actions import do_create_round, do_register_sample
from fangkong.testing.models import TestingRound as Round

from .conftest import NOW


def _round(collector, district, **options) -> Round:
    return do_create_round(
        collector,
        name="第二轮全员核酸",
        units=[district.township_a],
        starts_on=NOW.date(),
        ends_on=NOW.date(),
        now=NOW,
        **options,
    )


def _elsewhere(district, command_user, people):
    """people[0] is away (reported in township B, hand-over pending); people[1] is in an isolation site."""
    do_request_transfer(None, people[0], district.grid_b, reported_name="居民0", source="返乡报备", now=NOW)
    site = do_create_site(
        command_user, region=district.township_a, name="隔离酒店", address="", rooms=["101"]
    )
    order = start(district.grid_a, NOW.date() - datetime.timedelta(days=1), person=people[1], now=NOW)
    do_check_in(command_user, order, site, now=NOW)


def test_without_the_options_everyone_registered_is_in_the_target(
    collector, command_user, district, people, point
):
    _elsewhere(district, command_user, people)
    rnd = _round(collector, district)
    assert figures.round_totals(rnd, district.township_a) == (12, 0)
    assert figures.untested_people(rnd, district.township_a).count() == 12


def test_people_away_and_in_isolation_leave_the_denominator_and_the_untested_list(
    collector, command_user, district, people, point
):
    _elsewhere(district, command_user, people)
    rnd = _round(collector, district, exclude_away=True, exclude_isolated=True)
    for person in people[2:5]:
        do_register_sample(
            collector, point=point, barcode="T0001", person=person, capacity=5, rnd=rnd, now=NOW
        )
    assert figures.round_totals(rnd, district.township_a) == (10, 3)
    rows = figures.coverage_by_unit(rnd, district.township_a)
    assert sum(r["target"] for r in rows) == 10  # type: ignore[misc]
    assert sum(r["tested"] for r in rows) == 3  # type: ignore[misc]
    assert [r["percent"] for r in rows if r["target"]] == [30]
    untested = set(figures.untested_people(rnd, district.township_a).values_list("id", flat=True))
    assert untested == {p.pk for p in people[5:]}
    assert figures.coverage_percent(district.township_a, NOW.date()) == 30


def test_each_option_alone(collector, command_user, district, people, point):
    _elsewhere(district, command_user, people)
    away_only = _round(collector, district, exclude_away=True)
    isolated_only = _round(collector, district, exclude_isolated=True)
    assert figures.round_totals(away_only, district.township_a)[0] == 11
    assert people[1].pk in set(
        figures.untested_people(away_only, district.township_a).values_list("id", flat=True)
    )
    assert figures.round_totals(isolated_only, district.township_a)[0] == 11
    assert people[0].pk in set(
        figures.untested_people(isolated_only, district.township_a).values_list("id", flat=True)
    )


def test_a_person_sampled_while_away_is_still_not_counted_tested_beyond_the_target(
    collector, command_user, district, people, point
):
    # The person came back and was sampled before the hand-over was decided: outside the target, so the
    # coverage never passes 100 % and the tested count stays inside the denominator.
    _elsewhere(district, command_user, people)
    rnd = _round(collector, district, exclude_away=True, exclude_isolated=True)
    do_register_sample(
        collector, point=point, barcode="T0002", person=people[0], capacity=1, rnd=rnd, now=NOW
    )
    rows = figures.coverage_by_unit(rnd, district.township_a)
    assert sum(r["tested"] for r in rows) == 0  # type: ignore[misc]
    assert figures.round_totals(rnd, district.township_a) == (10, 0)


def test_the_round_form_takes_the_options_and_the_page_counts_the_same_target(
    client_for, collector, command_user, cadre_a, district, people, point
):
    _elsewhere(district, command_user, people)
    client = client_for(collector)
    response = client.post(
        "/testing/rounds/new",
        {
            "name": "第三轮",
            "kind": "everyone",
            "units": [district.township_a.pk],
            "starts_on": NOW.date().isoformat(),
            "ends_on": NOW.date().isoformat(),
            "exclude_away": "on",
            "exclude_isolated": "on",
        },
    )
    assert response.status_code == 302
    rnd = Round.objects.get(name="第三轮")
    assert rnd.exclude_away and rnd.exclude_isolated
    page = client_for(cadre_a).get(f"/testing/rounds/{rnd.uuid}/").content.decode()
    assert "0 / " in page and "10" in page
    untested = client_for(cadre_a).get(f"/testing/rounds/{rnd.uuid}/untested").content.decode()
    assert people[0].name not in untested.replace("居民10", "").replace("居民11", "")
    assert people[5].name in untested


def test_a_person_resampled_with_a_reason_counts_once(collector, district, people, point):
    rnd = _round(collector, district)
    do_register_sample(
        collector, point=point, barcode="T0003", person=people[3], capacity=1, rnd=rnd, now=NOW
    )
    do_register_sample(
        collector,
        point=point,
        barcode="T0004",
        person=people[3],
        capacity=1,
        rnd=rnd,
        resample_reason="污染",
        now=NOW,
    )
    # A reason given for a first sample is not a re-sample: the person's first sample stays without one.
    do_register_sample(
        collector,
        point=point,
        barcode="T0005",
        person=people[4],
        capacity=1,
        rnd=rnd,
        resample_reason="误填",
        now=NOW,
    )
    rows = figures.coverage_by_unit(rnd, district.township_a)
    assert sum(r["tested"] for r in rows) == 2  # type: ignore[misc]
    assert figures.round_totals(rnd, district.township_a) == (12, 2)
    assert figures.untested_people(rnd, district.township_a).count() == 10
