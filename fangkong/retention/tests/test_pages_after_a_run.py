"""After a retention run, the pages and the API that show orders, samples and recalls still open, and say the
record was anonymised instead of naming anyone."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from conftest import District
from fangkong.accounts.models import User
from fangkong.retention.actions import do_apply_retention
from fangkong.retention.tests.helpers import make_records

BEIJING = ZoneInfo("Asia/Shanghai")
OLD = datetime.datetime(2021, 8, 3, 10, 0, tzinfo=BEIJING)
NOW = OLD + datetime.timedelta(days=200)
ANONYMISED = "已匿名（超过保存期限）"

pytestmark = pytest.mark.django_db


def test_orders_and_samples_past_their_period_show_as_anonymised(
    district: District, command_user: User, tmp_path: Path, client_for: Callable[[User], Client]
) -> None:
    old = make_records(district, command_user, OLD, tmp_path, 1, "张老")
    client = client_for(command_user)
    order_url = f"/control/orders/{old.closed_order.uuid}/"
    tube_url = f"/testing/tubes/{old.sample.tube.uuid}/"
    before = client.get(order_url).content.decode()
    assert "张老丁" in before
    assert "张老戊" in client.get(tube_url).content.decode()

    do_apply_retention(command_user, NOW)

    page = client.get(order_url)
    assert page.status_code == 200
    text = page.content.decode()
    assert ANONYMISED in text and "张老丁" not in text and "信息有误" not in text
    listing = client.get("/control/orders/?status=cancelled").content.decode()
    assert ANONYMISED in listing and "张老丁" not in listing
    tube = client.get(tube_url)
    assert tube.status_code == 200
    assert ANONYMISED in tube.content.decode() and "张老戊" not in tube.content.decode()
    api = client.get("/api/v1/control/orders?status=cancelled")
    assert api.status_code == 200, api.content
    rows = [row for row in api.json() if row["uuid"] == str(old.closed_order.uuid)]
    assert rows and rows[0]["person_name"] == "" and rows[0]["document"] == ""


def test_an_anonymised_order_takes_no_contact(
    district: District, command_user: User, tmp_path: Path, client_for: Callable[[User], Client]
) -> None:
    from fangkong.control.models import ContactLink

    old = make_records(district, command_user, OLD, tmp_path, 1, "张老")
    do_apply_retention(command_user, NOW)
    response = client_for(command_user).post(
        f"/control/orders/{old.closed_order.uuid}/contact",
        {
            "name": "王五",
            "document_number": "",
            "phone": "13900001111",
            "region": district.village_a.pk,
            "kind": "close",
            "place": "家中",
        },
        follow=True,
    )
    assert response.status_code == 200
    assert "该管控已结束。" in response.content.decode()
    assert not ContactLink.objects.exists()
