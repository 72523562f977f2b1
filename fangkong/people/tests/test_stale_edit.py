"""Two people edit the same person: the second save, made from a form opened before the first, is refused
with a message showing what changed, instead of silently reverting the first change."""

from fangkong.people.models import Person
from fangkong.people.tests.helpers import create_person


def _form(person, **overrides):
    data = {
        "name": person.name,
        "document_type": person.document_type,
        "document_number": "",
        "phone": "",
        "sex": person.sex,
        "address": person.address,
        "household_number": "",
        "region": person.region.pk,
        "version": person.version,
    }
    data.update(overrides)
    return data


def test_a_stale_save_is_refused_and_shows_what_changed(district, cadre_a, grid_worker_a, client_for):
    person = create_person(district.grid_a, "张三", address="旧地址")
    first, second = client_for(cadre_a), client_for(grid_worker_a)
    opened = _form(person)  # both open the form at version 1

    assert first.post(f"/people/{person.uuid}/edit", {**opened, "address": "新地址一"}).status_code == 302
    response = second.post(f"/people/{person.uuid}/edit", {**opened, "name": "张叁"})

    assert response.status_code == 200
    body = response.content.decode()
    assert "新地址一" in body  # only the message can show the first save
    person.refresh_from_db()
    assert (person.name, person.address, person.version) == ("张三", "新地址一", 2)
    # The form now carries the current version: saving again applies the second person's change.
    assert 'name="version" value="2"' in body
    again = second.post(
        f"/people/{person.uuid}/edit", {**opened, "name": "张叁", "address": "新地址一", "version": 2}
    )
    assert again.status_code == 302
    person.refresh_from_db()
    assert (person.name, person.address, person.version) == ("张叁", "新地址一", 3)


def test_the_api_refuses_a_stale_patch_with_409(district, cadre_a, client_for):
    person = create_person(district.grid_a, "张三")
    client = client_for(cadre_a)
    read = client.get(f"/api/v1/people/{person.uuid}").json()
    assert read["version"] == 1
    ok = client.patch(
        f"/api/v1/people/{person.uuid}", {"address": "一", "version": 1}, content_type="application/json"
    )
    assert ok.status_code == 200 and ok.json()["version"] == 2
    stale = client.patch(
        f"/api/v1/people/{person.uuid}", {"address": "二", "version": 1}, content_type="application/json"
    )
    assert stale.status_code == 409
    assert Person.objects.get(pk=person.pk).address == "一"
