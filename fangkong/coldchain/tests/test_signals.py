"""Contract C3: adding and removing cold-chain workers announces the people, inside the transaction."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from fangkong.coldchain.actions import do_add_worker, do_create_enterprise, do_remove_worker
from fangkong.coldchain.public import worker_person_ids
from fangkong.coldchain.signals import workers_changed
from fangkong.people.tests.helpers import new_id


@pytest.fixture
def received() -> Iterator[list[dict[str, Any]]]:
    calls: list[dict[str, Any]] = []

    def receiver(sender: Any, **kwargs: Any) -> None:
        kwargs.pop("signal")
        calls.append({"in_atomic": transaction.get_connection().in_atomic_block, **kwargs})

    workers_changed.connect(receiver, dispatch_uid="test-workers-changed")
    yield calls
    workers_changed.disconnect(dispatch_uid="test-workers-changed")


def store(cadre, village, name="冷库"):
    return do_create_enterprise(cadre, name=name, kind="cold_store", region=village, now=timezone.now())


def add(cadre, enterprise, village, number):
    return do_add_worker(
        cadre, enterprise, name="搬运工", document_number=number, phone="", home=village, now=timezone.now()
    )


def test_adding_a_worker_sends_active_once(district, cadre_a, received):
    enterprise = store(cadre_a, district.village_a)
    now = timezone.now()
    person = do_add_worker(
        cadre_a,
        enterprise,
        name="搬运工",
        document_number=new_id(),
        phone="",
        home=district.village_a,
        now=now,
    )
    assert received == [{"in_atomic": True, "person_ids": [person.pk], "active": True, "now": now}]
    add(cadre_a, enterprise, district.village_a, person.document_number)  # already a worker: no news
    assert len(received) == 1


def test_removing_the_last_job_sends_inactive(district, cadre_a, received):
    first, second = store(cadre_a, district.village_a), store(cadre_a, district.village_a, "二号冷库")
    number = new_id()
    person = add(cadre_a, first, district.village_a, number)
    add(cadre_a, second, district.village_a, number)
    assert [c["active"] for c in received] == [True, True]
    do_remove_worker(cadre_a, first, person, now=timezone.now())
    assert len(received) == 2  # still works at the second store
    assert worker_person_ids() == {person.pk}
    now = timezone.now()
    do_remove_worker(cadre_a, second, person, now=now)
    assert received[-1] == {"in_atomic": True, "person_ids": [person.pk], "active": False, "now": now}
    assert worker_person_ids() == set()


def test_removing_someone_who_is_not_a_worker_is_refused(district, cadre_a, cadre_b, received):
    enterprise = store(cadre_a, district.village_a)
    person = add(cadre_a, enterprise, district.village_a, new_id())
    with pytest.raises(ValidationError):
        do_remove_worker(cadre_b, enterprise, person, now=timezone.now())
    do_remove_worker(cadre_a, enterprise, person, now=timezone.now())
    with pytest.raises(ValidationError):
        do_remove_worker(cadre_a, enterprise, person, now=timezone.now())
    assert [c["active"] for c in received] == [True, False]
