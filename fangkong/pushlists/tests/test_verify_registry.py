"""Verification puts a person in the registry only when its outcome says the person is here (issue 11), through
the people app's own actions; the verifier can link a different person or register a new one."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from fangkong.audit.models import AuditAction, AuditEvent
from fangkong.people.actions import do_register_person
from fangkong.people.models import Person
from fangkong.pushlists.actions import (
    do_assign,
    do_dispatch,
    do_link_person,
    do_register_item_person,
    do_verify,
)
from fangkong.pushlists.models import Outcome, PushItem
from fangkong.pushlists.tests.conftest import NOW, id_number, item

NOT_HERE = [Outcome.WRONG_INFO, Outcome.NOT_LOCAL, Outcome.OUT_OF_PERIOD, Outcome.PASSED_THROUGH]


@pytest.mark.parametrize("outcome", NOT_HERE)
def test_an_outcome_that_says_the_person_is_not_here_creates_no_person(district, batch, cadre_a, outcome):
    do_dispatch(cadre_a, [item(batch, "张三")], district.village_a, NOW)

    closed = do_verify(cadre_a, item(batch, "张三"), outcome=outcome, note="查无此人", now=NOW)

    assert closed.outcome == outcome and closed.person is None
    assert not Person.objects.exists()


def test_found_and_put_under_control_registers_the_person_at_the_grid(
    district, batch, cadre_a, grid_worker_a, measure
):
    do_assign(cadre_a, [item(batch, "张三")], grid_worker_a, NOW)

    closed = do_verify(
        grid_worker_a, item(batch, "张三"), outcome=Outcome.NEW_FOUND, measure_code=measure, now=NOW
    )

    person = Person.objects.get()
    assert closed.person == person
    assert (person.name, person.document_number, person.phone) == ("张三", id_number(1), "+8613912345678")
    assert (person.region, person.name_pinyin, person.created_by) == (
        district.grid_a,
        "zhangsan",
        grid_worker_a,
    )
    assert AuditEvent.objects.filter(action=AuditAction.CREATE, object_uuid=person.uuid).exists()


def test_already_screened_registers_a_person_not_yet_in_the_registry(district, batch, cadre_a):
    closed = do_verify(
        cadre_a,
        item(batch, "张三"),
        outcome=Outcome.ALREADY_SCREENED,
        person_region=district.village_a,
        now=NOW,
    )

    assert closed.person is not None and closed.person.region == district.village_a


def test_a_township_cadre_must_name_the_village_for_a_new_person(district, batch, cadre_a, cadre_b):
    with pytest.raises(ValidationError) as exc:
        do_verify(cadre_a, item(batch, "张三"), outcome=Outcome.ALREADY_SCREENED, now=NOW)
    assert "person_region" in exc.value.message_dict
    with pytest.raises(ValidationError):  # a village outside the jurisdiction
        do_verify(
            cadre_a,
            item(batch, "张三"),
            outcome=Outcome.ALREADY_SCREENED,
            person_region=district.village_b,
            now=NOW,
        )
    assert not Person.objects.exists() and item(batch, "张三").outcome == ""


def test_a_matched_person_is_kept_not_created_again(district, batch, cadre_a):
    existing, _ = do_register_person(
        None, name="张三", region=district.village_b, document_number=id_number(1)
    )

    closed = do_verify(cadre_a, item(batch, "张三"), outcome=Outcome.ALREADY_SCREENED, now=NOW)

    assert closed.person == existing and Person.objects.count() == 1
    existing.refresh_from_db()
    assert existing.region == district.village_b  # another unit's person is not moved by the verification


def test_a_person_registered_after_the_import_is_found_at_verification(district, batch, cadre_a, client_for):
    later, _ = do_register_person(None, name="张三", region=district.village_a, document_number=id_number(1))
    pushed = item(batch, "张三")
    assert pushed.person is None

    page = client_for(cadre_a).get(f"/push-lists/items/{pushed.uuid}/").content.decode()
    assert f"/people/{later.uuid}/" in page

    closed = do_verify(cadre_a, pushed, outcome=Outcome.ALREADY_SCREENED, now=NOW)
    assert closed.person == later and Person.objects.count() == 1


def test_the_verifier_links_another_person_or_registers_a_new_one(district, batch, cadre_a, client_for):
    other, _ = do_register_person(None, name="张叁", region=district.village_a, document_number=id_number(50))
    pushed = item(batch, "张三")
    client = client_for(cadre_a)
    url = f"/push-lists/items/{pushed.uuid}/person/"

    assert client.post(url, {"action": "link", "document_number": id_number(50)}).status_code == 302
    assert PushItem.objects.get(pk=pushed.pk).person == other
    assert client.post(url, {"action": "unlink"}).status_code == 302
    assert PushItem.objects.get(pk=pushed.pk).person is None
    response = client.post(url, {"action": "register", "person_region": district.village_a.code})
    assert response.status_code == 302
    registered = PushItem.objects.get(pk=pushed.pk).person
    assert registered is not None and registered.document_number == id_number(1)
    assert registered.region == district.village_a
    assert AuditEvent.objects.filter(object_uuid=pushed.uuid, action=AuditAction.UPDATE).count() == 3


def test_linking_refuses_a_person_outside_the_jurisdiction(district, batch, cadre_a, client_for):
    do_register_person(None, name="张叁", region=district.village_b, document_number=id_number(50))
    pushed = item(batch, "张三")

    response = client_for(cadre_a).post(
        f"/push-lists/items/{pushed.uuid}/person/", {"action": "link", "document_number": id_number(50)}
    )

    assert response.status_code == 400
    assert PushItem.objects.get(pk=pushed.pk).person is None


def test_an_outsider_cannot_change_the_person_of_an_item(district, batch, cadre_b, client_for):
    pushed = item(batch, "张三")
    response = client_for(cadre_b).post(f"/push-lists/items/{pushed.uuid}/person/", {"action": "unlink"})
    assert response.status_code == 404


def test_the_person_page_refuses_get(district, batch, cadre_a, client_for):
    assert client_for(cadre_a).get(f"/push-lists/items/{item(batch, '张三').uuid}/person/").status_code == 405


def test_a_verified_item_keeps_its_person(district, batch, cadre_a):
    pushed = do_verify(cadre_a, item(batch, "张三"), outcome=Outcome.NOT_LOCAL, now=NOW)
    with pytest.raises(ValidationError):
        do_link_person(cadre_a, pushed, None, NOW)
    with pytest.raises(ValidationError):
        do_register_item_person(cadre_a, pushed, region=district.village_a, now=NOW)
