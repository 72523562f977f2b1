"""The testing pages: coverage and the untested list, the public points page, the collector's page."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from fangkong.testing.actions import do_register_sample
from fangkong.testing.models import Tube

from .conftest import NOW


def test_round_coverage_and_untested_list(client_for, cadre_a, collector, point, rnd, people, district):
    for person in people[:5]:
        do_register_sample(
            collector, point=point, barcode="C0001", person=person, capacity=5, rnd=rnd, now=NOW
        )
    client = client_for(cadre_a)
    page = client.get(f"/testing/rounds/{rnd.uuid}/").content.decode()
    assert "5 / " in page and "12" in page
    untested = client.get(
        f"/testing/rounds/{rnd.uuid}/untested", {"unit": district.grid_a.code}
    ).content.decode()
    assert people[6].name in untested and people[0].name not in untested
    assert people[6].phone[-4:] in untested and people[6].phone[3:7] not in untested.replace(
        people[6].phone[-4:], ""
    )


def test_the_coverage_page_query_count_does_not_grow_with_people(client_for, cadre_a, rnd, people):
    client = client_for(cadre_a)
    client.get(f"/testing/rounds/{rnd.uuid}/")
    with CaptureQueriesContext(connection) as few:
        client.get(f"/testing/rounds/{rnd.uuid}/")
    from fangkong.people.tests.helpers import create_person

    for i in range(10):
        create_person(people[0].region, f"新居民{i}")
    with CaptureQueriesContext(connection) as more:
        client.get(f"/testing/rounds/{rnd.uuid}/")
    assert len(more) == len(few)


def test_the_public_page_lists_open_points_without_login(client, point, district):
    page = client.get(f"/testing/open/{district.township_a.code}/")
    assert page.status_code == 200 and point.name in page.content.decode()
    assert client.get("/testing/open/NOPE/").status_code == 404


def test_the_collector_page_fills_a_pool_and_keeps_the_barcode(client_for, collector, point, rnd, people):
    client = client_for(collector)
    form = {"point": point.pk, "purpose": "round", "round": rnd.pk, "capacity": 5, "barcode": "W0001"}
    for person in people[:4]:
        response = client.post("/testing/collect", {**form, "id_number": person.document_number})
        assert response.status_code == 200
        assert 'value="W0001"' in response.content.decode()
    response = client.post("/testing/collect", {**form, "id_number": people[4].document_number})
    assert Tube.objects.get(barcode="W0001").status == "closed"
    assert 'value="W0001"' not in response.content.decode()


def test_pages_answer_for_the_roles(client_for, collector, cadre_a, grid_worker_a, point, rnd):
    for user in (collector, cadre_a, grid_worker_a):
        client = client_for(user)
        for url in ("/testing/", "/testing/recalls/", "/testing/key-groups/", "/testing/results/"):
            assert client.get(url).status_code == 200, (user, url)


def test_the_grid_worker_sees_the_townships_round_and_only_their_grids_untested(
    client_for, grid_worker_a, rnd, people, district
):
    from fangkong.people.tests.helpers import create_person

    neighbour = create_person(district.grid_a2, "邻格居民")
    client = client_for(grid_worker_a)
    assert rnd.name in client.get("/testing/").content.decode()
    page = client.get(f"/testing/rounds/{rnd.uuid}/").content.decode()
    assert "0 / " in page and "12" in page  # the grid's twelve, not the township's thirteen
    untested = client.get(f"/testing/rounds/{rnd.uuid}/untested").content.decode()
    assert people[0].name in untested and neighbour.name not in untested
    assert (
        client.get(f"/testing/rounds/{rnd.uuid}/untested", {"unit": district.grid_a2.code}).status_code == 404
    )


def test_an_outsider_township_does_not_see_the_round(client_for, cadre_b, rnd):
    assert client_for(cadre_b).get(f"/testing/rounds/{rnd.uuid}/").status_code == 404
