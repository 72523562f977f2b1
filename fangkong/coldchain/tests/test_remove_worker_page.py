"""The enterprise page lists its workers (masked) and lets a manager remove one: audited, announced to testing's
key group, the person's record kept; a reader sees no button and cannot post; another township gets 404."""

from __future__ import annotations

from django.utils import timezone

from conftest import make_user
from fangkong.accounts.permissions import Role
from fangkong.audit.models import AuditEvent
from fangkong.coldchain.actions import do_add_worker, do_create_enterprise
from fangkong.coldchain.public import worker_person_ids
from fangkong.coldchain.signals import workers_changed
from fangkong.people.models import Person
from fangkong.people.tests.helpers import new_id


def _store_with_worker(cadre, village):
    now = timezone.now()
    store = do_create_enterprise(cadre, name="冷库", kind="cold_store", region=village, now=now)
    person = do_add_worker(
        cadre, store, name="搬运工", document_number=new_id(), phone="", home=village, now=now
    )
    return store, person


def _remove_url(store, person):
    return f"/coldchain/enterprises/{store.uuid}/workers/{person.uuid}/remove"


def test_a_manager_removes_a_worker_from_the_enterprise_page(district, cadre_a, client_for):
    store, person = _store_with_worker(cadre_a, district.village_a)
    client = client_for(cadre_a)
    page = client.get(f"/coldchain/enterprises/{store.uuid}/").content.decode()
    assert "搬运工" in page and person.masked_document in page and person.document_number not in page
    assert _remove_url(store, person) in page
    assert f"/coldchain/enterprises/{store.uuid}/" in client.get("/coldchain/").content.decode()
    announced = []

    def receiver(sender, **kwargs):
        announced.append((kwargs["person_ids"], kwargs["active"]))

    workers_changed.connect(receiver, dispatch_uid="test-remove-page")
    try:
        response = client.post(_remove_url(store, person), follow=True)
    finally:
        workers_changed.disconnect(dispatch_uid="test-remove-page")
    assert response.status_code == 200
    body = response.content.decode()
    assert "已不再是该单位的从业人员" in body and "暂无从业人员" in body
    assert person.pk not in worker_person_ids() and Person.objects.filter(pk=person.pk).exists()
    assert announced == [([person.pk], False)]
    audit = AuditEvent.objects.filter(object_uuid=store.uuid, note="worker removed").get()
    assert audit.actor_name == cadre_a.username and audit.changes == {
        "workers": [person.masked_document, None]
    }


def test_a_reader_sees_no_button_and_cannot_remove(district, cadre_a, client_for):
    store, person = _store_with_worker(cadre_a, district.village_a)
    inspector = make_user("ducha", Role.INSPECTOR, district.township_a)
    client = client_for(inspector)
    page = client.get(f"/coldchain/enterprises/{store.uuid}/").content.decode()
    assert "搬运工" in page and _remove_url(store, person) not in page
    assert client.post(_remove_url(store, person)).status_code == 404
    assert person.pk in worker_person_ids()


def test_another_township_and_a_non_worker_are_not_found(district, cadre_a, cadre_b, client_for):
    store, person = _store_with_worker(cadre_a, district.village_a)
    outsider = client_for(cadre_b)
    assert outsider.get(f"/coldchain/enterprises/{store.uuid}/").status_code == 404
    assert outsider.post(_remove_url(store, person)).status_code == 404
    other, _stranger = _store_with_worker(cadre_a, district.village_a)
    assert client_for(cadre_a).post(_remove_url(other, person)).status_code == 404
    assert client_for(cadre_a).get(_remove_url(store, person)).status_code == 405
    assert person.pk in worker_person_ids()
