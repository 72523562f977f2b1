"""A registration at a pharmacy or clinic becomes the person's grid worker's task, due within 24 hours."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from fangkong.clinics.actions import do_complete_follow_up
from fangkong.clinics.figures import overdue
from fangkong.clinics.models import FollowUp
from fangkong.clinics.tests.helpers import buy, create_pharmacy
from fangkong.people.tests.helpers import create_person, new_id


@pytest.fixture
def pharmacy(district, cadre_a):
    return create_pharmacy(cadre_a, district.village_a, "yaodian")


def test_a_buyer_living_in_a_grid_gives_that_grid_worker_a_task_due_in_24_hours(
    district, pharmacy, grid_worker_a, client_for
):
    facility, staff = pharmacy
    person = create_person(district.grid_a, "张三")
    at = datetime.datetime(2021, 8, 3, 3, 30, tzinfo=datetime.UTC)  # 11:30 Beijing
    with time_machine.travel(at):
        buy(staff, facility, person.document_number, now=timezone.now())
    task = FollowUp.objects.get()
    assert task.person == person and task.assigned_to == grid_worker_a
    assert task.due_at == at + datetime.timedelta(hours=24)
    with time_machine.travel(at + datetime.timedelta(hours=23, minutes=59)):
        assert not task.is_overdue(timezone.now())
        page = client_for(grid_worker_a).get("/clinics/follow-ups/").content.decode()
        assert "张三" in page
    with time_machine.travel(at + datetime.timedelta(hours=24, seconds=1)):
        assert task.is_overdue(timezone.now())
        assert overdue(district.county, timezone.now()) == 1
        assert "张三" in client_for(grid_worker_a).get("/clinics/follow-ups/?overdue=1").content.decode()


def test_done_in_time_is_not_overdue(district, pharmacy, grid_worker_a):
    facility, staff = pharmacy
    person = create_person(district.grid_a, "李四")
    buy(staff, facility, person.document_number)
    task = FollowUp.objects.get()
    do_complete_follow_up(grid_worker_a, task, outcome="体温正常", now=timezone.now())
    assert overdue(district.county, timezone.now() + datetime.timedelta(days=2)) == 0
    with pytest.raises(ValidationError):
        do_complete_follow_up(grid_worker_a, task, outcome="again", now=timezone.now())


def test_a_fever_patient_needs_a_temperature(district, pharmacy):
    facility, staff = pharmacy
    with pytest.raises(ValidationError) as exc:
        buy(staff, facility, new_id(), kind="fever_patient")
    assert "temperature" in exc.value.message_dict
    buy(staff, facility, new_id(), kind="fever_patient", temperature="38.2", symptoms="咳嗽")


def test_a_bad_document_number_is_refused(pharmacy):
    facility, staff = pharmacy
    with pytest.raises(ValidationError) as exc:
        buy(staff, facility, "410928199001010000")
    assert "document_number" in exc.value.message_dict


def test_the_phone_page_registers_a_buyer(district, pharmacy, client_for):
    facility, staff = pharmacy
    response = client_for(staff).post(
        f"/clinics/{facility.uuid}/register",
        {"kind": "drug_purchase", "name": "王五", "document_number": new_id(), "medicine": "fever"},
    )
    assert response.status_code == 302
    assert FollowUp.objects.get().region == district.village_a


def test_other_townships_and_other_staff_get_404(district, pharmacy, cadre_b, client_for):
    from conftest import make_user
    from fangkong.accounts.permissions import Role

    facility, staff = pharmacy
    buy(staff, facility, new_id())
    other = make_user("yaodian-2", Role.FACILITY_STAFF, district.village_a)
    assert client_for(other).get(f"/clinics/{facility.uuid}/register").status_code == 404
    assert client_for(cadre_b).get(f"/clinics/{facility.uuid}/register").status_code == 404
    task = FollowUp.objects.get()
    assert (
        client_for(cadre_b).post(f"/clinics/follow-ups/{task.uuid}/done", {"outcome": "x"}).status_code == 404
    )
    assert "张三" not in client_for(cadre_b).get("/clinics/follow-ups/").content.decode()


def test_overdue_per_unit_on_the_home_page(district, pharmacy, command_user, client_for):
    facility, staff = pharmacy
    with time_machine.travel(timezone.now() - datetime.timedelta(days=2)):
        buy(staff, facility, new_id())
    page = client_for(command_user).get("/clinics/").content.decode()
    assert 'text-danger fw-bold">1<' in page
