"""Stages change by date, in Beijing days: every boundary of 14+7+7 and of 第九版 7+3."""

from __future__ import annotations

import datetime

import pytest

from fangkong.control import days
from fangkong.control.models import ControlOrder, StageKind
from fangkong.control.tests.helpers import at, kind_on, start

D = datetime.date
START = D(2021, 8, 1)


@pytest.mark.parametrize(
    ("day", "kind"),
    [
        (D(2021, 7, 31), None),
        (D(2021, 8, 1), StageKind.CENTRAL_ISOLATION),
        (D(2021, 8, 14), StageKind.CENTRAL_ISOLATION),
        (D(2021, 8, 15), StageKind.HOME_ISOLATION),
        (D(2021, 8, 21), StageKind.HOME_ISOLATION),
        (D(2021, 8, 22), StageKind.HEALTH_MONITORING),
        (D(2021, 8, 28), StageKind.HEALTH_MONITORING),
        (D(2021, 8, 29), None),
    ],
)
def test_every_boundary_of_14_7_7(district, day, kind):
    order = start(district.grid_a, START)
    stage = order.stage_on(day)
    assert (stage.kind if stage else None) == kind
    counts = days.kind_counts(ControlOrder.objects.all(), day)
    assert counts == ({kind.value: 1} if kind else {})


@pytest.mark.parametrize(
    ("day", "kind"),
    [
        (D(2022, 7, 7), StageKind.CENTRAL_ISOLATION),
        (D(2022, 7, 8), StageKind.HEALTH_MONITORING),
        (D(2022, 7, 10), StageKind.HEALTH_MONITORING),
        (D(2022, 7, 11), None),
    ],
)
def test_every_boundary_of_the_ninth_edition(district, day, kind):
    order = start(district.grid_a, D(2022, 7, 1), "v9-close-contact")
    stage = order.stage_on(day)
    assert (stage.kind if stage else None) == kind
    assert order.end_day == D(2022, 7, 10)


def test_the_stage_follows_the_beijing_day_not_utc(district):
    order = start(district.grid_a, START)
    # 2021-08-14 16:30 UTC is already 08-15 00:30 in Beijing: home isolation.
    now = datetime.datetime(2021, 8, 14, 16, 30, tzinfo=datetime.UTC)
    from fangkong.lib.reporting_day import local_date

    assert kind_on(order, local_date(now)) == StageKind.HOME_ISOLATION
    assert kind_on(order, local_date(now - datetime.timedelta(hours=1))) == StageKind.CENTRAL_ISOLATION


def test_tomorrows_transfers_are_the_orders_whose_place_changes(district):
    moving = start(district.grid_a, START, name="甲")
    start(district.grid_a, D(2021, 8, 2), name="乙")
    on_14 = list(days.transfers_tomorrow(ControlOrder.objects.all(), D(2021, 8, 14)))
    assert on_14 == [moving]
    # Home isolation → monitoring "anywhere" is a change of place too (the home stage ends).
    assert list(days.transfers_tomorrow(ControlOrder.objects.all(), D(2021, 8, 21))) == [moving]
    assert list(days.transfers_tomorrow(ControlOrder.objects.all(), D(2021, 8, 10))) == []


def test_due_tests_are_planned_on_the_protocol_days(district):
    order = start(district.grid_a, START)
    assert [t.day for t in order.tests.order_by("day")] == [
        D(2021, 8, 1),
        D(2021, 8, 4),
        D(2021, 8, 7),
        D(2021, 8, 14),
        D(2021, 8, 16),
        D(2021, 8, 21),
    ]


def test_a_start_in_the_past_counts_from_that_day(district):
    order = start(district.grid_a, D(2021, 8, 1), now=at(D(2021, 8, 10)))
    assert order.day_number(D(2021, 8, 10)) == 10
    assert kind_on(order, D(2021, 8, 10)) == StageKind.CENTRAL_ISOLATION
