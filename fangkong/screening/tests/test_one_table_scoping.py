"""A returnee report carries the path of its destination and of its person's unit, so a jurisdiction is a
prefix match on the reports table alone, served by an index; the person's path follows the person."""

from collections.abc import Callable
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from conftest import District
from fangkong.accounts.models import User
from fangkong.people.actions import do_update_person
from fangkong.screening.access import reports_for
from fangkong.screening.models import Channel, ReturneeReport
from fangkong.screening.tests.helpers import register, valid_id


def test_a_report_records_both_paths(district: District) -> None:
    report = register(district.grid_a, channel=Channel.GRID, name="甲一")
    assert (report.region_path, report.home_path) == (district.grid_a.path, district.grid_a.path)


def test_the_home_unit_follows_a_person_who_moves(
    district: District, cadre_a: User, cadre_b: User, client_for: Callable[[User], Client]
) -> None:
    report = register(district.village_a, channel=Channel.SELF, name="甲一")
    assert reports_for(cadre_b).filter(pk=report.pk).count() == 0
    do_update_person(None, report.person, region=district.village_b)
    report.refresh_from_db()
    assert report.home_path == district.village_b.path
    # The destination stays in township A; the new home unit in township B now sees it too.
    assert reports_for(cadre_a).filter(pk=report.pk).count() == 1
    assert reports_for(cadre_b).filter(pk=report.pk).count() == 1
    assert client_for(cadre_b).get(f"/screening/returnees/{report.uuid}/").status_code == 200


def _plan(sql: str, params: Any) -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")  # tiny test tables: ask whether an index serves
            cursor.execute("EXPLAIN " + sql, params)
        else:
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        return "\n".join(" ".join(map(str, row)) for row in cursor.fetchall())


def test_a_township_counts_its_reports_from_the_path_indexes(district: District, cadre_a: User) -> None:
    register(district.grid_a, channel=Channel.GRID, name="甲一")
    sql, params = reports_for(cadre_a).order_by().values("pk").query.sql_with_params()
    plan = _plan(f"SELECT COUNT(*) FROM ({sql}) counted", params)  # noqa: S608 - SQL the ORM built
    assert "returnee_region_path_idx" in plan and "returnee_home_path_idx" in plan
    assert "people_person" not in plan and "regions_region" not in plan
    assert ReturneeReport.objects.count() == 1


def test_the_whole_tree_needs_no_filter_but_a_second_root_brings_it_back(
    district: District, command_user: User
) -> None:
    from conftest import make_region
    from fangkong.regions.models import Level

    register(district.grid_a, channel=Channel.GRID, name="甲一")
    assert " WHERE " not in str(reports_for(command_user).query)
    other = make_region("410973", "另一区", Level.COUNTY, None)
    village = make_region(
        "410973100201", "外村", Level.VILLAGE, make_region("410973100", "外镇", Level.TOWNSHIP, other)
    )
    outside = register(village, channel=Channel.SELF, name="外一", document_number=valid_id(77))
    assert " WHERE " in str(reports_for(command_user).query)
    assert not reports_for(command_user).filter(pk=outside.pk).exists()
    assert reports_for(command_user).count() == 1


def test_the_list_and_the_api_mark_the_double_report_of_each_row(
    district: District, cadre_a: User, client_for: Callable[[User], Client]
) -> None:
    register(district.grid_a, channel=Channel.GRID, name="甲一", document_number=valid_id(41))
    register(district.village_a, channel=Channel.SELF, name="甲一", document_number=valid_id(41))
    register(district.grid_a, channel=Channel.GRID, name="甲二", document_number=valid_id(42))
    client = client_for(cadre_a)
    rows = client.get("/screening/returnees/").context["page_obj"].object_list
    assert sorted((r.person.name, r.has_self and r.has_grid) for r in rows) == [
        ("甲一", True),
        ("甲一", True),
        ("甲二", False),
    ]
    api = client.get("/api/v1/screening/returnees").json()["results"]
    assert sorted(r["double_report_complete"] for r in api) == [False, True, True]


def test_a_page_keeps_the_newest_first_order_across_pages(
    district: District, cadre_a: User, client_for: Callable[[User], Client]
) -> None:
    made = [
        register(district.grid_a, channel=Channel.GRID, name=f"甲{n}", document_number=valid_id(50 + n))
        for n in range(5)
    ]
    client = client_for(cadre_a)
    first = client.get("/api/v1/screening/returnees?page_size=2").json()
    second = client.get("/api/v1/screening/returnees?page_size=2&page=2").json()
    assert (first["count"], first["pages"]) == (5, 3)
    newest = [str(r.uuid) for r in reversed(made)]
    assert [r["uuid"] for r in first["results"] + second["results"]] == newest[:4]
    rows = client.get("/screening/returnees/").context["page_obj"].object_list
    assert [str(r.uuid) for r in rows] == newest


def test_the_kept_count_follows_a_new_report(
    district: District, cadre_a: User, client_for: Callable[[User], Client]
) -> None:
    client = client_for(cadre_a)
    register(district.grid_a, channel=Channel.GRID, name="甲一", document_number=valid_id(61))
    assert client.get("/api/v1/screening/returnees").json()["count"] == 1
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/api/v1/screening/returnees").json()["count"] == 1
    assert not [q for q in ctx.captured_queries if "COUNT(" in q["sql"].upper()]
    register(district.grid_a, channel=Channel.GRID, name="甲二", document_number=valid_id(62))
    assert client.get("/api/v1/screening/returnees").json()["count"] == 2
    assert client.get("/api/v1/screening/returnees?status=will_return").json()["count"] == 0
