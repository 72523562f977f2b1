"""Stock is the sum of movements; an out-movement that would go negative is refused whole; draws take the lots
that expire first and never an expired one; transfers keep lots; a count records the difference."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.utils import timezone

from fangkong.audit.models import AuditEvent
from fangkong.supplies.actions import InsufficientStock, do_count, do_issue, do_transfer, lot_balances
from fangkong.supplies.models import Movement, MovementKind, Stock
from fangkong.supplies.public import NoWarehouse, draw_items
from fangkong.supplies.tests.helpers import item, receive, warehouse

pytestmark = pytest.mark.django_db


def total(w, code="n95_mask"):
    return (
        Movement.objects.filter(stock__warehouse=w, stock__item__code=code).aggregate(s=Sum("quantity"))["s"]
        or 0
    )


def test_stock_is_the_sum_of_its_movements(district, cadre_a):
    w = warehouse(district.township_a)
    receive(w, 100)
    do_issue(cadre_a, w, item(), quantity=30, reason="发放卡口", now=timezone.now())
    assert total(w) == 70
    assert Movement.objects.filter(stock__warehouse=w).count() == 2
    assert AuditEvent.objects.filter(object_type="supplies.movement").count() == 2


def test_an_issue_that_would_go_negative_is_refused_and_writes_nothing(district, cadre_a):
    w = warehouse(district.township_a)
    receive(w, 10)
    with pytest.raises(InsufficientStock):
        do_issue(cadre_a, w, item(), quantity=11, reason="发放", now=timezone.now())
    assert total(w) == 10
    assert Movement.objects.count() == 1


def test_a_draw_takes_the_lot_that_expires_first_and_skips_expired_ones(district, cadre_a):
    today = timezone.localdate()
    w = warehouse(district.township_a)
    receive(w, 5, lot="OLD", expires_on=today - datetime.timedelta(days=1))
    receive(w, 5, lot="LATE", expires_on=today + datetime.timedelta(days=300))
    receive(w, 5, lot="SOON", expires_on=today + datetime.timedelta(days=20))
    moves = do_issue(cadre_a, w, item(), quantity=7, reason="发放", now=timezone.now())
    assert [(m.lot.number, m.quantity) for m in moves] == [("SOON", -5), ("LATE", -2)]
    with pytest.raises(InsufficientStock):
        do_issue(cadre_a, w, item(), quantity=4, reason="发放", now=timezone.now())  # 3 usable, 5 expired


def test_a_transfer_moves_lots_between_warehouses(district, cadre_a):
    today = timezone.localdate()
    a = warehouse(district.township_a)
    b = warehouse(district.village_a, "王助村物资点")
    receive(a, 50, lot="T1", expires_on=today + datetime.timedelta(days=90))
    moves = do_transfer(cadre_a, a, b, item(), quantity=20, reason="下发村", now=timezone.now())
    assert {m.kind for m in moves} == {MovementKind.TRANSFER_OUT, MovementKind.TRANSFER_IN}
    assert (total(a), total(b)) == (30, 20)
    b_lot = Stock.objects.get(warehouse=b).lots.get()
    assert (b_lot.number, b_lot.expires_on) == ("T1", today + datetime.timedelta(days=90))
    with pytest.raises(InsufficientStock):
        do_transfer(cadre_a, a, b, item(), quantity=31, reason="下发村", now=timezone.now())


def test_a_count_records_the_difference(district, cadre_a):
    w = warehouse(district.township_a)
    lot = receive(w, 100).lot
    adj = do_count(cadre_a, lot, counted=96, reason="月末盘点", now=timezone.now())
    assert adj is not None and (adj.kind, adj.quantity) == (MovementKind.ADJUSTMENT, -4)
    assert do_count(cadre_a, lot, counted=96, reason="复盘", now=timezone.now()) is None
    assert lot_balances(lot.stock) == {lot.pk: 96}


def test_bad_quantities_and_missing_reasons_are_refused(district, cadre_a):
    w = warehouse(district.township_a)
    receive(w, 10)
    for quantity, reason in [(0, "发放"), (-1, "发放"), (None, "发放"), (1, "  ")]:
        with pytest.raises(ValidationError):
            do_issue(cadre_a, w, item(), quantity=quantity, reason=reason, now=timezone.now())
    assert total(w) == 10


def test_the_public_draw_serves_a_testing_point_from_its_township_once_per_pool(district):
    w = warehouse(district.township_a)
    receive(w, 100, code="sampling_tube")
    first = draw_items(
        region=district.grid_a,
        item_code="sampling_tube",
        quantity=10,
        reason="混采10合1封管",
        ref="pool-1",
        now=timezone.now(),
    )
    again = draw_items(
        region=district.grid_a,
        item_code="sampling_tube",
        quantity=10,
        reason="混采10合1封管",
        ref="pool-1",
        now=timezone.now(),
    )
    assert [m.pk for m in first] == [m.pk for m in again]
    assert total(w, "sampling_tube") == 90
    with pytest.raises(NoWarehouse):
        draw_items(
            region=district.grid_b,
            item_code="sampling_tube",
            quantity=1,
            reason="x",
            ref="p2",
            now=timezone.now(),
        )
