"""The small read APIs of issue 15: vaccination coverage, supplies stock per warehouse, rectification items —
scoped to the caller's jurisdiction (outside: 404), counts and findings only, bad input 422, wrong method 405."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.utils import timezone

from fangkong.supervision.actions import do_report_fix
from fangkong.supervision.tests.helpers import bj, make_inspector, open_item, photo
from fangkong.supplies.actions import do_set_threshold
from fangkong.supplies.tests.helpers import item, receive, warehouse
from fangkong.vaccination.tests.helpers import give_doses, person_aged

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_coverage_by_unit_band_and_group(district, command_user, cadre_a, client_for):
    give_doses(person_aged(district.grid_a, 14), 2)
    person_aged(district.grid_a, 15)
    person_aged(district.grid_b, 30)
    data = client_for(command_user).get("/api/v1/vaccination/coverage").json()
    assert data["unit"]["region_code"] == district.county.code
    assert data["unit"]["total"]["population"] == 3 and data["unit"]["total"]["completed"] == 1
    by_code = {c["region_code"]: c for c in data["children"]}
    teens = next(b for b in by_code[district.township_a.code]["bands"] if b["population"])
    assert (teens["population"], teens["completed"], teens["rate"]) == (2, 1, 50.0)
    assert "张三" not in str(data)  # counts only
    mine = client_for(cadre_a).get(f"/api/v1/vaccination/coverage?region={district.village_a.code}")
    assert mine.status_code == 200 and mine.json()["unit"]["total"]["population"] == 2


def test_coverage_of_another_township_is_404(district, cadre_a, client_for, client):
    client_a = client_for(cadre_a)
    assert client_a.get(f"/api/v1/vaccination/coverage?region={district.township_b.code}").status_code == 404
    assert client_a.get("/api/v1/vaccination/coverage?region=NOPE").status_code == 404
    assert client_a.get("/api/v1/vaccination/coverage?region=a%00b").status_code == 422
    assert client_a.post("/api/v1/vaccination/coverage").status_code == 405
    assert client.get("/api/v1/vaccination/coverage").status_code == 401


def test_stock_per_warehouse_with_threshold_and_expiry(district, cadre_a, cadre_b, client_for):
    w = warehouse(district.township_a)
    soon = timezone.localdate() + datetime.timedelta(days=10)
    receive(w, 30, lot="A1", expires_on=soon)
    receive(w, 50, lot="A2")
    do_set_threshold(cadre_a, w, item(), 100)
    warehouse(district.township_b, "新习镇物资库")
    data = client_for(cadre_a).get("/api/v1/supplies/stock").json()
    assert [x["name"] for x in data] == ["王助镇物资库"]
    masks = next(s for s in data[0]["stocks"] if s["item_code"] == "n95_mask")
    assert (masks["usable"], masks["reorder_threshold"], masks["below_threshold"]) == (80, 100, True)
    assert [(lot["number"], lot["balance"]) for lot in masks["expiring_lots"]] == [("A1", 30)]
    assert (
        client_for(cadre_b).get(f"/api/v1/supplies/stock?region={district.township_a.code}").status_code
        == 404
    )


def test_stock_needs_the_supplies_permission(district, grid_worker_a, client_for):
    # The grid worker does not read supplies (not in the role's grants): 404 as for everything unseen.
    assert client_for(grid_worker_a).get("/api/v1/supplies/stock").status_code == 404


def test_items_overdue_first_and_scoped(district, cadre_a, cadre_b, command_user, client_for):
    inspector = make_inspector(district.county)
    later = open_item(inspector, district.village_a, due_on=datetime.date(2021, 8, 20), now=bj(2021, 8, 10))
    late = open_item(
        inspector,
        district.village_a,
        due_on=datetime.date(2021, 8, 11),
        now=bj(2021, 8, 9),
        description="逾期事项",
    )
    do_report_fix(cadre_a, later, note="已整改", photos=[photo()], now=bj(2021, 8, 12))
    open_item(inspector, district.township_b, now=bj(2021, 8, 10), description="乙镇事项")
    client = client_for(cadre_a)
    with time_machine.travel(bj(2021, 8, 13), tick=False):  # `late` is overdue, `later` is not yet
        data = client.get("/api/v1/supervision/items").json()
        assert client.get("/api/v1/supervision/items?status=overdue").json()["count"] == 1
    assert data["count"] == 2
    assert [r["uuid"] for r in data["results"]] == [str(late.uuid), str(later.uuid)]
    assert [r["overdue"] for r in data["results"]] == [True, False]
    assert "inspector" not in data["results"][0] and "ducha" not in str(data)
    assert client.get("/api/v1/supervision/items?status=reported").json()["count"] == 1
    assert client.get("/api/v1/supervision/items?status=bogus").status_code == 422
    assert client.get("/api/v1/supervision/items?page_size=0").status_code == 422
    assert client.get(f"/api/v1/supervision/items?region={district.township_b.code}").status_code == 404
    assert client_for(command_user).get("/api/v1/supervision/items").json()["count"] == 3
    assert client.post("/api/v1/supervision/items").status_code == 405
