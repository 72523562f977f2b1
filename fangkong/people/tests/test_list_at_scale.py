"""The people list and API read a page at a time in pinyin order (keyset, no OFFSET), count at most a capped
number of rows, match pinyin by prefix, and the API honours `limit`."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from fangkong.people import paging
from fangkong.people.tests.helpers import create_person

SURNAMES = "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许"


@pytest.fixture
def many(district):
    return [
        create_person(
            district.grid_a if i % 2 else district.grid_a2, SURNAMES[i % 20] + "测" + str(i), phone=""
        )
        for i in range(120)
    ]


def _names(html):
    return re.findall(r'<a href="/people/[0-9a-f-]+/">([^<]+)</a>', html)


def _link(html, testid):
    match = re.search(rf'href="\?([^"]*)" data-testid="{testid}"', html)
    return match and match.group(1).replace("&amp;", "&")


def test_next_pages_walk_everyone_once_in_pinyin_order(many, cadre_a, client_for):
    client = client_for(cadre_a)
    seen, query, pages = [], "", 0
    while True:
        html = client.get("/people/?" + query).content.decode()
        seen += _names(html)
        pages += 1
        query = _link(html, "next")
        if not query:
            break
    assert pages == 3 and len(seen) == 120 and len(set(seen)) == 120
    expected = sorted(many, key=lambda p: (p.name_pinyin, p.pk))
    assert seen == [p.name for p in expected]


def test_previous_returns_the_page_before(many, cadre_a, client_for):
    client = client_for(cadre_a)
    first = client.get("/people/").content.decode()
    second = client.get("/people/?" + _link(first, "next")).content.decode()
    back = client.get("/people/?" + _link(second, "previous")).content.decode()
    assert _names(back) == _names(first)


def test_no_page_counts_or_skips_every_row(many, cadre_a, client_for, monkeypatch):
    monkeypatch.setattr(paging, "COUNT_CAP", 50)
    client = client_for(cadre_a)
    first = client.get("/people/")
    with CaptureQueriesContext(connection) as deep:
        page = client.get("/people/?" + _link(first.content.decode(), "next"))
    assert "50" in page.content.decode() and "超过" in page.content.decode()
    sql = [q["sql"].upper() for q in deep.captured_queries]
    assert not any("OFFSET" in s for s in sql)
    counts = [s for s in sql if "COUNT(" in s and 'FROM "PEOPLE_PERSON" ' in s]
    assert counts and all("LIMIT" in s for s in counts), counts


def test_the_list_runs_the_same_few_queries_on_any_page(
    many, cadre_a, client_for, django_assert_max_num_queries
):
    client = client_for(cadre_a)
    first = client.get("/people/").content.decode()
    with django_assert_max_num_queries(12):
        client.get("/people/?" + _link(first, "next"))
    with django_assert_max_num_queries(12):
        client.get("/people/", {"q": "zhao"})


def test_pinyin_matches_by_prefix(district, cadre_a, client_for):
    create_person(district.grid_a, "张三")
    create_person(district.grid_a, "李四")
    client = client_for(cadre_a)
    for q in ("zs", "zha", "zhangsan", "ZS"):
        assert _names(client.get("/people/", {"q": q}).content.decode()) == ["张三"], q
    assert _names(client.get("/people/", {"q": "san"}).content.decode()) == []


def test_the_api_honours_limit_and_follows_next(many, cadre_a, client_for):
    client = client_for(cadre_a)
    first = client.get("/api/v1/people/", {"limit": 7}).json()
    assert len(first["results"]) == 7 and first["next"] and first["count"] == 120
    second = client.get("/api/v1/people/", {"limit": 7, "after": first["next"]}).json()
    assert {r["uuid"] for r in first["results"]}.isdisjoint({r["uuid"] for r in second["results"]})
    assert len(client.get("/api/v1/people/", {"limit": 1000}).json()["results"]) == 120
    assert len(client.get("/api/v1/people/", {"page_size": 3}).json()["results"]) == 3
    everyone, after = [], ""
    while True:
        page = client.get("/api/v1/people/", {"limit": 50, "after": after}).json()
        everyone += [r["uuid"] for r in page["results"]]
        if not page["next"]:
            break
        after = page["next"]
    assert len(everyone) == len(set(everyone)) == 120


def test_a_bad_cursor_gives_the_first_page(many, cadre_a, client_for):
    client = client_for(cadre_a)
    assert client.get("/people/", {"after": "!!not-a-cursor"}).status_code == 200
    assert client.get("/api/v1/people/", {"after": "bm9wZQ"}).status_code == 200


def test_a_search_pages_forward_and_back_in_pinyin_order_within_the_jurisdiction(
    many, district, cadre_a, client_for
):
    # Every one of them has 测 in the name; so has a person of township B, whom township A's cadre never sees.
    create_person(district.grid_b, "赵测外", phone="")
    client = client_for(cadre_a)
    seen, pages = [], 0
    first = client.get("/people/", {"q": "测"}).content.decode()
    assert "赵测外" not in first
    query = "q=%E6%B5%8B"
    while True:
        html = client.get("/people/?" + query).content.decode()
        seen += _names(html)
        pages += 1
        nxt = _link(html, "next")
        if not nxt:
            break
        query = nxt
    expected = sorted(many, key=lambda p: (p.name_pinyin, p.pk))
    assert pages == 3 and seen == [p.name for p in expected]
    second = client.get("/people/?" + _link(first, "next")).content.decode()
    assert _names(client.get("/people/?" + _link(second, "previous")).content.decode()) == _names(first)
