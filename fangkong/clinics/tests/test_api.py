"""GET /api/v1/clinics/registrations and /follow-ups: scoped, masked, filtered; outsiders see nothing."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.utils import timezone

from fangkong.clinics.tests.helpers import buy, create_pharmacy
from fangkong.people.tests.helpers import create_person


@pytest.fixture
def pharmacy(district, cadre_a):
    return create_pharmacy(cadre_a, district.village_a, "yaodian")


def test_registrations_are_listed_with_the_document_masked(district, pharmacy, cadre_a, cadre_b, client_for):
    facility, staff = pharmacy
    person = create_person(district.grid_a, "张三")
    buy(staff, facility, person.document_number)
    for user in (cadre_a, staff):
        response = client_for(user).get("/api/v1/clinics/registrations")
        assert response.status_code == 200
        [row] = response.json()
        assert row["name"] == "张三" and row["facility"] == str(facility.uuid)
        assert row["document_number"] != person.document_number
        assert row["document_number"].endswith(person.document_number[-4:])
        assert person.document_number not in response.content.decode()
        assert row["medicine"] == "fever" and row["follow_up_done_at"] is None
    assert client_for(cadre_b).get("/api/v1/clinics/registrations").json() == []


def test_registrations_filter_by_facility_and_kind(district, pharmacy, cadre_a, cadre_b, client_for):
    facility, staff = pharmacy
    buy(staff, facility, create_person(district.grid_a, "甲").document_number)
    client = client_for(cadre_a)
    url = "/api/v1/clinics/registrations"
    assert len(client.get(url, {"facility": str(facility.uuid), "kind": "drug_purchase"}).json()) == 1
    assert client.get(url, {"kind": "fever_patient"}).json() == []
    assert client.get(url, {"kind": "nonsense"}).status_code == 422
    assert client.get(url, {"limit": "0"}).status_code == 422
    assert client_for(cadre_b).get(url, {"facility": str(facility.uuid)}).status_code == 404


def test_follow_ups_by_state_for_the_grid_worker(district, pharmacy, grid_worker_a, cadre_b, client_for):
    facility, staff = pharmacy
    person = create_person(district.grid_a, "张三")
    at = datetime.datetime(2021, 8, 3, 3, 30, tzinfo=datetime.UTC)
    with time_machine.travel(at):
        buy(staff, facility, person.document_number, now=timezone.now())
    client = client_for(grid_worker_a)
    url = "/api/v1/clinics/follow-ups"
    with time_machine.travel(at + datetime.timedelta(hours=23)):
        [task] = client.get(url).json()
        assert task["name"] == "张三" and task["assigned_to"] == "wangzhu-grid" and not task["overdue"]
        assert person.phone == "" or person.phone not in str(task)
        assert client.get(url, {"state": "overdue"}).json() == []
    with time_machine.travel(at + datetime.timedelta(hours=24, seconds=1)):
        [task] = client.get(url, {"state": "overdue"}).json()
        assert task["overdue"]
    assert client.get(url, {"state": "done"}).json() == []
    assert client.get(url, {"state": "later"}).status_code == 422
    assert client_for(cadre_b).get(url).json() == []


def test_pharmacy_staff_cannot_list_follow_ups_and_anonymous_are_refused(pharmacy, client, client_for):
    _facility, staff = pharmacy
    assert client_for(staff).get("/api/v1/clinics/follow-ups").status_code == 404
    assert client.get("/api/v1/clinics/registrations").status_code == 401
    assert client_for(staff).post("/api/v1/clinics/registrations").status_code == 405
