"""Registering a returnee whose document a person of another township holds: the registering unit sees only
what it typed; both units are told; a hand-over (移交) moves the person once the holding unit (or the command
office) agrees, with an audit trail."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from conftest import District
from fangkong.accounts.actions import do_create_token
from fangkong.accounts.models import User
from fangkong.audit.models import AuditAction, AuditEvent
from fangkong.people.models import Person, PersonTransfer, TransferStatus
from fangkong.people.tests.helpers import create_person
from fangkong.screening.models import Channel, ReturneeReport
from fangkong.screening.tests.helpers import ID_1, form_data

HIDDEN_NAME = "新习甲"
TYPED_NAME = "王助乙"
HIDDEN_PHONE = "13987654321"


def shows_hidden_phone(text: str) -> bool:
    """The held person's phone, masked (`139****4321`) or whole. Not a bare "4321": a random uuid can hold it."""
    return "*4321" in text or "87654321" in text


@pytest.fixture
def held_by_b(district: District) -> Person:
    return create_person(district.grid_b, HIDDEN_NAME, document_number=ID_1, phone=HIDDEN_PHONE)


def _grid_report(client: Client, district: District) -> ReturneeReport:
    data = form_data(region=district.grid_a.pk, name=TYPED_NAME, phone="13911112222")
    response = client.post(reverse("screening:returnee_create"), data, follow=True)
    assert response.status_code == 200
    return ReturneeReport.objects.get()


def test_a_grid_report_shows_the_registering_unit_only_what_it_typed(
    district: District, held_by_b: Person, cadre_a: User, client_for: Callable[[User], Client]
) -> None:
    client = client_for(cadre_a)
    data = form_data(region=district.grid_a.pk, name=TYPED_NAME, phone="13911112222")
    response = client.post(reverse("screening:returnee_create"), data, follow=True)
    body = response.content.decode()
    report = ReturneeReport.objects.get()
    assert report.person == held_by_b  # one person per document, still
    assert TYPED_NAME in body and HIDDEN_NAME not in body and not shows_hidden_phone(body)
    assert reverse("people:detail", args=[held_by_b.uuid]) not in body
    assert "新习" not in body
    for url in (reverse("screening:returnees"), reverse("screening:returnee_detail", args=[report.uuid])):
        page = client.get(url).content.decode()
        assert TYPED_NAME in page and HIDDEN_NAME not in page and not shows_hidden_phone(page)
    # The person stays with township B, unseen by A, and the report is not assigned to B's grid worker.
    held_by_b.refresh_from_db()
    assert held_by_b.region == district.grid_b
    assert client.get(reverse("people:detail", args=[held_by_b.uuid])).status_code == 404
    assert report.household is None
    # A's audit log names only what A typed.
    in_a = AuditEvent.objects.filter(region__path__startswith=district.township_a.path)
    assert in_a.exists() and all(HIDDEN_NAME not in e.object_label for e in in_a)


def test_the_api_shows_only_what_was_typed(
    district: District, held_by_b: Person, cadre_a: User, client: Client
) -> None:
    _token, raw = do_create_token(cadre_a, "phone")
    auth = {"Authorization": f"Bearer {raw}"}
    client_for_a = Client()
    client_for_a.force_login(cadre_a)
    report = _grid_report(client_for_a, district)
    answer = client.get(f"/api/v1/screening/returnees/{report.uuid}", headers=auth).json()
    assert answer["person_name"] == TYPED_NAME
    assert answer["phone"] == "139****2222"
    listed = str(client.get("/api/v1/screening/returnees", headers=auth).json())
    assert HIDDEN_NAME not in listed and not shows_hidden_phone(listed)


def test_a_public_self_report_in_a_village_of_a_does_not_pull_in_bs_person(
    district: District, held_by_b: Person, cadre_a: User, client_for: Callable[[User], Client]
) -> None:
    url = reverse("screening:self_report", args=[district.village_a.code])
    response = Client().post(url, form_data(name=TYPED_NAME), follow=True)  # post/redirect/get to the receipt
    assert response.status_code == 200 and HIDDEN_NAME not in response.content.decode()
    assert response.redirect_chain and response.redirect_chain[-1][1] == 302
    report = ReturneeReport.objects.get()
    assert report.channel == Channel.SELF and report.assigned_to is None
    page = client_for(cadre_a).get(reverse("screening:returnee_detail", args=[report.uuid])).content.decode()
    assert TYPED_NAME in page and HIDDEN_NAME not in page
    assert PersonTransfer.objects.get().region == district.village_a


