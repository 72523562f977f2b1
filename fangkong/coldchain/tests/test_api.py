"""GET /api/v1/coldchain/lots: scoped lots with what still blocks their release; outsiders get 404 / nothing."""

from __future__ import annotations

import pytest
from django.utils import timezone

from fangkong.coldchain.actions import (
    do_create_enterprise,
    do_record_disinfection,
    do_record_lot_test,
    do_register_lot,
)


@pytest.fixture
def lot(district, cadre_a):
    store = do_create_enterprise(
        cadre_a, name="王助冷库", kind="cold_store", region=district.village_a, now=timezone.now()
    )
    return do_register_lot(
        cadre_a,
        store,
        product="冻带鱼",
        origin_country="印度",
        quantity="5吨",
        arrived_on=timezone.localdate(),
        trace_code="HN2021080300001",
        now=timezone.now(),
    )


def test_lots_show_what_blocks_their_release(cadre_a, lot, client_for):
    client = client_for(cadre_a)
    [row] = client.get("/api/v1/coldchain/lots").json()
    assert row["uuid"] == str(lot.uuid) and row["status"] == "arrived"
    assert row["release_problems"] == ["test", "disinfection"]
    do_record_lot_test(cadre_a, lot, result="negative", reference="HS-1", now=timezone.now())
    do_record_disinfection(cadre_a, lot, certificate="XD-1", now=timezone.now())
    detail = client.get(f"/api/v1/coldchain/lots/{lot.uuid}").json()
    assert detail["release_problems"] == [] and detail["test_result"] == "negative"


def test_lots_filter_by_status_and_enterprise(cadre_a, lot, client_for):
    client = client_for(cadre_a)
    url = "/api/v1/coldchain/lots"
    assert len(client.get(url, {"status": "arrived", "enterprise": str(lot.enterprise.uuid)}).json()) == 1
    assert client.get(url, {"status": "released"}).json() == []
    assert client.get(url, {"status": "lost"}).status_code == 422


def test_an_outsider_sees_no_lot(cadre_b, lot, client, client_for):
    other = client_for(cadre_b)
    assert other.get("/api/v1/coldchain/lots").json() == []
    assert other.get(f"/api/v1/coldchain/lots/{lot.uuid}").status_code == 404
    assert other.get("/api/v1/coldchain/lots", {"enterprise": str(lot.enterprise.uuid)}).status_code == 404
    assert client.get("/api/v1/coldchain/lots").status_code == 401
    assert other.delete(f"/api/v1/coldchain/lots/{lot.uuid}").status_code == 405
