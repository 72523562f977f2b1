"""The per-unit day counts (`ControlDay`) the overview reads are kept by the actions, and always equal what
`counts.rebuild()` computes from the orders and what `days.py` derives from the dates."""

from __future__ import annotations

import datetime

import time_machine

from fangkong.accounts.access import within
from fangkong.control import counts, days
from fangkong.control.actions import (
    do_cancel,
    do_extend,
    do_record_follow_up,
    do_record_test_results,
    do_release,
    do_release_early,
    do_transfer_to_hospital,
)
from fangkong.control.models import ControlDay, ControlOrder, OrderStatus, Reason
from fangkong.control.tests.helpers import Result, at, start
from fangkong.people.tests.helpers import create_person

D = datetime.date
TODAY = D(2021, 8, 10)
DAYS = [TODAY + datetime.timedelta(days=n) for n in range(-20, 40)]


def table() -> dict[tuple[int, datetime.date], tuple[int, ...]]:
    return {
        (r.region_id, r.day): tuple(getattr(r, f) for f in counts.FIELDS)
        for r in ControlDay.objects.all()
        if any(getattr(r, f) for f in counts.FIELDS)
    }


def assert_agrees(district) -> None:
    kept = table()
    counts.rebuild()
    assert table() == kept
    orders = ControlOrder.objects.all()
    for day in DAYS:
        derived = days.kind_counts(orders, day)
        asked, done = days.follow_up_totals(orders, day)
        total = counts.totals(within(district.county), day)
        assert (total["central"], total["home"], total["monitoring"]) == (
            derived.get("central_isolation", 0),
            derived.get("home_isolation", 0),
            derived.get("health_monitoring", 0),
        ), day
        assert (total["asked"], total["done"]) == (asked, done), day


def test_every_action_keeps_the_counts(district, command_user, grid_worker_a):
    with time_machine.travel(at(TODAY), tick=False):
        home = start(district.grid_a, TODAY - datetime.timedelta(days=15), name="居家", now=at(TODAY))
        monitored = start(
            district.grid_b,
            TODAY - datetime.timedelta(days=2),
            "2021-monitoring-7",
            name="监测",
            now=at(TODAY),
        )
        assert_agrees(district)
        # Follow-ups: 居家隔离 asks twice a day; a third one is recorded but not counted as more done.
        for temperature in ("36.5", "36.6", "36.7"):
            do_record_follow_up(
                grid_worker_a, home, temperature=temperature, symptoms=[], at_home=True, now=at(TODAY)
            )
        assert counts.totals(within(district.grid_a), TODAY)["done"] == 2
        assert_agrees(district)
        # An upgrade (a close contact of a case: centralized isolation from today) replaces the dates.
        upgraded = start(
            district.grid_b, TODAY, person=monitored.person, reason=Reason.CLOSE_CONTACT, now=at(TODAY)
        )
        assert upgraded.pk == monitored.pk
        assert_agrees(district)
        do_extend(command_user, home, 3, "复检", now=at(TODAY))
        assert_agrees(district)
        early = start(district.grid_a, TODAY, name="提前", now=at(TODAY))
        do_release_early(command_user, early, "误判", now=at(TODAY))
        wrong = start(district.grid_a, TODAY - datetime.timedelta(days=3), name="错人", now=at(TODAY))
        do_cancel(command_user, wrong, "登记错人", now=at(TODAY))
        sick = start(district.grid_a, TODAY - datetime.timedelta(days=1), name="送医", now=at(TODAY))
        do_transfer_to_hospital(command_user, sick, "发热", now=at(TODAY))
        assert_agrees(district)
    person = create_person(district.grid_a, name="期满")
    order = start(district.grid_a, D(2021, 7, 1), "2021-monitoring-7", person=person, now=at(D(2021, 7, 1)))
    do_record_test_results(
        [Result(person.pk, d) for _s, d in order.plan.test_dates(order.start_day)], at(TODAY)
    )
    do_release(None, order, now=at(TODAY))
    order.refresh_from_db()
    assert order.status == OrderStatus.RELEASED
    assert_agrees(district)


def test_the_overview_shows_the_kept_counts(district, command_user, client_for):
    with time_machine.travel(at(TODAY), tick=False):
        start(district.grid_a, TODAY, name="集中")
        start(district.grid_b, TODAY - datetime.timedelta(days=15), name="居家")
        page = client_for(command_user).get("/control/").content.decode()
    numbers = page.split('data-testid="count">')[1:]
    assert [n.split("<")[0] for n in numbers] == ["1", "1", "0"]
