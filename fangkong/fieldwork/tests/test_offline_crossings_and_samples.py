"""Checkpoint crossings and samples recorded on a phone without a connection (issue 17): replayed through the
offline submissions, stored once per device uuid, judged by the owning app's own rules when they arrive, dated by
when the phone recorded them, and refused in Chinese (nothing stored) when wrong."""

from __future__ import annotations

import datetime
import json
import uuid
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from conftest import make_user
from fangkong.accounts.permissions import Role
from fangkong.checkpoints.models import Crossing, CrossingDay, Referral
from fangkong.checkpoints.tests.helpers import create_checkpoint, staff_user
from fangkong.fieldwork.models import Submission
from fangkong.testing.models import Tube, TubeMember, TubeStatus
from fangkong.testing.tests.conftest import NOW

URL = "/api/v1/field/submissions"


@pytest.fixture(autouse=True)
def _at_now():
    """The testing fixtures' round runs on NOW's day (Beijing 09:00)."""
    import time_machine

    with time_machine.travel(NOW, tick=False):
        yield


def post(client: Client, data: dict[str, Any]) -> Any:
    return client.post(URL, json.dumps(data), content_type="application/json", HTTP_ACCEPT_LANGUAGE="zh-hans")


def traveller(**change: Any) -> dict[str, Any]:
    return {
        "name": "张三",
        "document_number": "",
        "phone": "13900001234",
        "health_code": "green",
        "vaccination": "full",
        "temperature": "36.5",
        "temperature_again": "",
        "wears_mask": True,
        "disposition": "pass",
        **change,
    }


def crossing(checkpoint: Any, recorded_at: datetime.datetime, **change: Any) -> dict[str, Any]:
    return {
        "uuid": str(uuid.uuid4()),
        "kind": "checkpoint_crossing",
        "payload": {
            "checkpoint": str(checkpoint.uuid),
            "kind": "person",
            "origin": "河南省郑州市",
            "travellers": [traveller()],
            "recorded_at": recorded_at.isoformat(),
            **change,
        },
        "base_version": None,
    }


def test_a_crossing_recorded_offline_is_stored_once_as_of_when_the_phone_recorded_it(
    district, cadre_a, client_for
):
    kakou = staff_user("kakou", district.township_a)
    checkpoint = create_checkpoint(cadre_a, district.township_a, staff=[kakou])
    recorded_at = timezone.now() - datetime.timedelta(minutes=40)
    data = crossing(checkpoint, recorded_at)
    client = client_for(kakou)
    first = post(client, data)
    assert first.status_code == 201, first.content
    assert post(client, data).status_code == 200  # the phone sent it again after a dropped answer
    stored = Crossing.objects.get()
    assert stored.registered_at == recorded_at and stored.registered_by == kakou
    assert first.json()["record"] == str(stored.uuid)
    day = CrossingDay.objects.get(checkpoint=checkpoint)
    assert day.people == 1  # counted once, though sent twice


def test_a_fever_without_a_second_reading_is_refused_in_chinese_and_nothing_is_stored(
    district, cadre_a, client_for
):
    kakou = staff_user("kakou", district.township_a)
    checkpoint = create_checkpoint(cadre_a, district.township_a, staff=[kakou])
    data = crossing(checkpoint, timezone.now(), travellers=[traveller(temperature="37.8")])
    response = post(client_for(kakou), data)
    assert response.status_code == 400
    assert "再测" in json.dumps(response.json(), ensure_ascii=False) or "复测" in json.dumps(
        response.json(), ensure_ascii=False
    )
    assert not Crossing.objects.exists() and not Submission.objects.exists()
    # Measured again, still febrile, and referred: stored with its referral.
    again = crossing(
        checkpoint,
        timezone.now(),
        travellers=[traveller(temperature="37.8", temperature_again="37.9", disposition="refer")],
    )
    assert post(client_for(kakou), again).status_code == 201
    assert Referral.objects.filter(checkpoint=checkpoint).count() == 1


def test_another_townships_staff_and_a_clock_far_ahead_are_refused(district, cadre_a, client_for):
    kakou = staff_user("kakou", district.township_a)
    checkpoint = create_checkpoint(cadre_a, district.township_a, staff=[kakou])
    outsider = staff_user("kakou-b", district.township_b)
    assert post(client_for(outsider), crossing(checkpoint, timezone.now())).status_code == 404
    ahead = crossing(checkpoint, timezone.now() + datetime.timedelta(hours=2))
    response = post(client_for(kakou), ahead)
    assert response.status_code == 400 and "recorded_at" in response.json()["detail"]
    old = crossing(checkpoint, timezone.now() - datetime.timedelta(days=8))
    assert post(client_for(kakou), old).status_code == 400
    assert not Crossing.objects.exists() and not Submission.objects.exists()


