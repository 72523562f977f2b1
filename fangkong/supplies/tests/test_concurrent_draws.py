"""Two draws at once cannot both take the last units: the stock row is locked (PostgreSQL, real threads)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections
from django.db.models import Sum
from django.utils import timezone

from fangkong.supplies.actions import InsufficientStock, do_issue
from fangkong.supplies.models import Movement
from fangkong.supplies.tests.helpers import item, receive, warehouse

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks need PostgreSQL (SQLite serialises writers)"
)
def test_concurrent_draws_never_make_stock_negative(district):
    from fangkong.tests.conftest import ensure_migration_seeds

    ensure_migration_seeds()  # a transactional test after a live-server test finds the seeded items flushed
    w = warehouse(district.township_a)
    receive(w, 10, lot="A")
    receive(w, 5, lot="B")
    barrier = threading.Barrier(8)
    outcomes: list[str] = []
    lock = threading.Lock()

    def draw() -> None:
        try:
            barrier.wait()
            do_issue(None, w, item(), quantity=3, reason="并发领用", now=timezone.now())
            result = "ok"
        except InsufficientStock:
            result = "refused"
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=draw) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes.count("ok") == 5  # 15 units, 3 per draw
    assert outcomes.count("refused") == 3
    balances = Movement.objects.filter(stock__warehouse=w).values("lot__number").annotate(s=Sum("quantity"))
    assert all(row["s"] >= 0 for row in balances)
    assert sum(row["s"] for row in balances) == 0
