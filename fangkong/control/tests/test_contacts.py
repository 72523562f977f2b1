"""Close contacts: matched or registered through the people app, each gets an order; the graph is scoped."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError

from fangkong.control.actions import do_add_contact, do_start_orders_for_pool
from fangkong.control.models import ContactLink, ControlOrder, Reason
from fangkong.control.tests.helpers import at, start
from fangkong.lib.idnumbers import make
from fangkong.people.tests.helpers import create_person

D = datetime.date


def contact_id(seed: int) -> str:
    # Another birth day than people.tests.helpers.new_id, whose numbers count up from 1.
    return make("410928", datetime.date(1985, 5, 5), seed)


NOW = at(D(2021, 8, 5))


def _add(actor, index, region, seed, kind="close", name="密接"):
    return do_add_contact(
        actor,
        index,
        name=name,
        document_number=contact_id(seed),
        phone="",
        region=region,
        kind=kind,
        last_exposure=D(2021, 8, 3),
        place="超市",
        now=NOW,
    )


def test_a_contact_is_registered_and_put_under_the_contact_protocol(district, command_user):
    index = create_person(district.grid_a, name="病例")
    link = _add(command_user, index, district.grid_a, 1)
    order = ControlOrder.objects.get(person=link.contact)
    assert order.reason == Reason.CLOSE_CONTACT and order.start_day == D(2021, 8, 3)
    secondary = _add(command_user, link.contact, district.grid_a, 2, kind="secondary", name="次密接")
    assert ControlOrder.objects.get(person=secondary.contact).protocol.code == "2021-7-7"


def test_a_known_person_is_matched_by_document_number(district, command_user):
    index = create_person(district.grid_a, name="病例")
    known = create_person(district.grid_a, name="已登记", document_number=contact_id(3))
    link = _add(command_user, index, district.grid_a, 3)
    assert link.contact == known


def test_a_contact_is_linked_once(district, command_user):
    index = create_person(district.grid_a, name="病例")
    _add(command_user, index, district.grid_a, 4)
    with pytest.raises(ValidationError):
        _add(command_user, index, district.grid_a, 4)
    assert ContactLink.objects.count() == 1


def test_the_graph_shows_two_levels_within_the_viewers_jurisdiction(
    district, command_user, cadre_a, client_for
):
    index = create_person(district.grid_a, name="病例")
    first = _add(command_user, index, district.grid_a, 5, name="甲镇密接")
    _add(command_user, index, district.grid_b, 6, name="乙镇密接")
    _add(command_user, first.contact, district.grid_a, 7, kind="secondary", name="甲镇次密接")
    data = client_for(cadre_a).get(f"/control/contacts/{index.uuid}/graph.json").json()
    names = {n["name"] for n in data["nodes"]}
    assert names == {"病例", "甲镇密接", "甲镇次密接"}
    assert (
        len(client_for(command_user).get(f"/control/contacts/{index.uuid}/graph.json").json()["nodes"]) == 4
    )


def test_the_graph_of_another_townships_person_is_404(district, cadre_b, client_for):
    index = create_person(district.grid_a, name="病例")
    assert client_for(cadre_b).get(f"/control/contacts/{index.uuid}/graph.json").status_code == 404
    assert client_for(cadre_b).get(f"/control/contacts/{index.uuid}/").status_code == 404


def test_members_of_a_positive_pool_are_put_under_control(district):
    people = [create_person(district.grid_a, name=f"混管{n}") for n in range(3)]
    with time_machine.travel(NOW, tick=False):
        orders = do_start_orders_for_pool([p.pk for p in people], source_ref="pool-1", now=NOW)
    assert len(orders) == 3 and all(o.reason == Reason.POOL_POSITIVE for o in orders)
    # A second positive pool for one of them does not make a second order.
    do_start_orders_for_pool([people[0].pk], source_ref="pool-2", now=NOW)
    assert ControlOrder.objects.count() == 3
    start(district.grid_a, D(2021, 8, 5), person=create_person(district.grid_a, name="x"))
