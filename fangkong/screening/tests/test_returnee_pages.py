from collections.abc import Callable
from typing import Any

from django.test import Client
from django.urls import reverse

from conftest import District
from fangkong.accounts.models import User
from fangkong.screening.models import Channel
from fangkong.screening.tests.helpers import register, valid_id


def test_the_list_shows_the_jurisdiction_with_bounded_queries(
    district: District,
    cadre_a: User,
    client_for: Callable[[User], Client],
    django_assert_max_num_queries: Any,
) -> None:
    for i in range(15):
        register(district.grid_a, Channel.GRID, document_number=valid_id(i + 1), name=f"人{i}")
    register(district.grid_b, Channel.GRID, document_number=valid_id(99), name="外镇人")
    client = client_for(cadre_a)
    # The count is cached until a change: a first view also reads the version (newest audit, report, person).
    with django_assert_max_num_queries(11):
        response = client.get(reverse("screening:returnees"))
    assert response.status_code == 200
    assert len(response.context["page_obj"]) == 15
    assert "外镇人" not in response.content.decode()


def test_the_list_filters_by_double_report_and_measure(
    district: District, cadre_a: User, client_for: Callable[[User], Client]
) -> None:
    register(district.village_a, Channel.SELF, document_number=valid_id(1))
    register(district.grid_a, Channel.GRID, document_number=valid_id(1))
    register(district.grid_a, Channel.GRID, document_number=valid_id(2), name="李四")
    client = client_for(cadre_a)
    complete = client.get(reverse("screening:returnees"), {"double": "complete"}).context["page_obj"]
    incomplete = client.get(reverse("screening:returnees"), {"double": "incomplete"}).context["page_obj"]
    assert {r.person.document_number for r in complete} == {valid_id(1)}
    assert {r.person.name for r in incomplete} == {"李四"}
    none = client.get(reverse("screening:returnees"), {"measure": "none", "status": "returned"}).context[
        "page_obj"
    ]
    assert len(none) == 3


def test_the_list_ignores_a_bad_filter(cadre_a: User, client_for: Callable[[User], Client]) -> None:
    response = client_for(cadre_a).get(reverse("screening:returnees"), {"double": "maybe"})
    assert response.status_code == 200


def test_the_detail_masks_numbers(
    district: District, cadre_a: User, client_for: Callable[[User], Client]
) -> None:
    report = register(district.grid_a, Channel.GRID, contact_phone="13911112222")
    page = client_for(cadre_a).get(reverse("screening:returnee_detail", args=[report.uuid])).content.decode()
    assert report.person.masked_document in page
    assert report.person.document_number not in page
    assert "13911112222" not in page


def test_an_outsider_gets_404_on_the_detail(
    district: District, cadre_b: User, client_for: Callable[[User], Client]
) -> None:
    report = register(district.grid_a, Channel.GRID)
    assert (
        client_for(cadre_b).get(reverse("screening:returnee_detail", args=[report.uuid])).status_code == 404
    )
    assert len(client_for(cadre_b).get(reverse("screening:returnees")).context["page_obj"]) == 0


def test_the_grid_worker_sees_a_village_level_self_report_of_a_person_in_the_grid(
    district: District, grid_worker_a: User, client_for: Callable[[User], Client]
) -> None:
    register(district.grid_a, Channel.GRID)
    report = register(district.village_a, Channel.SELF)
    assert (
        client_for(grid_worker_a).get(reverse("screening:returnee_detail", args=[report.uuid])).status_code
        == 200
    )


def test_the_detail_refuses_post(
    district: District, cadre_a: User, client_for: Callable[[User], Client]
) -> None:
    report = register(district.grid_a, Channel.GRID)
    assert (
        client_for(cadre_a).post(reverse("screening:returnee_detail", args=[report.uuid])).status_code == 405
    )


def test_the_overview_shows_the_figures(
    district: District, cadre_a: User, client_for: Callable[[User], Client]
) -> None:
    register(district.grid_a, Channel.GRID)
    response = client_for(cadre_a).get(reverse("screening:home"))
    assert response.status_code == 200
    assert response.context["registered_today"] == 1
    assert response.context["double_incomplete"] == 1


def test_the_overview_is_404_without_permission(
    district: District, client_for: Callable[[User], Client]
) -> None:
    from conftest import make_user
    from fangkong.accounts.permissions import Role

    staff = make_user("checkpoint", Role.CHECKPOINT_STAFF, district.township_a)
    assert client_for(staff).get(reverse("screening:home")).status_code == 404
