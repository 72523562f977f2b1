"""The screening overview's figures aggregate every report of the jurisdiction: they are computed once per
change, and right after a change they are new."""

from collections.abc import Callable

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import District
from fangkong.accounts.models import User
from fangkong.people.actions import do_deactivate_person
from fangkong.screening.models import Channel, ReturneeReport
from fangkong.screening.tests.helpers import register, valid_id


def test_the_figures_follow_new_reports_and_deactivations(
    district: District, cadre_a: User, client_for: Callable[[User], Client]
) -> None:
    client = client_for(cadre_a)
    register(district.grid_a, Channel.GRID, name="甲一", document_number=valid_id(11))
    assert client.get(reverse("screening:home")).context["double_incomplete"] == 1
    second = register(district.village_a, Channel.SELF, name="甲二", document_number=valid_id(12))
    page = client.get(reverse("screening:home")).context
    assert (page["registered_today"], page["double_incomplete"]) == (2, 2)
    do_deactivate_person(None, second.person, "moved away")
    assert client.get(reverse("screening:home")).context["double_incomplete"] == 1


def test_a_second_view_does_not_aggregate_the_reports(
    district: District, cadre_a: User, client_for: Callable[[User], Client]
) -> None:
    for n in range(3):
        register(district.grid_a, Channel.GRID, name=f"甲{n}", document_number=valid_id(20 + n))
    client = client_for(cadre_a)
    client.get(reverse("screening:home"))
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("screening:home")).status_code == 200
    table = ReturneeReport._meta.db_table
    on_reports = [q["sql"].upper() for q in ctx.captured_queries if table.upper() in q["sql"].upper()]
    assert on_reports and all("COUNT(" not in sql for sql in on_reports)
