"""The collector finds a person by name or phone when the ID card is not at hand: masked rows inside the
collector's jurisdiction, and one tap adds the person to the tube."""

from __future__ import annotations

from fangkong.people.tests.helpers import create_person
from fangkong.testing.models import TubeMember

from .conftest import NOW  # noqa: F401 - the autouse clock of conftest


def _form(point, rnd):
    return {"point": point.pk, "purpose": "round", "round": rnd.pk, "capacity": 5, "barcode": "F0001"}


def test_find_by_name_lists_masked_matches_and_keeps_the_form(client_for, collector, point, rnd, people):
    client = client_for(collector)
    page = client.post("/testing/collect", {**_form(point, rnd), "find": "1", "q": "居民3"}).content.decode()
    assert 'data-testid="found-people"' in page
    assert people[3].name in page and str(people[3].uuid) in page
    assert people[3].masked_document in page and people[3].masked_phone in page
    assert people[3].document_number not in page and people[3].phone not in page
    assert 'value="F0001"' in page  # the barcode stays while searching
    assert not TubeMember.objects.exists()


def test_find_by_phone_whole_or_last_four(client_for, collector, point, rnd, people):
    client = client_for(collector)
    whole = client.post("/testing/collect", {**_form(point, rnd), "find": "1", "q": "13900000007"})
    assert str(people[7].uuid) in whole.content.decode()
    last4 = client.post("/testing/collect", {**_form(point, rnd), "find": "1", "q": "0007"})
    assert str(people[7].uuid) in last4.content.decode()
    # Three trailing digits are not a search: a masked number is not recovered digit by digit.
    partial = client.post(
        "/testing/collect", {**_form(point, rnd), "find": "1", "q": "00007"}
    ).content.decode()
    assert str(people[7].uuid) not in partial


def test_one_tap_adds_the_picked_person(client_for, collector, point, rnd, people):
    client = client_for(collector)
    response = client.post("/testing/collect", {**_form(point, rnd), "person": str(people[2].uuid)})
    assert response.status_code == 200
    member = TubeMember.objects.get()
    assert member.person == people[2] and member.tube.barcode == "F0001"
    assert 'value="F0001"' in response.content.decode()  # the pool is not full: the barcode stays


def test_people_outside_the_collectors_jurisdiction_are_not_found_nor_picked(
    client_for, district, point, rnd, people
):
    from conftest import make_user
    from fangkong.accounts.permissions import Role

    outsider_person = create_person(district.grid_b, "外镇居民", phone="13911112222")
    township_collector = make_user("caiyang_a", Role.TESTING_STAFF, district.township_a)
    client = client_for(township_collector)
    page = client.post(
        "/testing/collect", {**_form(point, rnd), "find": "1", "q": "外镇居民"}
    ).content.decode()
    assert str(outsider_person.uuid) not in page and 'data-testid="found-nobody"' in page
    response = client.post("/testing/collect", {**_form(point, rnd), "person": str(outsider_person.uuid)})
    assert response.status_code == 200 and not TubeMember.objects.exists()
    assert "您的管辖范围内没有登记此身份证号的居民。" in response.content.decode()


def test_an_empty_search_and_no_person_at_all_are_clear_errors(client_for, collector, point, rnd, people):
    client = client_for(collector)
    page = client.post("/testing/collect", {**_form(point, rnd), "find": "1", "q": " "}).content.decode()
    assert "请输入姓名或手机号。" in page
    page = client.post("/testing/collect", {**_form(point, rnd)}).content.decode()
    assert "请扫描身份证号，或按姓名、手机号查找。" in page
    page = client.post("/testing/collect", {**_form(point, rnd), "person": "not-a-uuid"}).content.decode()
    assert not TubeMember.objects.exists() and "您的管辖范围内没有登记此身份证号的居民。" in page
