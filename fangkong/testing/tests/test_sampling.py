"""Sampling: a pool closes when full, one person is in one tube per round unless re-sampled with a reason."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from fangkong.audit.models import AuditEvent
from fangkong.testing.actions import do_close_tube, do_register_sample, find_person
from fangkong.testing.models import Tube, TubeMember, TubeStatus

from .conftest import NOW


def test_a_pool_of_five_closes_when_the_fifth_person_is_added(collector, point, rnd, people, english):
    for person in people[:5]:
        member = do_register_sample(
            collector, point=point, barcode="P0001", person=person, capacity=5, rnd=rnd, now=NOW
        )
    tube = Tube.objects.get(barcode="P0001")
    assert member.position == 5
    assert tube.member_count == 5 and tube.status == TubeStatus.CLOSED and tube.closed_at == NOW
    with pytest.raises(ValidationError, match="already closed"):
        do_register_sample(
            collector, point=point, barcode="P0001", person=people[5], capacity=5, rnd=rnd, now=NOW
        )


def test_a_pool_can_be_closed_by_hand_but_not_when_empty(collector, point, rnd, people):
    do_register_sample(
        collector, point=point, barcode="P0002", person=people[0], capacity=10, rnd=rnd, now=NOW
    )
    tube = do_close_tube(collector, Tube.objects.get(barcode="P0002"), now=NOW)
    assert tube.status == TubeStatus.CLOSED and tube.member_count == 1
    with pytest.raises(ValidationError):
        do_close_tube(collector, tube, now=NOW)


def test_only_pools_of_5_10_or_20_or_single_tubes(collector, point, rnd, people, english):
    with pytest.raises(ValidationError, match="pool of 5, 10 or 20"):
        do_register_sample(
            collector, point=point, barcode="P0003", person=people[0], capacity=8, rnd=rnd, now=NOW
        )


def test_one_person_one_tube_per_round_unless_resampled_with_a_reason(collector, point, rnd, people, english):
    do_register_sample(
        collector, point=point, barcode="P0004", person=people[0], capacity=10, rnd=rnd, now=NOW
    )
    with pytest.raises(ValidationError, match="already been sampled in this round"):
        do_register_sample(collector, point=point, barcode="S0001", person=people[0], rnd=rnd, now=NOW)
    member = do_register_sample(
        collector,
        point=point,
        barcode="S0001",
        person=people[0],
        rnd=rnd,
        resample_reason="样本污染",
        now=NOW,
    )
    assert member.resample_reason == "样本污染"
    assert TubeMember.objects.filter(person=people[0], round=rnd).count() == 2


def test_the_same_person_twice_in_one_tube_is_refused(collector, point, rnd, people):
    do_register_sample(
        collector, point=point, barcode="P0005", person=people[0], capacity=10, rnd=rnd, now=NOW
    )
    with pytest.raises(ValidationError):
        do_register_sample(
            collector,
            point=point,
            barcode="P0005",
            person=people[0],
            capacity=10,
            rnd=rnd,
            resample_reason="x",
            now=NOW,
        )


def test_sampling_is_audited_with_a_masked_number(collector, point, rnd, people):
    do_register_sample(
        collector, point=point, barcode="P0006", person=people[0], capacity=10, rnd=rnd, now=NOW
    )
    labels = list(
        AuditEvent.objects.filter(object_type="testing.tube").values_list("object_label", flat=True)
    )
    assert any(people[0].masked_document in label for label in labels)
    assert not any(people[0].document_number in label for label in labels)


def test_a_person_of_another_township_is_not_found_by_a_township_collector(district, people, english):
    from conftest import make_user
    from fangkong.accounts.permissions import Role
    from fangkong.people.tests.helpers import create_person

    other = create_person(district.grid_b, "乙镇居民")
    staff_a = make_user("jiance-a", Role.TESTING_STAFF, district.township_a)
    assert find_person(staff_a, people[0].document_number) == people[0]
    with pytest.raises(ValidationError, match="No resident"):
        find_person(staff_a, other.document_number)


def test_whole_pools_in_a_batch_follow_the_same_rules(collector, point, rnd, people):
    from fangkong.testing.actions import PoolIn, do_register_pools

    count = do_register_pools(
        collector,
        point=point,
        pools=[
            PoolIn("B0001", 5, [p.pk for p in people[:5]]),
            PoolIn("B0002", 5, [p.pk for p in people[5:8]]),
        ],
        purpose="round",
        rnd=rnd,
        now=NOW,
    )
    assert count == 2
    assert Tube.objects.get(barcode="B0002").member_count == 3
    assert TubeMember.objects.filter(round=rnd).count() == 8
    assert TubeMember.objects.get(tube__barcode="B0001", position=5).sampled_at == NOW
    with pytest.raises(ValidationError):  # people[0] is already in the round
        do_register_pools(
            collector,
            point=point,
            pools=[PoolIn("B0003", 5, [people[0].pk])],
            purpose="round",
            rnd=rnd,
            now=NOW,
        )
    with pytest.raises(ValidationError):  # six people in a pool of five
        do_register_pools(
            collector,
            point=point,
            pools=[PoolIn("B0004", 5, [p.pk for p in people[8:12]] * 2)],
            purpose="round",
            rnd=rnd,
            now=NOW,
        )
