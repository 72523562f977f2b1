"""A family shares one room: check-in puts the chosen household members in the person's room, or a person joins
the room a family member is already in; the room stays taken until the last of them checks out."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError

from fangkong.control.actions import do_check_in, do_check_out, do_create_site
from fangkong.control.models import Stay
from fangkong.control.tests.helpers import at, start
from fangkong.people.tests.helpers import create_person

D = datetime.date
TODAY = D(2021, 8, 2)
NOW = at(TODAY)


@pytest.fixture
def travel():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def site(district, command_user):
    return do_create_site(
        command_user, region=district.township_a, name="隔离酒店", address="", rooms=["101", "102"]
    )


def family(district, *names: str, household: str = "H-001"):
    return [
        start(
            district.grid_a,
            D(2021, 8, 1),
            person=create_person(district.grid_a, name=name, household_number=household),
            now=NOW,
        )
        for name in names
    ]


def test_a_family_checks_in_to_one_room_and_a_stranger_gets_another(district, command_user, site, travel):
    father, mother, child = family(district, "张父", "张母", "张子")
    stranger = start(district.grid_a, D(2021, 8, 1), name="路人", now=NOW)
    stay = do_check_in(command_user, father, site, now=NOW, family=[mother, child])
    rooms = {s.order_id: s.room for s in Stay.objects.filter(checked_out_at__isnull=True)}
    assert rooms[father.pk] == rooms[mother.pk] == rooms[child.pk] == stay.room
    assert do_check_in(command_user, stranger, site, now=NOW).room != stay.room


def test_the_room_stays_taken_until_the_last_family_member_leaves(district, command_user, site, travel):
    father, mother = family(district, "张父", "张母")
    head = do_check_in(command_user, father, site, now=NOW, family=[mother])
    do_check_out(command_user, head, now=NOW)
    others = [start(district.grid_a, D(2021, 8, 1), name=n, now=NOW) for n in ("甲", "乙")]
    assert do_check_in(command_user, others[0], site, now=NOW).room != head.room
    with pytest.raises(ValidationError):  # 101 still has the mother, 102 is taken
        do_check_in(command_user, others[1], site, now=NOW)


def test_a_family_check_in_is_all_or_nothing(district, command_user, site, travel):
    father, mother = family(district, "张父", "张母")
    do_check_in(command_user, mother, site, now=NOW)
    with pytest.raises(ValidationError) as exc:
        do_check_in(command_user, father, site, now=NOW, family=[mother])
    assert "张*" in str(exc.value)
    assert not Stay.objects.filter(order=father).exists()


def test_the_order_page_offers_the_household_and_checks_them_in_together(
    district, command_user, client_for, site, travel
):
    father, mother, child = family(district, "张父", "张母", "张子")
    start(district.grid_a, D(2021, 8, 1), name="邻居", now=NOW)  # not of the household: not offered
    client = client_for(command_user)
    page = client.get(f"/control/orders/{father.uuid}/").content.decode()
    assert "同住一间的家庭成员" in page and "张母" in page and "张子" in page and "邻居" not in page
    response = client.post(
        f"/control/orders/{father.uuid}/check-in", {"site": site.pk, "family": [mother.pk, child.pk]}
    )
    assert response.status_code == 302
    assert Stay.objects.filter(room__number="101", checked_out_at__isnull=True).count() == 3
    site_page = client.get(f"/control/sites/{site.uuid}/").content.decode()
    assert "家庭 3" in site_page and "3 人" in site_page


def test_a_late_family_member_joins_the_room(district, command_user, client_for, site, travel):
    father, mother = family(district, "张父", "张母")
    do_check_in(command_user, father, site, now=NOW)
    client = client_for(command_user)
    head = Stay.objects.get(order=father)
    page = client.get(f"/control/orders/{mother.uuid}/").content.decode()
    assert "加入家庭成员所在房间" in page
    response = client.post(f"/control/orders/{mother.uuid}/check-in", {"join": head.pk})
    assert response.status_code == 302
    assert Stay.objects.get(order=mother).room == head.room


def test_a_family_member_outside_the_household_is_refused(district, command_user, client_for, site, travel):
    father, mother = family(district, "张父", "张母")
    other = start(district.grid_a, D(2021, 8, 1), name="路人", now=NOW)
    response = client_for(command_user).post(
        f"/control/orders/{father.uuid}/check-in", {"site": site.pk, "family": [mother.pk, other.pk]}
    )
    assert response.status_code == 400 and not Stay.objects.exists()


def test_check_in_without_a_site_is_refused(district, command_user, client_for, site, travel):
    (father,) = family(district, "张父")
    response = client_for(command_user).post(f"/control/orders/{father.uuid}/check-in", {})
    assert response.status_code == 400 and "请选择" in response.content.decode()
