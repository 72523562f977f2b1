"""Closing a pool uses a sampling tube: it is drawn from the warehouse serving the point's unit. Sampling never
waits for the store's books: with no warehouse or too few tubes on them, the sample stands and nothing is drawn."""

from __future__ import annotations

from django.db.models import Sum

from fangkong.supplies.models import Movement
from fangkong.supplies.tests.helpers import receive, warehouse
from fangkong.testing.actions import do_close_tube, do_register_sample
from fangkong.testing.models import Tube, TubeStatus

from .conftest import NOW


def _tubes_on_hand(store) -> int:
    moves = Movement.objects.filter(stock__warehouse=store, stock__item__code="sampling_tube")
    return moves.aggregate(total=Sum("quantity"))["total"] or 0


def test_a_full_pool_and_a_pool_closed_by_hand_each_draw_one_tube(district, collector, point, rnd, people):
    store = warehouse(district.township_a)
    receive(store, 10, code="sampling_tube", now=NOW)
    for person in people[:5]:
        do_register_sample(
            collector, point=point, barcode="P7001", person=person, capacity=5, rnd=rnd, now=NOW
        )
    assert _tubes_on_hand(store) == 9
    do_register_sample(
        collector, point=point, barcode="P7002", person=people[5], capacity=5, rnd=rnd, now=NOW
    )
    assert _tubes_on_hand(store) == 9  # still open
    do_close_tube(collector, Tube.objects.get(barcode="P7002"), now=NOW)
    assert _tubes_on_hand(store) == 8


def test_without_tubes_on_the_books_the_sample_still_stands(district, collector, point, rnd, people):
    store = warehouse(district.township_a)  # an empty store
    do_register_sample(
        collector, point=point, barcode="S7001", person=people[0], capacity=1, rnd=rnd, now=NOW
    )
    assert Tube.objects.get(barcode="S7001").status == TubeStatus.CLOSED
    assert _tubes_on_hand(store) == 0 and not Movement.objects.exists()