def test_both_units_are_told(
    district: District,
    held_by_b: Person,
    cadre_a: User,
    cadre_b: User,
    client_for: Callable[[User], Client],
) -> None:
    _grid_report(client_for(cadre_a), district)
    transfer = PersonTransfer.objects.get()
    assert (transfer.person, transfer.from_region, transfer.region) == (
        held_by_b,
        district.grid_b,
        district.grid_a,
    )

    holder = client_for(cadre_b)
    assert 'data-testid="transfers-waiting"' in holder.get(reverse("people:list")).content.decode()
    incoming = holder.get(reverse("people:transfers")).content.decode()
    assert HIDDEN_NAME in incoming and "王助镇" in incoming

    asker = client_for(cadre_a).get(reverse("people:transfers")).content.decode()
    assert TYPED_NAME in asker and HIDDEN_NAME not in asker and held_by_b.masked_document not in asker
    assert 'data-testid="accept"' not in asker


def test_the_registering_unit_cannot_decide(
    district: District, held_by_b: Person, cadre_a: User, client_for: Callable[[User], Client]
) -> None:
    client = client_for(cadre_a)
    _grid_report(client, district)
    transfer = PersonTransfer.objects.get()
    assert client.post(reverse("people:transfer_accept", args=[transfer.uuid])).status_code == 404
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.PENDING


def test_the_holding_unit_hands_the_person_over_with_an_audit_trail(
    district: District,
    held_by_b: Person,
    cadre_a: User,
    cadre_b: User,
    client_for: Callable[[User], Client],
) -> None:
    _grid_report(client_for(cadre_a), district)
    transfer = PersonTransfer.objects.get()
    response = client_for(cadre_b).post(reverse("people:transfer_accept", args=[transfer.uuid]))
    assert response.status_code == 302
    held_by_b.refresh_from_db()
    assert held_by_b.region == district.grid_a
    transfer.refresh_from_db()
    assert (transfer.status, transfer.decided_by) == (TransferStatus.ACCEPTED, cadre_b)
    moved = AuditEvent.objects.get(action=AuditAction.UPDATE, object_uuid=held_by_b.uuid)
    assert moved.actor == cadre_b and "region" in moved.changes
    assert AuditEvent.objects.filter(action=AuditAction.UPDATE, object_uuid=transfer.uuid).exists()
    # Now A holds the person and sees them; B no longer does.
    assert client_for(cadre_a).get(reverse("people:detail", args=[held_by_b.uuid])).status_code == 200
    assert client_for(cadre_b).get(reverse("people:detail", args=[held_by_b.uuid])).status_code == 404


def test_the_command_office_may_decide_and_a_decline_keeps_the_person(
    district: District,
    held_by_b: Person,
    cadre_a: User,
    command_user: User,
    client_for: Callable[[User], Client],
) -> None:
    _grid_report(client_for(cadre_a), district)
    transfer = PersonTransfer.objects.get()
    office = client_for(command_user)
    url = reverse("people:transfer_decline", args=[transfer.uuid])
    office.post(url, {"note": ""})
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.PENDING  # a decline needs a reason
    office.post(url, {"note": "人在新习镇居住"})
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.DECLINED
    held_by_b.refresh_from_db()
    assert held_by_b.region == district.grid_b
    assert "人在新习镇居住" in client_for(cadre_a).get(reverse("people:transfers")).content.decode()


def test_a_second_report_does_not_ask_twice(
    district: District, held_by_b: Person, cadre_a: User, client_for: Callable[[User], Client]
) -> None:
    client = client_for(cadre_a)
    for _i in range(2):
        client.post(
            reverse("screening:returnee_create"), form_data(region=district.grid_a.pk, name=TYPED_NAME)
        )
    assert ReturneeReport.objects.count() == 2
    assert PersonTransfer.objects.count() == 1


def test_a_person_of_the_same_village_is_not_handed_over(
    district: District, cadre_a: User, client_for: Callable[[User], Client]
) -> None:
    mine = create_person(district.grid_a2, "本村人", document_number=ID_1)
    client_for(cadre_a).post(reverse("screening:returnee_create"), form_data(region=district.grid_a.pk))
    assert not PersonTransfer.objects.exists()
    assert ReturneeReport.objects.get().person == mine


def test_a_grid_report_started_from_such_a_self_report_is_prefilled_with_what_was_typed(
    district: District, held_by_b: Person, cadre_a: User, client_for: Callable[[User], Client]
) -> None:
    url = reverse("screening:self_report", args=[district.village_a.code])
    Client().post(url, form_data(name=TYPED_NAME), follow=True)
    report = ReturneeReport.objects.get()
    form = (
        client_for(cadre_a)
        .get(reverse("screening:returnee_create"), {"from": str(report.uuid)})
        .context["form"]
    )
    assert form.initial["name"] == TYPED_NAME
    assert HIDDEN_NAME not in str(form.initial)
