import json
from collections.abc import Callable
from typing import Any

from django.test import Client

from conftest import District
from fangkong.accounts.models import User
from fangkong.screening.models import Channel
from fangkong.screening.tests.helpers import form_data, register

BASE = "/api/v1/screening/returnees"


def _payload(district: District, **overrides: Any) -> str:
    data = form_data(region_code=district.grid_a.code, **overrides)
    data.pop("document_type")
    return json.dumps(data)


def test_it_creates_a_grid_report(
    district: District, cadre_a: User, client_for: Callable[[User], Client]
) -> None:
    response = client_for(cadre_a).post(BASE, _payload(district), content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["channel"] == "grid"
    assert "*" in body["document_number"]
    assert body["double_report_complete"] is False


def test_it_rejects_bad_input(
    district: District, cadre_a: User, client_for: Callable[[User], Client]
) -> None:
    response = client_for(cadre_a).post(
        BASE, _payload(district, document_number="123"), content_type="application/json"
    )
    assert response.status_code == 400
    assert "document_number" in response.json()["detail"]


def test_an_outsider_cannot_create_in_or_read_township_a(
    district: District, cadre_b: User, client_for: Callable[[User], Client]
) -> None:
    client = client_for(cadre_b)
    assert client.post(BASE, _payload(district), content_type="application/json").status_code == 404
    report = register(district.grid_a, Channel.GRID)
    assert client.get(f"{BASE}/{report.uuid}").status_code == 404
    assert client.get(BASE).json()["count"] == 0


def test_it_lists_and_reads(district: District, cadre_a: User, client_for: Callable[[User], Client]) -> None:
    report = register(district.grid_a, Channel.GRID)
    register(district.village_a, Channel.SELF)
    client = client_for(cadre_a)
    assert client.get(BASE, {"double": "complete"}).json()["count"] == 2
    body = client.get(f"{BASE}/{report.uuid}").json()
    assert body["receipt_number"] == report.receipt_number
    assert body["double_report_complete"] is True


def test_it_refuses_a_wrong_method(
    district: District, cadre_a: User, client_for: Callable[[User], Client]
) -> None:
    report = register(district.grid_a, Channel.GRID)
    assert client_for(cadre_a).delete(f"{BASE}/{report.uuid}").status_code == 405


def test_it_requires_login(district: District) -> None:
    assert Client().get(BASE).status_code == 401
