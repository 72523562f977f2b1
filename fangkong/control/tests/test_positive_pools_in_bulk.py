"""The members of all positive pools of a lab import are put under control at once (`do_start_orders_for_pools`,
from `testing.signals.pools_positive`): the same orders, planned tests, day counts and audit as one
`do_start_order` each, in a number of statements that does not grow with the members; results land on due tests
set-based."""

from __future__ import annotations

import datetime
import uuid

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from fangkong.audit.models import AuditAction, AuditEvent
from fangkong.control import counts
from fangkong.control.actions import do_record_test_results, do_start_orders_for_pools
from fangkong.control.models import ControlOrder, DueTest, OrderStatus, Reason
from fangkong.control.tests.helpers import Result, at, protocol, start
from fangkong.people.tests.helpers import create_person
from fangkong.testing import signals

from .test_day_counts_kept_by_actions import table

D = datetime.date
TODAY = D(2021, 8, 5)
NOW = at(TODAY)


def test_every_member_of_every_pool_gets_one_order_with_its_tests_counts_and_audit(district, grid_worker_a):
    first = [create_person(district.grid_a, name=f"甲{n}") for n in range(3)]
    second = [create_person(district.village_b, name=f"乙{n}") for n in range(2)]
    with time_machine.travel(NOW, tick=False):
        handled = do_start_orders_for_pools(
            {"pool:A": [p.pk for p in first], "pool:B": [p.pk for p in second] + [first[0].pk]}, now=NOW
        )
    assert handled == 5
    orders = {o.person_id: o for o in ControlOrder.objects.filter(status=OrderStatus.ACTIVE)}
    assert set(orders) == {p.pk for p in first + second}
    assert orders[first[0].pk].source_ref == "pool:A"  # the first pool is the source
    assert orders[second[0].pk].source_ref == "pool:B"
    for order in orders.values():
        assert order.reason == Reason.POOL_POSITIVE and order.start_day == TODAY
        assert order.end_day == order.protocol.plan.end_day(TODAY)
        planned = [(t.stage, t.day) for t in order.tests.order_by("day")]
        assert planned == list(order.protocol.plan.test_dates(TODAY))
    # As `grid_worker_for`: the grid's worker, none for a person registered at village level.
    assert orders[first[1].pk].grid_worker == grid_worker_a
    assert orders[second[1].pk].grid_worker is None
    events = AuditEvent.objects.filter(action=AuditAction.CREATE, object_type="control.controlorder")
    assert {e.object_uuid for e in events} == {o.uuid for o in orders.values()}
    assert all(e.changes["reason"] == [None, Reason.POOL_POSITIVE] for e in events)
    assert {e.region_id for e in events} == {district.grid_a.pk, district.village_b.pk}
    kept = table()
    counts.rebuild()
    assert table() == kept


def test_a_person_under_an_order_goes_through_the_upgrade_rules(district):
    person = create_person(district.grid_a, name="在管")
    stricter = start(district.grid_a, TODAY, "2021-14-7-7", person=person, now=NOW)
    before = (stricter.protocol_id, stricter.start_day, stricter.end_day)
    other = create_person(district.grid_a, name="新")
    with time_machine.travel(NOW, tick=False):
        do_start_orders_for_pools({"pool:C": [person.pk, other.pk]}, now=NOW)
    assert ControlOrder.objects.filter(person=person, status=OrderStatus.ACTIVE).count() == 1
    stricter.refresh_from_db()
    # Started today under the same protocol: as strict, so the order stays and the new reason is recorded.
    assert (stricter.protocol_id, stricter.start_day, stricter.end_day) == before
    assert AuditEvent.objects.filter(object_uuid=stricter.uuid, action=AuditAction.UPDATE).exists()
    assert ControlOrder.objects.get(person=other).source_ref == "pool:C"


def test_the_statements_do_not_grow_with_the_members(district):
    few = [create_person(district.grid_a, name=f"少{n}") for n in range(2)]
    many = [create_person(district.grid_a, name=f"多{n}") for n in range(30)]
    protocol("2021-14-7-7")
    with time_machine.travel(NOW, tick=False):
        with CaptureQueriesContext(connection) as small:
            do_start_orders_for_pools({"pool:1": [p.pk for p in few]}, now=NOW)
        with CaptureQueriesContext(connection) as large:
            do_start_orders_for_pools(
                {"pool:2": [p.pk for p in many[:10]], "pool:3": [p.pk for p in many[10:]]}, now=NOW
            )
    assert len(large) <= len(small) + 2  # a second bulk batch of tests at most
    assert ControlOrder.objects.count() == 32


def test_a_lab_import_announces_all_its_positive_pools_once(district):
    person = create_person(district.grid_a, name="混管")
    pools = {uuid.uuid4(): [person.pk]}
    with time_machine.travel(NOW, tick=False):
        signals.pools_positive.send(sender=object, pools=pools, now=NOW)
    order = ControlOrder.objects.get(person=person)
    assert order.source_ref == f"pool:{next(iter(pools))}" and order.reason == Reason.POOL_POSITIVE


def test_results_land_set_based_on_the_due_tests(district):
    orders = [
        start(district.grid_a, TODAY, person=create_person(district.grid_a, name=f"测{n}")) for n in range(5)
    ]
    days = [t.day for t in orders[0].tests.order_by("day")]
    results = [Result(o.subject_id, day) for o in orders for day in days]
    stranger = create_person(district.grid_a, name="无令")
    results += [Result(stranger.pk, TODAY), Result(orders[0].subject_id, TODAY + datetime.timedelta(days=1))]
    with CaptureQueriesContext(connection) as queries:
        landed = do_record_test_results(results, at(days[-1], 20))
    assert landed == 5 * len(days) + 1
    assert len(queries) < 15
    assert not DueTest.objects.filter(order__in=orders, planned=True, result="").exists()
    extra = DueTest.objects.get(order=orders[0], planned=False)
    assert extra.day == TODAY + datetime.timedelta(days=1) and extra.result == "negative"
    assert (
        AuditEvent.objects.filter(action=AuditAction.UPDATE, object_type="control.controlorder").count()
        == landed
    )
    # Replayed: nothing changes.
    assert do_record_test_results(results, at(days[-1], 21)) == 0
