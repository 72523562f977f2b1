"""Release needs every required test negative; without them the order is held and flagged, never released."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from fangkong.control.actions import (
    do_cancel,
    do_extend,
    do_record_test_results,
    do_release,
    do_release_due,
    do_release_early,
    do_transfer_to_hospital,
)
from fangkong.control.models import OrderStatus
from fangkong.control.tests.helpers import Result, at, kind_on, start

D = datetime.date
START = D(2022, 7, 1)  # 第九版 7+3: tests 7-01, 02, 03, 05, 07 and 07-10; last day 07-10


def _all_negative(order):
    do_record_test_results([Result(order.subject_id, t.day) for t in order.tests.all()], at(D(2022, 7, 10)))


def test_release_is_held_for_a_missing_test(district, command_user):
    order = start(district.grid_a, START, "v9-close-contact")
    do_record_test_results(
        [Result(order.subject_id, t.day) for t in order.tests.exclude(day=D(2022, 7, 5))], at(D(2022, 7, 10))
    )
    with pytest.raises(ValidationError) as exc:
        do_release(command_user, order, now=at(D(2022, 7, 11)))
    assert "2022-07-05" in str(exc.value)
    order.refresh_from_db()
    assert order.status == OrderStatus.ACTIVE and order.held and "2022-07-05" in order.held_note


def test_a_late_result_clears_the_hold_and_the_release_goes_through(district, command_user):
    order = start(district.grid_a, START, "v9-close-contact")
    assert do_release_due(at(D(2022, 7, 11))) == (0, 1)
    _all_negative(order)
    order.refresh_from_db()
    assert not order.held
    released = do_release(command_user, order, now=at(D(2022, 7, 11)))
    assert released.status == OrderStatus.RELEASED and released.closed_on == D(2022, 7, 11)


def test_release_waits_for_the_end_of_the_protocol(district, command_user):
    order = start(district.grid_a, START, "v9-close-contact")
    _all_negative(order)
    with pytest.raises(ValidationError):
        do_release(command_user, order, now=at(D(2022, 7, 10), 23, 59))


def test_a_positive_result_holds_the_release(district):
    order = start(district.grid_a, START, "v9-close-contact")
    _all_negative(order)
    do_record_test_results([Result(order.subject_id, D(2022, 7, 7), "positive")], at(D(2022, 7, 8)))
    assert do_release_due(at(D(2022, 7, 11))) == (0, 1)


def test_a_result_for_another_day_is_kept_as_an_extra_test(district):
    order = start(district.grid_a, START, "v9-close-contact")
    assert do_record_test_results([Result(order.subject_id, D(2022, 7, 4))], at(D(2022, 7, 4))) == 1
    assert order.tests.filter(day=D(2022, 7, 4), planned=False, result="negative").exists()


def test_the_sweep_releases_orders_with_all_tests_negative(district):
    order = start(district.grid_a, START, "v9-close-contact")
    _all_negative(order)
    assert do_release_due(at(D(2022, 7, 11))) == (1, 0)
    assert do_release_due(at(D(2022, 7, 11))) == (0, 0)
    order.refresh_from_db()
    assert order.status == OrderStatus.RELEASED


def test_explicit_actions_need_a_reason_and_close_the_order(district, command_user):
    now = at(D(2022, 7, 3))
    orders = [start(district.grid_a, START, "v9-close-contact", name=n, now=now) for n in ("甲", "乙", "丙")]
    with pytest.raises(ValidationError):
        do_release_early(command_user, orders[0], " ", now=now)
    assert do_release_early(command_user, orders[0], "复核排除", now=now).status == OrderStatus.RELEASED
    assert do_transfer_to_hospital(command_user, orders[1], "发热", now=now).status == OrderStatus.HOSPITAL
    assert orders[1].transfers.filter(to_place="hospital").exists()
    assert do_cancel(command_user, orders[2], "认错人", now=now).status == OrderStatus.CANCELLED
    with pytest.raises(ValidationError):
        do_cancel(command_user, orders[2], "again", now=now)


def test_an_extension_moves_the_last_day(district, command_user):
    order = start(district.grid_a, START, "v9-close-contact")
    extended = do_extend(command_user, order, 3, "复阳观察", now=at(D(2022, 7, 9)))
    assert extended.end_day == D(2022, 7, 13)
    assert kind_on(extended, D(2022, 7, 13)) == "health_monitoring"
