"""Dispatch down the tree: command office routes the queue, townships hand items to villages and workers."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from conftest import make_user
from fangkong.accounts.permissions import Role
from fangkong.people.models import Person
from fangkong.pushlists.actions import do_assign, do_dispatch
from fangkong.pushlists.models import RouteMethod
from fangkong.pushlists.tests.conftest import NOW, item

URL = "/push-lists/items/dispatch/"


def test_the_command_office_routes_a_queued_row_to_a_township(district, batch, command_user, client_for):
    queued = item(batch, "赵六")
    response = client_for(command_user).post(
        URL,
        {
            "items": [str(queued.uuid)],
            "target": f"region:{district.township_b.code}",
            "next": "/push-lists/queue/",
        },
    )

    assert response.status_code == 302
    queued.refresh_from_db()
    assert queued.region == district.township_b
    assert queued.route_method == RouteMethod.MANUAL
    assert queued.dispatched_at is None  # routing to a township is not yet dispatch


def test_a_township_cadre_dispatches_to_a_village_and_no_person_is_made(district, batch, cadre_a, client_for):
    # Second design (issue 11): a lead is not a person; dispatch moves the item only.
    mine = item(batch, "张三")
    response = client_for(cadre_a).post(
        URL, {"items": [str(mine.uuid)], "target": f"region:{district.village_a.code}"}
    )

    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.region == district.village_a and mine.dispatched_at is not None
    assert mine.person is None and not Person.objects.exists()


def test_a_cadre_assigns_to_a_grid_worker(district, batch, cadre_a, grid_worker_a, client_for):
    mine = item(batch, "王五")
    client_for(cadre_a).post(URL, {"items": [str(mine.uuid)], "target": f"user:{grid_worker_a.uuid}"})

    mine.refresh_from_db()
    assert (mine.assigned_to, mine.region) == (grid_worker_a, district.grid_a)


def test_a_village_cadre_can_reassign_within_the_village_only(district, batch, cadre_a):
    village_cadre = make_user("cun", Role.VILLAGE_CADRE, district.village_a)
    mine = item(batch, "张三")
    do_dispatch(cadre_a, [mine], district.village_a, NOW)

    do_dispatch(village_cadre, [mine], district.grid_a2, NOW)
    assert mine.region == district.grid_a2
    with pytest.raises(ValidationError):
        do_dispatch(village_cadre, [mine], district.township_a, NOW)


def test_an_outsider_cannot_dispatch_another_townships_item(district, batch, cadre_b, client_for):
    theirs = item(batch, "张三")
    response = client_for(cadre_b).post(
        URL, {"items": [str(theirs.uuid)], "target": f"region:{district.village_b.code}"}
    )

    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.region == district.township_a


def test_a_target_outside_the_jurisdiction_is_refused(district, batch, cadre_a, client_for):
    mine = item(batch, "张三")
    response = client_for(cadre_a).post(
        URL, {"items": [str(mine.uuid)], "target": f"region:{district.village_b.code}"}
    )

    assert response.status_code == 404  # the unit itself is not visible to township A
    with pytest.raises(ValidationError):
        do_dispatch(cadre_a, [mine], district.village_b, NOW)


def test_a_grid_worker_cannot_dispatch(district, batch, cadre_a, grid_worker_a, client_for):
    mine = item(batch, "张三")
    do_assign(cadre_a, [mine], grid_worker_a, NOW)

    response = client_for(grid_worker_a).post(
        URL, {"items": [str(mine.uuid)], "target": f"region:{district.grid_a2.code}"}
    )
    assert response.status_code == 404


def test_bad_dispatch_input_is_refused(district, batch, cadre_a, client_for):
    client = client_for(cadre_a)
    mine = item(batch, "张三")

    assert (
        client.post(URL, {"items": ["not-a-uuid"], "target": f"region:{district.village_a.code}"}).status_code
        == 302
    )
    assert client.post(URL, {"items": [str(mine.uuid)], "target": "nobody"}).status_code == 302
    mine.refresh_from_db()
    assert mine.region == district.township_a


def test_dispatch_refuses_get(district, cadre_a, client_for):
    assert client_for(cadre_a).get(URL).status_code == 405
