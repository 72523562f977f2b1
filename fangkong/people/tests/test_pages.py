import pytest

from fangkong.audit.models import AuditAction, AuditEvent
from fangkong.people.models import Person
from fangkong.people.tests.helpers import create_person, new_id


@pytest.fixture
def people(district):
    return {
        "zs": create_person(district.grid_a, "张三"),
        "ls": create_person(district.grid_a2, "李四"),
        "b": create_person(district.grid_b, "张山"),
    }


def test_the_list_shows_only_the_jurisdiction(people, cadre_a, client_for):
    body = client_for(cadre_a).get("/people/").content.decode()
    assert "张三" in body and "李四" in body
    assert "张山" not in body


def test_pinyin_initials_find_a_name(people, cadre_a, client_for):
    body = client_for(cadre_a).get("/people/", {"q": "zs"}).content.decode()
    assert "张三" in body and "李四" not in body


def test_last_digits_find_a_person(people, cadre_a, client_for):
    last4 = people["ls"].document_number[-4:]
    body = client_for(cadre_a).get("/people/", {"q": last4}).content.decode()
    assert "李四" in body


def test_the_grid_worker_sees_only_the_grid(people, grid_worker_a, client_for):
    body = client_for(grid_worker_a).get("/people/").content.decode()
    assert "张三" in body and "李四" not in body


def test_numbers_are_masked_on_list_and_detail(people, cadre_a, client_for):
    client = client_for(cadre_a)
    person = people["zs"]
    for url in ("/people/", f"/people/{person.uuid}/"):
        body = client.get(url).content.decode()
        assert person.document_number not in body
        assert person.masked_document in body
        assert "13900000000" not in body


def test_reveal_shows_the_full_number_and_is_audited(people, cadre_a, client_for):
    person = people["zs"]
    response = client_for(cadre_a).post(f"/people/{person.uuid}/reveal")
    assert response.status_code == 200
    assert person.document_number in response.content.decode()
    event = AuditEvent.objects.get(action=AuditAction.REVEAL)
    assert (event.actor, event.object_uuid) == (cadre_a, person.uuid)


def test_reveal_needs_post(people, cadre_a, client_for):
    assert client_for(cadre_a).get(f"/people/{people['zs'].uuid}/reveal").status_code == 405


def test_an_outsider_gets_404_everywhere(people, cadre_b, client_for):
    client = client_for(cadre_b)
    person = people["zs"]
    assert client.get(f"/people/{person.uuid}/").status_code == 404
    assert client.post(f"/people/{person.uuid}/reveal").status_code == 404
    assert client.post(f"/people/{person.uuid}/edit", {"name": "x"}).status_code == 404
    assert not AuditEvent.objects.filter(action=AuditAction.REVEAL).exists()


def test_anonymous_visitors_are_sent_to_login(people, client):
    response = client.get("/people/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_create_registers_and_redirects(district, cadre_a, client_for):
    number = new_id()
    response = client_for(cadre_a).post(
        "/people/new",
        {
            "name": "王五",
            "document_type": "resident_id",
            "document_number": number,
            "phone": "13900003333",
            "sex": "",
            "address": "",
            "household_number": "0007",
            "region": district.grid_a.pk,
        },
    )
    person = Person.objects.get(document_number=number)
    assert response.status_code == 302 and str(person.uuid) in response["Location"]
    assert person.household is not None and person.household.number == "0007"


def test_create_shows_a_chinese_error_for_a_bad_check_digit(district, cadre_a, client_for):
    response = client_for(cadre_a).post(
        "/people/new",
        {
            "name": "王五",
            "document_type": "resident_id",
            "document_number": "410928199001011230",
            "region": district.grid_a.pk,
        },
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert response.status_code == 200
    assert "校验" in response.content.decode()
    assert not Person.objects.exists()


def test_create_cannot_place_a_person_in_another_township(district, cadre_a, client_for):
    response = client_for(cadre_a).post(
        "/people/new",
        {
            "name": "王五",
            "document_type": "resident_id",
            "document_number": new_id(),
            "region": district.grid_b.pk,
        },
    )
    assert response.status_code == 200
    assert not Person.objects.exists()


def test_edit_keeps_numbers_left_blank(people, cadre_a, client_for):
    person = people["zs"]
    response = client_for(cadre_a).post(
        f"/people/{person.uuid}/edit",
        {
            "name": "张三丰",
            "document_type": "resident_id",
            "document_number": "",
            "phone": "",
            "address": "新地址",
            "household_number": "",
            "region": person.region.pk,
            "sex": "M",
        },
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.name == "张三丰" and person.address == "新地址"
    assert person.phone == "+8613900000000"


def test_the_list_query_count_does_not_grow_with_rows(
    district, cadre_a, client_for, django_assert_max_num_queries
):
    for i in range(30):
        create_person(district.grid_a if i % 2 else district.grid_a2, f"测试{i}")
    client = client_for(cadre_a)
    with django_assert_max_num_queries(12):
        assert client.get("/people/").status_code == 200


def test_grid_workers_cannot_export(people, grid_worker_a, client_for):
    assert client_for(grid_worker_a).post("/people/export").status_code == 404
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()


def test_the_count_uses_the_chinese_plural(people, cadre_a, client_for):
    body = client_for(cadre_a).get("/people/").content.decode()
    assert "共 2 人" in body


def test_registering_another_townships_resident_reveals_nothing(people, cadre_a, client_for):
    other = people["b"]
    response = client_for(cadre_a).post(
        "/people/new",
        {
            "name": "随便",
            "document_type": "resident_id",
            "document_number": other.document_number,
            "region": people["zs"].region.pk,
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert str(other.uuid) not in body and other.name not in body
    assert "其他单位登记" in body
    assert Person.objects.filter(document_number=other.document_number).count() == 1
