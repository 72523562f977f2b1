"""A lab import writes its results set-based (one update per result value, not per row, Ct values included) and
announces all its positive pools once (`signals.pools_positive`), so control starts their orders in bulk."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from fangkong.control.models import ControlOrder, Reason
from fangkong.people.tests.helpers import create_person
from fangkong.testing import signals
from fangkong.testing.actions import PoolIn, do_import_results, do_register_pools
from fangkong.testing.models import Recall, Tube

from .conftest import NOW

LATER = NOW + datetime.timedelta(hours=6)


def _pools(collector, point, rnd, district, prefix: str, n: int) -> list[str]:
    barcodes = [f"{prefix}{i:04d}" for i in range(n)]
    people = [create_person(district.grid_a, f"{prefix}{i}") for i in range(2 * n)]
    do_register_pools(
        collector,
        point=point,
        pools=[PoolIn(b, 5, [people[2 * i].pk, people[2 * i + 1].pk]) for i, b in enumerate(barcodes)],
        purpose="round",
        rnd=rnd,
        now=NOW,
    )
    return barcodes


def _import(collector, tmp_path: Path, name: str, barcodes: list[str], positives: int):
    lines = ["条码,结果,ORF1ab,N,检测时间,检测机构"]
    for i, b in enumerate(barcodes):
        if i < positives:
            lines.append(f"{b},阳性,{20 + i}.5,{30 - i}.5,2021-08-03 14:00,市疾控")
        else:
            lines.append(f"{b},阴性,,,2021-08-03 14:00,市疾控")
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with CaptureQueriesContext(connection) as queries:
        batch = do_import_results(collector, path, name, now=LATER)
    assert batch.status == "done", batch.errors
    return queries


def test_positive_rows_cost_no_statement_each_and_keep_their_ct_values(
    collector, point, rnd, district, tmp_path
):
    few = _import(collector, tmp_path, "a.csv", _pools(collector, point, rnd, district, "A", 8), 1)
    many = _import(collector, tmp_path, "b.csv", _pools(collector, point, rnd, district, "B", 8), 6)
    assert len(many) <= len(few) + 2  # the urgent report's pools are read once, whatever their number
    tube = Tube.objects.get(barcode="B0003")
    assert (tube.result, tube.ct_orf1ab, tube.ct_n) == ("positive", 23.5, 27.5)
    negative = Tube.objects.get(barcode="B0007")
    assert (negative.result, negative.ct_orf1ab, negative.ct_n) == ("negative", None, None)
    assert Recall.objects.filter(pool__barcode__startswith="B").count() == 12


def test_all_positive_pools_of_an_import_are_announced_once_and_put_under_control(
    collector, point, rnd, district, tmp_path, django_capture_on_commit_callbacks
):
    barcodes = _pools(collector, point, rnd, district, "C", 5)
    sent: list[dict[str, Any]] = []
    signals.pools_positive.connect(lambda sender, **kw: sent.append(kw), weak=False, dispatch_uid="t-bulk")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            _import(collector, tmp_path, "c.csv", barcodes, 3)
    finally:
        signals.pools_positive.disconnect(dispatch_uid="t-bulk")
    assert len(sent) == 1
    pools = sent[0]["pools"]
    assert set(pools) == set(Tube.objects.filter(barcode__in=barcodes[:3]).values_list("uuid", flat=True))
    orders = ControlOrder.objects.filter(reason=Reason.POOL_POSITIVE)
    assert orders.count() == 6
    assert {o.source_ref for o in orders} == {f"pool:{u}" for u in pools}
