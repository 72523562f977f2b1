"""Retention of samples and recalls: past the period, a resulted pool's samples and its recall board lose their
people; the tube, its result, the day's sample figures and the recall rows stay; the board still opens and offers
no SMS to a pool with nobody left to text; samples of a round still in the recount's window are not touched."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from fangkong.testing import figures
from fangkong.testing.actions import do_import_results, do_mark_reached, do_register_sample
from fangkong.testing.models import Recall, Tube, TubeMember
from fangkong.testing.retention import purge_samples

from .conftest import NOW

LATER = NOW + datetime.timedelta(hours=6)
ANONYMISED = "已匿名（超过保存期限）"


def _positive_pool(collector, point, rnd, people, tmp_path: Path) -> Tube:
    for person in people:
        do_register_sample(
            collector, point=point, barcode="P9001", person=person, capacity=5, rnd=rnd, now=NOW
        )
    path = tmp_path / "lab.csv"
    path.write_text("条码,结果,检测时间\nP9001,阳性,2021-08-03 14:00\n", encoding="utf-8")
    do_import_results(collector, path, "lab.csv", now=LATER)
    return Tube.objects.get(barcode="P9001")


def test_a_positive_pool_and_its_recalls_lose_their_people_and_keep_their_counts(
    collector, point, rnd, people, tmp_path, district, command_user, client_for
):
    pool = _positive_pool(collector, point, rnd, people[:5], tmp_path)
    assert Recall.objects.filter(pool=pool).count() == 5
    taken = figures.samples_taken(district.county, NOW.date())
    client = client_for(command_user)
    board = client.get("/testing/recalls/").content.decode()
    assert "居民0" in board and f"/testing/recalls/pools/{pool.uuid}/remind" in board

    # Within the recount's window after the round's end nothing is due, whatever the sample's age.
    assert purge_samples(NOW + datetime.timedelta(days=2), dry_run=True, chunk=100) == 0
    cutoff = NOW + datetime.timedelta(days=30)
    assert purge_samples(cutoff, dry_run=True, chunk=100) == 5
    assert purge_samples(cutoff, dry_run=False, chunk=2) == 5
    assert purge_samples(cutoff, dry_run=False, chunk=2) == 0

    assert set(TubeMember.objects.filter(tube=pool).values_list("person_id", flat=True)) == {None}
    assert set(Recall.objects.filter(pool=pool).values_list("person_id", flat=True)) == {None}
    pool.refresh_from_db()
    assert pool.result == "positive" and pool.members.count() == 5
    assert figures.samples_taken(district.county, NOW.date()) == taken == 5
    page = client.get("/testing/recalls/")
    assert page.status_code == 200
    text = page.content.decode()
    assert ANONYMISED in text and "居民0" not in text
    assert f"/testing/recalls/pools/{pool.uuid}/remind" not in text
    # Nobody left to reach: no button, and the action refuses.
    recall = Recall.objects.filter(pool=pool).order_by("id")[:1].get()
    assert f"/testing/recalls/{recall.uuid}/reached" not in text
    with pytest.raises(ValidationError):
        do_mark_reached(collector, recall, now=cutoff)
    assert client.get(f"/testing/tubes/{pool.uuid}/").status_code == 200
