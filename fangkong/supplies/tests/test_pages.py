"""The township cadre records supplies in and out on the warehouse page and sees the warning on the unit's
page; readers read, outsiders get 404."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from fangkong.supplies.actions import do_set_threshold
from fangkong.supplies.models import Movement, Warehouse
from fangkong.supplies.tests.helpers import item, receive, warehouse

pytestmark = pytest.mark.django_db


def test_the_cadre_creates_a_warehouse_records_in_and_out_and_sees_the_warning(district, cadre_a, client_for):
    client = client_for(cadre_a)
    r = client.post("/supplies/warehouses/new", {"region": district.township_a.pk, "name": "王助镇物资库"})
    assert r.status_code == 302
    w = Warehouse.objects.get()
    n95 = item()
    expiry = (timezone.localdate() + datetime.timedelta(days=200)).isoformat()
    assert (
        client.post(
            f"/supplies/warehouses/{w.uuid}/receive",
            {
                "in-item": n95.pk,
                "in-quantity": 100,
                "in-lot_number": "N2021",
                "in-expires_on": expiry,
                "in-reason": "区指挥部调拨",
            },
        ).status_code
        == 302
    )
    assert (
        client.post(
            f"/supplies/warehouses/{w.uuid}/threshold", {"th-item": n95.pk, "th-threshold": 60}
        ).status_code
        == 302
    )
    assert (
        client.post(
            f"/supplies/warehouses/{w.uuid}/issue",
            {"out-item": n95.pk, "out-quantity": 50, "out-reason": "发放卡口"},
        ).status_code
        == 302
    )
    page = client.get("/supplies/").content.decode()
    assert 'data-testid="supply-warnings"' in page and "N95" in page
    too_much = client.post(
        f"/supplies/warehouses/{w.uuid}/issue", {"out-item": n95.pk, "out-quantity": 51, "out-reason": "发放"}
    )
    assert too_much.status_code == 400
    assert Movement.objects.count() == 2


def test_a_count_adjusts_a_lot_through_the_page(district, cadre_a, client_for):
    w = warehouse(district.township_a)
    lot = receive(w, 30).lot
    client = client_for(cadre_a)
    r = client.post(
        f"/supplies/warehouses/{w.uuid}/lots/{lot.uuid}/count", {"count-counted": 28, "count-reason": "盘点"}
    )
    assert r.status_code == 302
    assert Movement.objects.filter(kind="adjustment").get().quantity == -2


def test_a_reader_sees_but_cannot_move(district, client_for, command_user):
    from conftest import make_user
    from fangkong.accounts.permissions import Role

    inspector = make_user("ducha", Role.INSPECTOR, district.county)
    w = warehouse(district.township_a)
    client = client_for(inspector)
    assert client.get(f"/supplies/warehouses/{w.uuid}/").status_code == 200
    r = client.post(
        f"/supplies/warehouses/{w.uuid}/issue", {"out-item": item().pk, "out-quantity": 1, "out-reason": "x"}
    )
    assert r.status_code == 404


def test_another_townships_warehouse_is_404(district, cadre_b, client_for):
    w = warehouse(district.township_a)
    client = client_for(cadre_b)
    assert client.get(f"/supplies/warehouses/{w.uuid}/").status_code == 404
    assert client.get(f"/supplies/?region={district.township_a.code}").status_code == 404


def test_the_unit_page_keeps_its_query_count(
    district, command_user, client_for, django_assert_max_num_queries
):
    for n in range(4):
        w = warehouse(district.township_a if n % 2 else district.township_b, f"库{n}")
        for code in ("n95_mask", "gloves", "sampling_tube"):
            receive(w, 10, code=code, expires_on=timezone.localdate() + datetime.timedelta(days=10))
            do_set_threshold(None, w, item(code), 20)  # type: ignore[arg-type]
    client = client_for(command_user)
    with django_assert_max_num_queries(12):
        assert client.get("/supplies/").status_code == 200


def test_the_warehouse_page_keeps_its_query_count(
    district, cadre_a, client_for, django_assert_max_num_queries
):
    w = warehouse(district.township_a)
    for code in ("n95_mask", "gloves", "sampling_tube", "swab"):
        receive(w, 10, code=code, lot="A")
        receive(w, 10, code=code, lot="B")
    client = client_for(cadre_a)
    with django_assert_max_num_queries(16):
        assert client.get(f"/supplies/warehouses/{w.uuid}/").status_code == 200
