"""Push-list pages run a fixed number of queries however many batches and items there are (no query per
row), and their big queries have an index that serves them (the plans at a million items in bench/city.py)."""

import datetime
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from fangkong.accounts.models import User
from fangkong.pushlists.access import batches_for, items_for
from fangkong.pushlists.models import PushBatch
from fangkong.pushlists.tests.conftest import NOW, id_number, write_csv

PAGES = [
    "/push-lists/",
    "/push-lists/items/",
    "/push-lists/items/?status=all",
    "/push-lists/overdue/",
    "/push-lists/queue/",
    "/api/v1/push-lists/batches",
    "/api/v1/push-lists/items?status=all",
]


def _rows(first: int, n: int) -> list[list[str]]:
    towns = ["王助镇", "新习镇", ""]
    return [
        [f"人{first + i}", id_number(first + i), "", "南京", "2021-08-01", towns[i % 3], ""] for i in range(n)
    ]


def _queries(client: Client, url: str) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200, url
    return len(ctx.captured_queries)


@pytest.mark.parametrize("user", ["command_user", "cadre_a"])
def test_the_list_pages_run_the_same_queries_for_one_batch_or_many(
    user: str,
    request: pytest.FixtureRequest,
    district: object,
    import_file: Callable[..., PushBatch],
    tmp_path: Path,
    client_for: Callable[[User], Client],
) -> None:
    client = client_for(request.getfixturevalue(user))
    pages = PAGES if user == "command_user" else [p for p in PAGES if "queue" not in p]  # the office's queue
    import_file(write_csv(tmp_path / "one.csv", _rows(100, 3)))
    with time_machine.travel(NOW + datetime.timedelta(hours=30)):
        few = {url: _queries(client, url) for url in pages}
    for n in range(3):
        import_file(write_csv(tmp_path / f"more{n}.csv", _rows(200 + 20 * n, 12)))
    with time_machine.travel(NOW + datetime.timedelta(hours=30)):
        many = {url: _queries(client, url) for url in pages}
    assert many == few
    assert max(few.values()) <= 15


def _plan(sql: str, params: Any) -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Test tables are tiny and a sequential scan always wins; the question is whether an index serves.
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("EXPLAIN " + sql, params)
        else:
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        return "\n".join(" ".join(map(str, row)) for row in cursor.fetchall())


def test_the_overdue_list_walks_the_open_items_by_deadline(
    district: object, batch: PushBatch, command_user: User
) -> None:
    qs = items_for(command_user).overdue(timezone.now()).order_by("deadline_at", "id")[:50]
    sql, params = qs.query.sql_with_params()
    assert "pushitem_open_deadline" in _plan(sql, params)


def test_a_township_finds_the_batches_it_holds_items_of_by_index(
    district: object, batch: PushBatch, cadre_a: User
) -> None:
    sql, params = batches_for(cadre_a).order_by("-created_at", "-id")[:25].query.sql_with_params()
    plan = _plan(sql, params)
    assert "pushitem_region_batch" in plan


def test_the_overdue_counts_are_kept_until_a_change_and_follow_it(
    district: Any, batch: PushBatch, cadre_a: User, client_for: Callable[[User], Client]
) -> None:
    from fangkong.pushlists.actions import do_verify
    from fangkong.pushlists.models import Outcome, PushItem

    client = client_for(cadre_a)
    later = NOW + datetime.timedelta(hours=25)
    with time_machine.travel(later, tick=False):
        assert client.get("/push-lists/overdue/").context["units"] == [(district.township_a, 2)]
        with CaptureQueriesContext(connection) as ctx:
            client.get("/push-lists/overdue/")
        grouped = [q["sql"] for q in ctx.captured_queries if "GROUP BY" in q["sql"].upper()]
        assert grouped == []
        item = PushItem.objects.filter(region=district.township_a).order_by("id").first()
        assert item is not None
        do_verify(cadre_a, item, outcome=Outcome.NOT_LOCAL, note="", measure_code="", now=later)
        assert client.get("/push-lists/overdue/").context["units"] == [(district.township_a, 1)]


def test_the_item_count_is_kept_until_a_verification(
    district: Any, batch: PushBatch, cadre_a: User, client_for: Callable[[User], Client]
) -> None:
    from fangkong.pushlists.actions import do_verify
    from fangkong.pushlists.models import Outcome, PushItem

    client = client_for(cadre_a)
    with time_machine.travel(NOW + datetime.timedelta(hours=1), tick=False):
        assert client.get("/push-lists/items/").context["page_obj"].paginator.count == 2
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/api/v1/push-lists/items").json()["count"] == 2
            client.get("/push-lists/items/")
        assert not [q for q in ctx.captured_queries if "COUNT(" in q["sql"].upper()]
        item = PushItem.objects.filter(region=district.township_a).order_by("id").first()
        assert item is not None
        do_verify(cadre_a, item, outcome=Outcome.NOT_LOCAL, note="", measure_code="", now=timezone.now())
        assert client.get("/push-lists/items/").context["page_obj"].paginator.count == 1
        assert client.get("/api/v1/push-lists/items?status=verified").json()["count"] == 1


def test_the_routing_queue_walks_the_open_items_of_the_county_in_file_order(
    district: Any, batch: PushBatch, command_user: User
) -> None:
    from fangkong.regions.models import Level

    qs = (
        items_for(command_user)
        .pending()
        .filter(region__level=Level.COUNTY)
        .order_by("batch_id", "row_number")
    )
    sql, params = qs[:50].query.sql_with_params()
    assert "pushitem_open_unit_rows" in _plan(sql, params)


def test_the_batch_page_and_api_share_one_count_of_the_batch(
    district: Any, batch: PushBatch, command_user: User, client_for: Callable[[User], Client]
) -> None:
    client = client_for(command_user)
    with time_machine.travel(NOW + datetime.timedelta(hours=2), tick=False):  # one minute for both
        rows = client.get(f"/push-lists/batches/{batch.uuid}/").context["rows"]
        with CaptureQueriesContext(connection) as ctx:
            api = client.get(f"/api/v1/push-lists/batches/{batch.uuid}").json()["townships"]
    assert not [q for q in ctx.captured_queries if "GROUP BY" in q["sql"].upper()]
    assert [t["received"] for t in api] == [r.received for r in rows] and sum(r.received for r in rows) == 4
