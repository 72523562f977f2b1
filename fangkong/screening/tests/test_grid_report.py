import datetime
from collections.abc import Callable
from zoneinfo import ZoneInfo

import time_machine
from django.test import Client
from django.urls import reverse

from conftest import District
from fangkong.accounts.models import User
from fangkong.audit.models import AuditEvent
from fangkong.people.models import Person
from fangkong.screening.models import Channel, ReturneeReport, RiskLevel
from fangkong.screening.tests.helpers import form_data, publish, register

NOON = datetime.datetime(2021, 7, 25, 12, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@time_machine.travel(NOON, tick=False)
def test_a_grid_report_classifies_and_assigns_the_grid_worker(
    district: District, cadre_a: User, grid_worker_a: User, client_for: Callable[[User], Client]
) -> None:
    publish("南京市江宁区禄口街道", RiskLevel.HIGH, datetime.date(2021, 7, 21))
    response = client_for(cadre_a).post(
        reverse("screening:returnee_create"), form_data(region=district.grid_a.pk)
    )
    assert response.status_code == 302
    report = ReturneeReport.objects.get()
    assert report.channel == Channel.GRID
    assert report.origin_risk_level == RiskLevel.HIGH
    assert report.origin_starred
    assert report.proposed_measure is not None and report.proposed_measure.code == "centralized_isolation"
    assert report.assigned_to == grid_worker_a
    assert AuditEvent.objects.filter(object_uuid=report.uuid).exists()


def test_the_grid_worker_registers_from_a_phone(
    district: District, grid_worker_a: User, client_for: Callable[[User], Client]
) -> None:
    client = client_for(grid_worker_a)
    assert client.get(reverse("screening:returnee_create")).status_code == 200
    response = client.post(reverse("screening:returnee_create"), form_data(region=district.grid_a.pk))
    assert response.status_code == 302
    assert ReturneeReport.objects.get().created_by == grid_worker_a


def test_a_grid_report_moves_a_village_level_person_into_the_grid(district: District, cadre_a: User) -> None:
    register(district.village_a, Channel.SELF)
    register(district.grid_a2, Channel.GRID, actor=cadre_a)
    assert Person.objects.get().region == district.grid_a2


def test_a_grid_report_outside_the_jurisdiction_is_refused(
    district: District, cadre_b: User, client_for: Callable[[User], Client]
) -> None:
    response = client_for(cadre_b).post(
        reverse("screening:returnee_create"), form_data(region=district.grid_a.pk)
    )
    assert response.status_code == 200
    assert response.context["form"].errors["region"]
    assert not ReturneeReport.objects.exists()


def test_a_self_drive_without_plate_is_refused(
    district: District, cadre_a: User, client_for: Callable[[User], Client]
) -> None:
    response = client_for(cadre_a).post(
        reverse("screening:returnee_create"),
        form_data(region=district.grid_a.pk, transport_mode="self_drive", transport_number=""),
    )
    assert response.context["form"].errors["transport_number"]


def test_a_negative_test_older_than_48_hours_is_refused(
    district: District, cadre_a: User, client_for: Callable[[User], Client]
) -> None:
    response = client_for(cadre_a).post(
        reverse("screening:returnee_create"),
        form_data(
            region=district.grid_a.pk,
            negative_test="on",
            return_date="2021-07-25",
            negative_test_date="2021-07-20",
        ),
    )
    assert response.context["form"].errors["negative_test_date"]


def test_the_form_refuses_put(cadre_a: User, client_for: Callable[[User], Client]) -> None:
    assert client_for(cadre_a).put(reverse("screening:returnee_create")).status_code == 405


def test_a_leader_cannot_register(district: District, client_for: Callable[[User], Client]) -> None:
    from conftest import make_user
    from fangkong.accounts.permissions import Role

    leader = make_user("leader", Role.LEADER, district.county)
    assert client_for(leader).get(reverse("screening:returnee_create")).status_code == 404
