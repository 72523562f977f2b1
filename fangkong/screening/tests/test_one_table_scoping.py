"""A returnee report carries the path of its destination and of its person's unit, so a jurisdiction is a
prefix match on the reports table alone, served by an index; the person's path follows the person."""

from collections.abc import Callable
from typing import Any

from django.db import connection
from django.test import Client

from conftest import District
from fangkong.accounts.models import User
from fangkong.people.actions import do_update_person
from fangkong.screening.access import reports_for
from fangkong.screening.models import Channel, ReturneeReport
from fangkong.screening.tests.helpers import register


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
