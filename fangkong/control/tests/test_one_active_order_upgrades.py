"""A person has at most one active order: a new reason upgrades or extends it (the stricter measure wins)."""

from __future__ import annotations

import datetime

import pytest
from django.db import IntegrityError, transaction

from fangkong.control.models import ControlOrder, OrderStatus, Reason, StageKind
from fangkong.control.tests.helpers import at, kind_on, start

D = datetime.date


def test_a_stricter_reason_upgrades_the_active_order_and_recomputes_dates(district):
    home = start(district.grid_a, D(2021, 8, 1), "2021-7-7", reason=Reason.SECONDARY_CONTACT)
    upgraded = start(
        district.grid_a, D(2021, 8, 3), person=home.person, reason=Reason.CLOSE_CONTACT, now=at(D(2021, 8, 3))
    )
    assert upgraded.pk == home.pk
    assert upgraded.protocol.code == "2021-14-7-7" and upgraded.start_day == D(2021, 8, 3)
    assert upgraded.end_day == D(2021, 8, 30)
    assert kind_on(upgraded, D(2021, 8, 3)) == StageKind.CENTRAL_ISOLATION
    # Tests were planned again for the new protocol.
    assert upgraded.tests.filter(day=D(2021, 8, 16)).exists()
    assert ControlOrder.objects.filter(person=home.person).count() == 1


def test_a_weaker_reason_leaves_the_stricter_order_as_it_is(district):
    central = start(district.grid_a, D(2021, 8, 1))
    same = start(
        district.grid_a, D(2021, 8, 2), "2021-monitoring-7", person=central.person, now=at(D(2021, 8, 2))
    )
    assert same.pk == central.pk and same.protocol.code == "2021-14-7-7" and same.start_day == D(2021, 8, 1)


def test_the_same_measure_with_a_later_end_extends(district):
    first = start(district.grid_a, D(2021, 8, 1), "2021-monitoring-7")
    later = start(
        district.grid_a, D(2021, 8, 5), "2021-monitoring-7", person=first.person, now=at(D(2021, 8, 5))
    )
    assert later.pk == first.pk and later.end_day == D(2021, 8, 11)


def test_the_database_refuses_a_second_active_order(district):
    order = start(district.grid_a, D(2021, 8, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        ControlOrder.objects.create(
            person=order.person,
            region=order.region,
            reason=Reason.RETURNEE,
            protocol=order.protocol,
            start_day=order.start_day,
            end_day=order.end_day,
            created_at=order.created_at,
            status=OrderStatus.ACTIVE,
        )
