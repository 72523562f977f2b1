"""The testing campaigns beside the round's reminder: a key group's members due tomorrow, and the members of
a positive pool from the recall board. Sent by notify's job; started twice, each person gets one message."""

from __future__ import annotations

import datetime

from fangkong.notify import backends
from fangkong.notify.models import Campaign, Message
from fangkong.people.tests.helpers import create_person
from fangkong.testing.actions import do_add_key_group_member, do_import_results, do_register_sample
from fangkong.testing.models import KeyGroup, KeyGroupMember

from .conftest import NOW

TOMORROW = NOW.date() + datetime.timedelta(days=1)


def _due_tomorrow(collector, district):
    group = KeyGroup.objects.get(code="cold_chain")
    due = [create_person(district.grid_a, f"冷链{i}", phone=f"1370000{i:04d}") for i in range(3)]
    other = create_person(district.grid_b, "乙镇冷链", phone="13700009999")
    today = create_person(district.grid_a, "今日应检", phone="13700008888")
    for person in [*due, other, today]:
        do_add_key_group_member(collector, group, person, now=NOW)
    KeyGroupMember.objects.exclude(person=today).update(next_due_on=TOMORROW)
    return group, due


def test_key_group_members_due_tomorrow_in_the_jurisdiction_are_texted_once(
    client_for, collector, cadre_a, district, django_capture_on_commit_callbacks
):
    backends.outbox.clear()
    group, due = _due_tomorrow(collector, district)
    client = client_for(cadre_a)
    page = client.get("/testing/key-groups/").content.decode()
    assert f"/testing/key-groups/{group.uuid}/remind" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/testing/key-groups/{group.uuid}/remind")
    campaign = Campaign.objects.get()
    assert response.status_code == 302 and str(campaign.uuid) in response["Location"]
    assert campaign.kind == "key_group_due"
    assert {m.person_id for m in Message.objects.all()} == {p.pk for p in due}  # not B's, not today's
    assert len(backends.outbox) == 3
    text = backends.outbox[0].text
    assert TOMORROW.isoformat() in text and f"/testing/open/{district.township_a.code}/" in text
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/testing/key-groups/{group.uuid}/remind")  # a double click
    assert Message.objects.count() == 3 and len(backends.outbox) == 3


def test_nobody_due_tomorrow_is_a_clear_message_and_no_campaign(client_for, cadre_a, district):
    group = KeyGroup.objects.get(code="cold_chain")
    response = client_for(cadre_a).post(f"/testing/key-groups/{group.uuid}/remind", follow=True)
    assert response.status_code == 200 and not Campaign.objects.exists()
    assert "明天没有" in response.content.decode() or "Nobody" in response.content.decode()


def test_a_positive_pools_members_are_recalled_by_sms_from_the_board(
    client_for, collector, cadre_a, cadre_b, point, rnd, people, tmp_path, django_capture_on_commit_callbacks
):
    backends.outbox.clear()
    for person in people[:5]:
        do_register_sample(
            collector, point=point, barcode="R0001", person=person, capacity=5, rnd=rnd, now=NOW
        )
    lab = tmp_path / "lab.csv"
    lab.write_text("条码,结果\nR0001,阳性\n", encoding="utf-8")
    do_import_results(collector, lab, "lab.csv", now=NOW + datetime.timedelta(hours=3))
    pool = people[0]  # noqa: F841 - for readability below
    from fangkong.testing.models import Tube

    tube = Tube.objects.get(barcode="R0001")
    # One member was re-sampled already: not texted.
    do_register_sample(
        collector, point=point, barcode="R0002", person=people[0], capacity=1, purpose="recall",
        now=NOW + datetime.timedelta(hours=4),
    )  # fmt: skip
    assert client_for(cadre_b).post(f"/testing/recalls/pools/{tube.uuid}/remind").status_code == 404
    client = client_for(cadre_a)
    page = client.get("/testing/recalls/").content.decode()
    assert f"/testing/recalls/pools/{tube.uuid}/remind" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/testing/recalls/pools/{tube.uuid}/remind")
    assert response.status_code == 302
    assert {m.person_id for m in Message.objects.all()} == {p.pk for p in people[1:5]}
    assert len(backends.outbox) == 4 and all(p.document_number not in backends.outbox[0].text for p in people)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/testing/recalls/pools/{tube.uuid}/remind")
    assert len(backends.outbox) == 4


def test_without_the_sms_permission_there_is_no_button_and_no_campaign(
    client_for, grid_worker_a, collector, district
):
    group, _due = _due_tomorrow(collector, district)
    client = client_for(grid_worker_a)
    assert "/remind" not in client.get("/testing/key-groups/").content.decode()
    assert client.post(f"/testing/key-groups/{group.uuid}/remind").status_code in (403, 404)
    assert not Campaign.objects.exists()
