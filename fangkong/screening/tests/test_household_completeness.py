import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import District
from fangkong.accounts.models import User
from fangkong.people.models import Household
from fangkong.screening.actions import do_start_campaign
from fangkong.screening.models import HouseholdVisit, ScreeningCampaign


@pytest.fixture
def campaign(district: District, cadre_a: User) -> ScreeningCampaign:
    for n in range(1, 6):
        Household.objects.create(region=district.village_a, number=f"A{n}", address=f"{n}号")
    Household.objects.create(region=district.village_b, number="B1")
    return do_start_campaign(
        cadre_a,
        region=district.village_a,
        name="第一轮排查",
        started_on=timezone.localdate() - datetime.timedelta(days=1),
    )


def _visit_url(campaign: ScreeningCampaign, household: Household) -> str:
    return reverse("screening:household_visit", args=[campaign.uuid, household.uuid])


def test_the_page_shows_visited_versus_total_and_the_unvisited(
    campaign: ScreeningCampaign,
    grid_worker_a: User,
    client_for: Callable[[User], Client],
    django_assert_max_num_queries: Any,
) -> None:
    client = client_for(grid_worker_a)
    first = Household.objects.get(number="A1")
    response = client.post(
        _visit_url(campaign, first),
        {"visited_on": timezone.localdate().isoformat(), "people_present": 3, "returnees_found": 1},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    with django_assert_max_num_queries(12):
        response = client.get(reverse("screening:campaign", args=[campaign.uuid]))
    assert (response.context["visited"], response.context["total"]) == (1, 5)
    assert [h.number for h in response.context["unvisited"]] == ["A2", "A3", "A4", "A5"]
    visit = HouseholdVisit.objects.get()
    assert (visit.visited_by, visit.people_present, visit.returnees_found) == (grid_worker_a, 3, 1)


def test_marking_again_corrects_the_visit(
    campaign: ScreeningCampaign, cadre_a: User, client_for: Callable[[User], Client]
) -> None:
    client = client_for(cadre_a)
    household = Household.objects.get(number="A1")
    client.post(
        _visit_url(campaign, household), {"visited_on": timezone.localdate().isoformat(), "people_present": 2}
    )
    client.post(
        _visit_url(campaign, household), {"visited_on": timezone.localdate().isoformat(), "people_present": 4}
    )
    assert HouseholdVisit.objects.get().people_present == 4


def test_bad_counts_are_refused(
    campaign: ScreeningCampaign, cadre_a: User, client_for: Callable[[User], Client]
) -> None:
    household = Household.objects.get(number="A1")
    response = client_for(cadre_a).post(
        _visit_url(campaign, household),
        {"visited_on": timezone.localdate().isoformat(), "people_present": 1, "returnees_found": 2},
    )
    assert response.status_code == 400
    assert not HouseholdVisit.objects.exists()


def test_a_household_of_another_village_is_404(
    campaign: ScreeningCampaign, cadre_a: User, client_for: Callable[[User], Client]
) -> None:
    other = Household.objects.get(number="B1")
    assert client_for(cadre_a).post(_visit_url(campaign, other), {"people_present": 1}).status_code == 404


def test_an_outsider_cannot_see_or_mark(
    campaign: ScreeningCampaign, cadre_b: User, client_for: Callable[[User], Client]
) -> None:
    client = client_for(cadre_b)
    household = Household.objects.get(number="A1")
    assert client.get(reverse("screening:campaign", args=[campaign.uuid])).status_code == 404
    assert client.post(_visit_url(campaign, household), {"people_present": 1}).status_code == 404
    assert not HouseholdVisit.objects.exists()


def test_marking_refuses_get(
    campaign: ScreeningCampaign, cadre_a: User, client_for: Callable[[User], Client]
) -> None:
    household = Household.objects.get(number="A1")
    assert client_for(cadre_a).get(_visit_url(campaign, household)).status_code == 405


def test_a_cadre_starts_a_campaign_for_a_village(
    district: District, cadre_a: User, client_for: Callable[[User], Client]
) -> None:
    client = client_for(cadre_a)
    response = client.post(
        reverse("screening:campaigns"),
        {"region": district.village_a.pk, "name": "春节排查", "started_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 302
    assert ScreeningCampaign.objects.get().region == district.village_a
    response = client.post(
        reverse("screening:campaigns"),
        {"region": district.village_b.pk, "name": "越权", "started_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 200
    assert ScreeningCampaign.objects.count() == 1
    assert client.get(reverse("screening:campaigns")).status_code == 200