def test_checkpoint_staff_get_their_checkpoints_and_choices_and_no_personal_data(
    district, cadre_a, client_for, grid_worker_a
):
    kakou = staff_user("kakou", district.township_a)
    mine = create_checkpoint(cadre_a, district.township_a, staff=[kakou])
    create_checkpoint(cadre_a, district.township_a, name="别的卡口", staff=[])
    data = client_for(kakou).get("/api/v1/field/reference").json()
    assert [c["uuid"] for c in data["checkpoint"]["checkpoints"]] == [str(mine.uuid)]
    assert {"green", "yellow", "red"} <= {c[0] for c in data["checkpoint"]["colours"]}
    assert district.village_a.code in {v[0] for v in data["checkpoint"]["villages"]}
    assert data["households"] == [] and data["follow_ups"] == [] and data["push_items"] == []
    assert data["testing"] == {}
    assert client_for(grid_worker_a).get("/api/v1/field/reference").json()["checkpoint"] == {}
    assert client_for(kakou).get("/field/offline/").status_code == 200


def sample(
    point: Any, rnd: Any, person: Any, barcode: str, capacity: int = 5, **change: Any
) -> dict[str, Any]:
    return {
        "uuid": str(uuid.uuid4()),
        "kind": "sample",
        "payload": {
            "point": str(point.uuid),
            "round": str(rnd.uuid),
            "purpose": "round",
            "barcode": barcode,
            "capacity": capacity,
            "id_number": person.document_number,
            "sampled_at": timezone.now().isoformat(),
            **change,
        },
        "base_version": None,
    }


def test_samples_recorded_offline_fill_a_pool_once_and_a_close_by_hand_closes_it(
    client_for, collector, point, rnd, people
):
    client = client_for(collector)
    first = sample(point, rnd, people[0], "P0001")
    assert post(client, first).status_code == 201
    assert post(client, first).status_code == 200
    assert post(client, sample(point, rnd, people[1], "P0001")).status_code == 201

    def close(barcode: str) -> dict[str, Any]:
        return {
            "uuid": str(uuid.uuid4()),
            "kind": "tube_close",
            "payload": {
                "point": str(point.uuid),
                "barcode": barcode,
                "closed_at": timezone.now().isoformat(),
            },
            "base_version": None,
        }

    closing = close("P0001")
    assert post(client, closing).status_code == 201
    assert post(client, closing).status_code == 200
    tube = Tube.objects.get(barcode="P0001")
    assert tube.status == TubeStatus.CLOSED and tube.member_count == 2 and tube.capacity == 5
    assert TubeMember.objects.filter(tube=tube).count() == 2
    # A full pool closes by itself; closing it again from a phone that did not know is no error.
    for n, person in enumerate(people[2:7]):
        assert post(client, sample(point, rnd, person, "P0002")).status_code == 201, n
    assert Tube.objects.get(barcode="P0002").status == TubeStatus.CLOSED
    assert post(client, close("P0002")).status_code == 201


def test_a_sample_that_cannot_be_taken_is_refused_with_the_reason_and_nothing_is_stored(
    district, client_for, collector, point, rnd, people
):
    client = client_for(collector)
    assert post(client, sample(point, rnd, people[0], "Q0001")).status_code == 201
    again = post(client, sample(point, rnd, people[0], "Q0002"))  # already sampled in this round
    assert again.status_code == 400 and "id_number" in again.json()["detail"]
    bad = post(client, sample(point, rnd, people[1], "Q0003", id_number="410901199001011234"))
    assert bad.status_code == 400 and "id_number" in bad.json()["detail"]
    assert not Tube.objects.filter(barcode__in=["Q0002", "Q0003"]).exists()
    assert Submission.objects.count() == 1
    outsider = make_user("jiance-b", Role.TESTING_STAFF, district.township_b)
    assert post(client_for(outsider), sample(point, rnd, people[2], "Q0004")).status_code == 404


def test_a_collector_gets_the_points_rounds_and_tube_sizes_and_no_personal_data(
    client_for, collector, point, rnd, people
):
    data = client_for(collector).get("/api/v1/field/reference").json()
    assert [p["uuid"] for p in data["testing"]["points"]] == [str(point.uuid)]
    assert [r["uuid"] for r in data["testing"]["rounds"]] == [str(rnd.uuid)]
    assert data["testing"]["capacities"] == [1, 5, 10, 20]
    assert people[0].document_number not in json.dumps(data)
    assert client_for(collector).get("/field/offline/").status_code == 200
