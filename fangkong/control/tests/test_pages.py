"""The control pages: who sees what, bad input, wrong method, and the list's query count."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from fangkong.control.actions import do_create_site, do_record_test_results
from fangkong.control.models import ControlOrder, OrderStatus, Protocol, Stay
from fangkong.control.tests.helpers import Result, at, start

D = datetime.date
TODAY = D(2021, 8, 20)


@pytest.fixture
def travel():
    with time_machine.travel(at(TODAY), tick=False):
        yield


@pytest.mark.parametrize("url", ["/control/", "/control/orders/", "/control/sites/", "/control/protocols/"])
def test_the_command_office_opens_every_page(district, command_user, client_for, travel, url):
    start(district.grid_a, D(2021, 8, 10))
    assert client_for(command_user).get(url).status_code == 200


def test_an_outsider_gets_404_for_an_order_of_another_township(district, cadre_b, client_for, travel):
    order = start(district.grid_a, D(2021, 8, 10))
    client = client_for(cadre_b)
    assert client.get(f"/control/orders/{order.uuid}/").status_code == 404
    assert (
        client.post(f"/control/orders/{order.uuid}/close", {"action": "cancel", "reason": "x"}).status_code
        == 404
    )
    assert ControlOrder.objects.get().status == OrderStatus.ACTIVE


def test_the_list_shows_only_the_jurisdiction(district, cadre_a, client_for, travel):
    start(district.grid_a, D(2021, 8, 10), name="甲镇管控")
    start(district.grid_b, D(2021, 8, 10), name="乙镇管控")
    page = client_for(cadre_a).get("/control/orders/").content.decode()
    assert "甲镇管控" in page and "乙镇管控" not in page


def test_the_order_list_query_count_does_not_grow(district, command_user, client_for, travel):
    client = client_for(command_user)
    start(district.grid_a, D(2021, 8, 10), name="甲")
    client.get("/control/orders/")
    with CaptureQueriesContext(connection) as one:
        client.get("/control/orders/")
    for n in range(10):
        start(district.grid_a, D(2021, 8, 10), name=f"乙{n}")
    with CaptureQueriesContext(connection) as many:
        assert client.get("/control/orders/").status_code == 200
    assert len(many) == len(one) == 6  # session, user, count, page, the protocols' stages …


def test_the_grid_worker_cannot_release(district, grid_worker_a, client_for, travel):
    order = start(district.grid_a, D(2021, 8, 10))
    assert client_for(grid_worker_a).post(f"/control/orders/{order.uuid}/release").status_code == 404


def test_release_through_the_page_after_negative_tests(district, command_user, client_for):
    order = start(district.grid_a, D(2022, 7, 1), "v9-close-contact")
    client = client_for(command_user)
    with time_machine.travel(at(D(2022, 7, 11)), tick=False):
        response = client.post(f"/control/orders/{order.uuid}/release", follow=True)
        assert "2022-07-01" in response.content.decode()  # the missing tests are named
        do_record_test_results(
            [Result(order.subject_id, t.day) for t in order.tests.all()], at(D(2022, 7, 11))
        )
        client.post(f"/control/orders/{order.uuid}/release")
    order.refresh_from_db()
    assert order.status == OrderStatus.RELEASED


def test_a_result_typed_by_hand_lands_on_the_due_test(district, command_user, client_for, travel):
    order = start(district.grid_a, D(2021, 8, 10))
    client = client_for(command_user)
    bad = client.post(
        f"/control/orders/{order.uuid}/test", {"sampled_on": "2099-01-01", "result": "negative"}
    )
    assert bad.status_code == 400
    ok = client.post(f"/control/orders/{order.uuid}/test", {"sampled_on": "2021-08-13", "result": "negative"})
    assert ok.status_code == 302
    assert order.tests.get(day=D(2021, 8, 13)).result == "negative"


def test_check_in_through_the_page(district, command_user, client_for, travel):
    site = do_create_site(
        command_user, region=district.township_a, name="隔离酒店", address="", rooms=["101"]
    )
    order = start(district.grid_a, D(2021, 8, 10))
    client_for(command_user).post(f"/control/orders/{order.uuid}/check-in", {"site": site.pk})
    assert Stay.objects.get().order == order


def test_the_command_office_adds_an_edition_without_code(district, command_user, client_for, travel):
    client = client_for(command_user)
    response = client.post(
        "/control/protocols/",
        {
            "form": "protocol",
            "code": "2021-14-7-7",
            "name": "14+7+7 修订",
            "edition": "2021-09",
            "lookback_days": "14",
            "stages": "集中隔离 14 1,4,7,14\n居家隔离 7 2,7 /2\n健康监测 7",
        },
    )
    assert response.status_code == 302
    new = Protocol.objects.get(code="2021-14-7-7", version=2)
    assert [s.days for s in new.stages.order_by("position")] == [14, 7, 7]
    bad = client.post(
        "/control/protocols/",
        {"form": "protocol", "code": "x1", "name": "x", "lookback_days": "7", "stages": "隔离 99"},
    )
    assert bad.status_code == 400 and not Protocol.objects.filter(code="x1").exists()


def test_an_order_keeps_the_version_it_started_with(district, command_user, client_for, travel):
    order = start(district.grid_a, D(2021, 8, 10))
    client = client_for(command_user)
    client.post(
        "/control/protocols/",
        {
            "form": "protocol",
            "code": "2021-14-7-7",
            "name": "新",
            "lookback_days": "14",
            "stages": "集中隔离 21 1",
        },
    )
    new = Protocol.objects.get(code="2021-14-7-7", version=2)
    client.post("/control/protocols/", {"form": "trigger", "key": "reason:close_contact", "protocol": new.pk})
    order.refresh_from_db()
    assert order.protocol.version == 1 and order.end_day == D(2021, 9, 6)


def test_a_grid_worker_cannot_add_a_protocol(district, grid_worker_a, client_for, travel):
    response = client_for(grid_worker_a).post(
        "/control/protocols/",
        {"form": "protocol", "code": "x1", "name": "x", "lookback_days": "7", "stages": "集中隔离 7"},
    )
    assert response.status_code == 404


def test_wrong_method_is_refused(district, command_user, client_for, travel):
    order = start(district.grid_a, D(2021, 8, 10))
    assert client_for(command_user).get(f"/control/orders/{order.uuid}/release").status_code == 405


def test_anonymous_visitors_are_sent_to_log_in(district, client):
    assert client.get("/control/").status_code == 302


def test_an_open_order_offers_its_forms_and_a_released_one_none(district, command_user, client_for):
    order = start(district.grid_a, D(2022, 7, 1), "v9-close-contact")
    client = client_for(command_user)
    with time_machine.travel(at(D(2022, 7, 11)), tick=False):
        page = client.get(f"/control/orders/{order.uuid}/")
        assert page.context["can_manage"] and "checkin_form" in page.context
        assert f"/control/orders/{order.uuid}/check-in" in page.content.decode()
        do_record_test_results(
            [Result(order.subject_id, t.day) for t in order.tests.all()], at(D(2022, 7, 11))
        )
        client.post(f"/control/orders/{order.uuid}/release")
        page = client.get(f"/control/orders/{order.uuid}/")
    assert page.status_code == 200
    assert not page.context["can_manage"] and not page.context["can_follow"]
    assert "checkin_form" not in page.context and "follow_form" not in page.context
    assert f"/control/orders/{order.uuid}/" in page.content.decode()
    assert f"/control/orders/{order.uuid}/check-in" not in page.content.decode()
