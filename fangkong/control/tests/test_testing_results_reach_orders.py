"""The lab's results reach control without typing: a negative single tube lands on the order's due test of its
day, and a positive pool puts every member under control (testing announces, control listens)."""

from __future__ import annotations

import datetime

from conftest import make_user
from fangkong.accounts.permissions import Role
from fangkong.control.models import ControlOrder, OrderStatus, Reason
from fangkong.control.tests.helpers import at, start
from fangkong.people.tests.helpers import create_person
from fangkong.testing.actions import ResultRow, do_create_point, do_record_results, do_register_sample
from fangkong.testing.models import Purpose

D = datetime.date
START = D(2022, 7, 1)  # 第九版 7+3 close contact: tests on 07-01, 02, 03, 05, 07, 10


def _point(district, collector, now):
    return do_create_point(
        collector,
        region=district.township_a,
        name="王助镇卫生院采样点",
        address="王助镇政府路1号",
        opening_hours="08:00–12:00",
        desks=1,
        now=now,
    )


def test_a_negative_tube_on_a_test_day_lands_on_the_order(district, django_capture_on_commit_callbacks):
    collector = make_user("jiance", Role.TESTING_STAFF, district.county)
    order = start(district.grid_a, START, "v9-close-contact")
    day = D(2022, 7, 2)
    point = _point(district, collector, at(day, 8))
    do_register_sample(
        collector,
        point=point,
        barcode="C0001",
        person=order.subject,
        purpose=Purpose.CONTROL,
        reference=str(order.uuid),
        now=at(day, 9),
    )
    with django_capture_on_commit_callbacks(execute=True):
        do_record_results(
            collector,
            [ResultRow(row=2, barcode="C0001", result="negative", resulted_at=at(day, 18))],
            now=at(day, 19),
        )
    test = order.tests.get(day=day)
    assert test.result == "negative" and test.sample_uuid is not None
    assert order.tests.filter(result="negative").count() == 1


def test_a_positive_pool_puts_each_member_under_control(district, django_capture_on_commit_callbacks):
    collector = make_user("jiance", Role.TESTING_STAFF, district.county)
    now = at(D(2022, 7, 1), 9)
    point = _point(district, collector, now)
    members = [create_person(district.grid_a, f"居民{i}", phone=f"1390000{i:04d}") for i in range(5)]
    for person in members:
        do_register_sample(
            collector, point=point, barcode="P0001", person=person, capacity=5, purpose=Purpose.OTHER, now=now
        )
    with django_capture_on_commit_callbacks(execute=True):
        do_record_results(
            collector,
            [ResultRow(row=2, barcode="P0001", result="positive", resulted_at=now)],
            now=now + datetime.timedelta(hours=6),
        )
    orders = ControlOrder.objects.filter(person__in=members, status=OrderStatus.ACTIVE)
    assert orders.count() == 5
    assert {o.reason for o in orders} == {Reason.POOL_POSITIVE}
    assert all(o.source_ref.startswith("pool:") for o in orders)
