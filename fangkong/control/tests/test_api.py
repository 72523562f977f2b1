"""GET /api/v1/control/orders and /orders/<uuid>: the caller's jurisdiction only, masked documents."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from fangkong.control.tests.helpers import at, start

D = datetime.date
TODAY = D(2021, 8, 10)
URL = "/api/v1/control/orders"


@pytest.fixture
def travel():
    with time_machine.travel(at(TODAY), tick=False):
        yield


@pytest.fixture
def orders(district, travel):
    a = start(district.grid_a, TODAY, name="甲镇隔离")
    b = start(district.grid_b, TODAY - datetime.timedelta(days=15), name="乙镇居家")
    return a, b


def test_the_command_office_lists_every_order_with_its_stage_today(orders, command_user, client_for):
    body = client_for(command_user).get(URL).json()
    assert [(o["person_name"], o["stage_today"]) for o in body] == [
        ("甲镇隔离", "central_isolation"),
        ("乙镇居家", "home_isolation"),
    ]
    first = body[0]
    assert first["unit_code"] == "G41097210020101" and first["protocol"] == "2021-14-7-7"
    assert first["document"].startswith("4") and "*" in first["document"]


def test_a_township_cadre_sees_only_the_township(orders, cadre_a, client_for):
    client = client_for(cadre_a)
    assert [o["person_name"] for o in client.get(URL).json()] == ["甲镇隔离"]
    assert client.get(URL, {"unit": "410972101"}).status_code == 404  # township B
    assert client.get(URL, {"unit": "NOPE0000"}).status_code == 404
    assert client.get(f"{URL}/{orders[1].uuid}").status_code == 404
    assert client.get(f"{URL}/{orders[0].uuid}").json()["person_name"] == "甲镇隔离"


def test_filters_and_bad_input(orders, command_user, client_for):
    client = client_for(command_user)
    assert [o["person_name"] for o in client.get(URL, {"unit": "410972101"}).json()] == ["乙镇居家"]
    assert client.get(URL, {"status": "released"}).json() == []
    assert len(client.get(URL, {"status": "all", "limit": 1}).json()) == 1
    assert client.get(URL, {"status": "nonsense"}).status_code == 400
    assert client.get(URL, {"limit": 500}).status_code == 400
    assert client.get(URL, {"offset": -1}).status_code == 400


def test_anonymous_and_wrong_method(orders, client, command_user, client_for):
    assert client.get(URL).status_code == 401
    assert client_for(command_user).post(URL, {}, content_type="application/json").status_code == 405


def test_the_query_count_does_not_grow_with_the_orders(district, command_user, client_for, travel):
    client = client_for(command_user)
    start(district.grid_a, TODAY, name="一")
    client.get(URL)
    with CaptureQueriesContext(connection) as one:
        client.get(URL)
    for n in range(5):
        start(district.grid_a, TODAY, name=f"多{n}")
    with CaptureQueriesContext(connection) as many:
        assert len(client.get(URL).json()) == 6
    assert len(many) == len(one)
