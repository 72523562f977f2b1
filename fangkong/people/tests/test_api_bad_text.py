"""Text the database cannot take (NUL characters, more than the column holds) is a 422 in the user's
language, and nothing is stored: PostgreSQL used to answer such input with a DataError (500)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.test import Client

from conftest import District
from fangkong.accounts.models import User
from fangkong.people.models import Person

NUL_MESSAGE = "文本不能包含空字符（NUL）。"


def messages(response: Any) -> dict[str, str]:
    return {e["loc"][-1]: e["msg"] for e in response.json()["detail"]}


def test_a_nul_in_the_search_or_region_filter_is_refused(
    district: District, cadre_a: User, client_for: Callable[[User], Client]
) -> None:
    client = client_for(cadre_a)
    response = client.get("/api/v1/people/", {"q": "张\x00", "region": "4109\x00"})
    assert response.status_code == 422
    assert messages(response) == {"q": NUL_MESSAGE, "region": NUL_MESSAGE}


def test_a_nul_or_an_overlong_name_stores_nobody(
    district: District, cadre_a: User, client_for: Callable[[User], Client]
) -> None:
    client = client_for(cadre_a)
    for name, field_message in (
        ("张\x00三", NUL_MESSAGE),
        ("张" * 101, "最多输入 100 个字符。"),
    ):
        response = client.post(
            "/api/v1/people/",
            {"name": name, "region_code": district.village_a.code},
            content_type="application/json",
        )
        assert response.status_code == 422
        assert messages(response) == {"name": field_message}
    response = client.post(
        "/api/v1/people/",
        {"name": "张三", "region_code": district.village_a.code, "household_number": "1" * 33},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert not Person.objects.exists()


def test_a_patch_with_a_nul_changes_nothing(
    district: District, cadre_a: User, client_for: Callable[[User], Client]
) -> None:
    client = client_for(cadre_a)
    created = client.post(
        "/api/v1/people/",
        {"name": "张三", "region_code": district.village_a.code, "address": "一号"},
        content_type="application/json",
    )
    assert created.status_code == 201
    uuid = created.json()["uuid"]
    response = client.patch(
        f"/api/v1/people/{uuid}", {"address": "二\x00号"}, content_type="application/json"
    )
    assert response.status_code == 422
    assert Person.objects.get(uuid=uuid).address == "一号"
