"""Screening list pages run a fixed number of queries however many villages, reports and campaigns the
jurisdiction holds (no query per row), and the printable links page draws each QR code once."""

import datetime
from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import District, make_region
from fangkong.accounts.models import User
from fangkong.regions.models import Level
from fangkong.screening import views
from fangkong.screening.actions import do_start_campaign
from fangkong.screening.models import Channel
from fangkong.screening.tests.helpers import register, valid_id


def _more_villages(district: District, n: int) -> None:
    for i in range(n):
        village = make_region(f"41097210030{i}", f"新村{i}", Level.VILLAGE, district.township_a)
        make_region(f"G4109721003{i}01", "第1网格", Level.GRID, village)


def _queries(client: Client, url: str) -> int:
    client.get(url)  # warm: sessions, cached drawings
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_campaigns_page_runs_the_same_queries_for_one_village_or_many(
    district: District, command_user: User, client_for: Callable[[User], Client]
) -> None:
    client = client_for(command_user)
    do_start_campaign(command_user, region=district.village_a, name="一", started_on=district_day())
    few = _queries(client, reverse("screening:campaigns"))
    _more_villages(district, 6)
    do_start_campaign(command_user, region=district.village_b, name="二", started_on=district_day())
    assert _queries(client, reverse("screening:campaigns")) == few <= 12


@pytest.mark.parametrize("name", ["screening:returnees", "screening:home"])
def test_the_returnee_pages_run_the_same_queries_for_few_or_many_reports(
    name: str, district: District, command_user: User, client_for: Callable[[User], Client]
) -> None:
    client = client_for(command_user)
    register(district.village_a, channel=Channel.SELF, name="甲一")
    few = _queries(client, reverse(name))
    for n in range(6):
        register(district.grid_a, channel=Channel.GRID, name=f"甲{n}", document_number=valid_id(10 + n))
        register(district.village_b, channel=Channel.SELF, name=f"乙{n}", document_number=valid_id(30 + n))
    assert _queries(client, reverse(name)) == few <= 15


def test_the_grid_report_form_lists_units_without_a_query_each(
    district: District, command_user: User, client_for: Callable[[User], Client]
) -> None:
    client = client_for(command_user)
    few = _queries(client, reverse("screening:returnee_create"))
    _more_villages(district, 6)
    assert _queries(client, reverse("screening:returnee_create")) == few


def test_the_links_page_draws_each_code_once(
    district: District, cadre_a: User, client_for: Callable[[User], Client], monkeypatch: pytest.MonkeyPatch
) -> None:
    drawn: list[str] = []
    real = views.qr_svg

    def counting(url: str, label: str) -> str:
        drawn.append(url)
        return real(url, label)

    monkeypatch.setattr(views, "qr_svg", counting)
    client = client_for(cadre_a)
    first = client.get(reverse("screening:links")).content.decode()
    assert drawn == [f"http://testserver/screening/r/{district.village_a.code}/"]
    again = client.get(reverse("screening:links")).content.decode()
    assert again.count("<svg") == first.count("<svg") == 1
    assert again[again.index("<svg") :].split("</svg>")[0] == first[first.index("<svg") :].split("</svg>")[0]
    assert len(drawn) == 1
    _more_villages(district, 2)
    client.get(reverse("screening:links"))
    assert len(drawn) == 3  # only the new villages are drawn


def district_day() -> datetime.date:
    from django.utils import timezone

    return timezone.localdate()


def test_a_big_village_shows_a_page_of_unvisited_households_and_how_many_more(
    district: District, cadre_a: User, client_for: Callable[[User], Client]
) -> None:
    from fangkong.people.models import Household

    Household.objects.bulk_create(
        Household(region=district.village_a, number=f"A{n:03d}", address="")
        for n in range(views.UNVISITED_SHOWN + 3)
    )
    campaign = do_start_campaign(cadre_a, region=district.village_a, name="大村", started_on=district_day())
    response = client_for(cadre_a).get(reverse("screening:campaign", args=[campaign.uuid]))
    assert len(response.context["unvisited"]) == views.UNVISITED_SHOWN
    assert response.context["unvisited_more"] == 3
    assert 'data-testid="unvisited-more"' in response.content.decode()
