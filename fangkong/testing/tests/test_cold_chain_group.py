"""Contract C3: cold-chain workers are the cold-chain key group (3-day cycle). The coldchain app announces
workers added or removed (`coldchain.signals.workers_changed`); the sync command catches up existing workers."""

from __future__ import annotations

import io

from django.core.management import call_command

from fangkong.coldchain.actions import do_add_worker, do_create_enterprise
from fangkong.coldchain.signals import workers_changed
from fangkong.people.tests.helpers import create_person, new_id
from fangkong.testing.models import KeyGroup, KeyGroupMember

from .conftest import NOW


def _members() -> set[int]:
    return set(
        KeyGroupMember.objects.filter(group__code="cold_chain", is_active=True).values_list(
            "person_id", flat=True
        )
    )


def _worker(cadre_a, enterprise, name: str):
    return do_add_worker(
        cadre_a, enterprise, name=name, document_number=new_id(), phone="", home=enterprise.region, now=NOW
    )


def test_the_signal_adds_workers_due_today_and_removes_those_who_left(district, cadre_a):
    a, b = create_person(district.grid_a, "搬运工甲"), create_person(district.grid_a, "搬运工乙")
    workers_changed.send(sender=None, person_ids=[a.pk, b.pk], active=True, now=NOW)
    assert _members() == {a.pk, b.pk}
    member = KeyGroupMember.objects.get(person=a, is_active=True)
    assert member.next_due_on == NOW.date() and member.region == a.region
    assert KeyGroup.objects.get(code="cold_chain").cycle_days == 3
    workers_changed.send(sender=None, person_ids=[a.pk, b.pk], active=True, now=NOW)  # twice: no change
    assert KeyGroupMember.objects.filter(group__code="cold_chain").count() == 2
    workers_changed.send(sender=None, person_ids=[a.pk], active=False, now=NOW)
    assert _members() == {b.pk}
    assert KeyGroupMember.objects.filter(person=a, is_active=False).exists()  # kept, not deleted


def test_a_worker_leaving_one_enterprise_but_working_at_another_stays(district, cadre_a):
    one = do_create_enterprise(cadre_a, name="冷库一", kind="cold_store", region=district.village_a, now=NOW)
    two = do_create_enterprise(cadre_a, name="冷库二", kind="cold_store", region=district.village_a, now=NOW)
    person = _worker(cadre_a, one, "两处上班")
    two.workers.add(person)
    one.workers.remove(person)
    workers_changed.send(sender=None, person_ids=[person.pk], active=False, now=NOW)
    workers_changed.send(sender=None, person_ids=[person.pk], active=True, now=NOW)
    assert person.pk in _members()
    two.workers.remove(person)
    workers_changed.send(sender=None, person_ids=[person.pk], active=False, now=NOW)
    assert person.pk not in _members()


def test_the_sync_command_brings_existing_workers_in_and_is_idempotent(district, cadre_a):
    store = do_create_enterprise(
        cadre_a, name="王助冷库", kind="cold_store", region=district.village_a, now=NOW
    )
    workers = [_worker(cadre_a, store, f"老员工{i}") for i in range(3)]
    # Whatever the signal did when they were added, the sync makes the group equal the workers.
    KeyGroupMember.objects.all().delete()
    stranger = create_person(district.grid_a, "已离职")
    workers_changed.send(sender=None, person_ids=[stranger.pk], active=True, now=NOW)
    out = io.StringIO()
    call_command("sync_cold_chain_group", stdout=out)
    assert _members() == {w.pk for w in workers}
    assert "3 joined, 1 left" in out.getvalue()
    out = io.StringIO()
    call_command("sync_cold_chain_group", stdout=out)
    assert "0 joined, 0 left" in out.getvalue()


def test_the_group_is_made_from_data_if_it_was_removed(district):
    KeyGroup.objects.filter(code="cold_chain").delete()
    person = create_person(district.grid_a, "新员工")
    workers_changed.send(sender=None, person_ids=[person.pk], active=True, now=NOW)
    assert KeyGroup.objects.get(code="cold_chain").cycle_days == 3 and _members() == {person.pk}
