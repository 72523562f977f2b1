"""A mask hides for real: without a reveal no page, API answer or audit row shows the birth date that the
masked ID number hides, and a number search matches the last four characters or the whole number only."""

import datetime

import pytest

from conftest import make_user
from fangkong.accounts.actions import do_create_token
from fangkong.accounts.permissions import Role
from fangkong.audit.models import AuditAction, AuditEvent
from fangkong.people.tests.helpers import create_person, new_id

BIRTH = datetime.date(1987, 6, 15)


@pytest.fixture
def person(district):
    return create_person(district.grid_a, "张三", document_number=new_id(BIRTH), phone="13912345678")


@pytest.fixture
def leader(district):
    return make_user("lingdao", Role.LEADER, district.county)


def _no_birth_date(text):
    return "1987-06-15" not in text and "19870615" not in text and "1987年6月15日" not in text


def test_the_person_page_shows_age_and_birth_year_not_the_birth_date(person, leader, client_for):
    body = client_for(leader).get(f"/people/{person.uuid}/").content.decode()
    assert person.masked_document in body
    assert _no_birth_date(body)
    assert "1987" in body


def test_the_reveal_shows_the_birth_date_and_is_audited(person, cadre_a, client_for):
    body = client_for(cadre_a).post(f"/people/{person.uuid}/reveal").content.decode()
    assert "1987-06-15" in body
    assert AuditEvent.objects.filter(action=AuditAction.REVEAL, object_uuid=person.uuid).exists()


def test_the_api_gives_the_birth_year_and_the_birth_date_only_on_reveal(person, cadre_a, client):
    _token, raw = do_create_token(cadre_a, "phone")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    masked = client.get(f"/api/v1/people/{person.uuid}", **auth).json()
    assert masked["birth_year"] == 1987 and masked["birth_date"] is None
    assert _no_birth_date(str(client.get("/api/v1/people/", **auth).json()))
    revealed = client.get(f"/api/v1/people/{person.uuid}", {"reveal": "true"}, **auth).json()
    assert revealed["birth_date"] == "1987-06-15"


def test_the_audit_log_holds_the_birth_year_only(person, cadre_a, client_for):
    event = AuditEvent.objects.get(action=AuditAction.CREATE, object_uuid=person.uuid)
    assert _no_birth_date(str(event.changes))
    assert event.changes["birth_date"] == [None, "1987"]


def _found(client, q):
    return "张三" in client.get("/people/", {"q": q}).content.decode()


def test_a_number_search_matches_the_last_four_or_the_whole_number(person, leader, client_for):
    client = client_for(leader)
    number = person.document_number
    assert _found(client, number[-4:])
    assert _found(client, number)
    assert _found(client, "5678")
    assert _found(client, "13912345678")
    assert _found(client, "139 1234 5678")
    # One more digit at a time would rebuild a masked number: longer suffixes match nothing.
    for length in (5, 6, 8, 11, 14):
        assert not _found(client, number[-length:]), length
    assert not _found(client, "45678")
    assert not _found(client, "2345678")


def test_names_and_initials_still_match(person, leader, client_for):
    client = client_for(leader)
    assert _found(client, "zs") and _found(client, "zhangsan") and _found(client, "张")
