"""The per-round, per-region tested counters: kept by every sampling path in its transaction, equal to a recount
from the samples after a mix of scans, pools, re-samples and results; the coverage page and the untested counts
read them and show what counting the samples shows."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count

from fangkong.people.tests.helpers import create_person, new_id
from fangkong.testing import counters, figures
from fangkong.testing.actions import (
    PoolIn,
    do_create_round,
    do_import_results,
    do_recount_rounds,
    do_register_pools,
    do_register_sample,
)
from fangkong.testing.models import RoundTested, TubeMember
from fangkong.testing.tasks import recount_rounds

from .conftest import NOW


def _stored(rnd) -> dict[tuple[int, datetime.date], int]:
    return {(r.region_id, r.day): r.count for r in RoundTested.objects.filter(round=rnd) if r.count}


def _counted_from_samples(rnd, unit) -> dict[int, int]:
    """What the coverage counted before the counters: distinct active people with a sample in the round, per
    region, read from every sample."""
    rows = (
        TubeMember.objects.filter(round=rnd, person__is_active=True)
        .filter(rnd.age_filter(via="person__"))
        .values("person__region_id")
        .annotate(n=Count("person_id", distinct=True))
    )
    return {r["person__region_id"]: r["n"] for r in rows}


def _mix(collector, point, rnd, people, district, tmp_path: Path) -> None:
    """Single tubes, a pool by scans, pools in a batch, a re-sample with a reason, a second day, results."""
    for person in people[:3]:
        do_register_sample(
            collector, point=point, barcode="S0001", person=person, capacity=5, rnd=rnd, now=NOW
        )
    do_register_sample(collector, point=point, barcode="S0002", person=people[3], rnd=rnd, now=NOW)
    # people[0] again, with a reason: a second sample, not a second tested person.
    do_register_sample(
        collector,
        point=point,
        barcode="S0003",
        person=people[0],
        rnd=rnd,
        resample_reason="采样管破损",
        now=NOW,
    )
    grid_a2 = [create_person(district.grid_a2, f"二网格{i}") for i in range(4)]
    do_register_pools(
        collector,
        point=point,
        pools=[PoolIn("B0001", 5, [p.pk for p in people[4:8]]), PoolIn("B0002", 5, [p.pk for p in grid_a2])],
        purpose="round",
        rnd=rnd,
        now=NOW,
    )
    tomorrow = NOW + datetime.timedelta(days=1)
    for person in people[8:10]:
        do_register_sample(
            collector, point=point, barcode="S0004", person=person, capacity=5, rnd=rnd, now=tomorrow
        )
    lab = tmp_path / "lab.csv"
    lab.write_text(
        "条码,结果,ORF1ab,N,检测时间,检测机构\nS0002,阴性,,,,\nB0001,阳性,25.1,26.3,,\nB0002,阴性,,,,\n",
        encoding="utf-8",
    )
    assert do_import_results(collector, lab, "lab.csv", now=tomorrow).status == "done"


def test_counters_equal_a_recount_after_scans_pools_resamples_and_results(
    collector, point, rnd, people, district, tmp_path
):
    _mix(collector, point, rnd, people, district, tmp_path)
    kept = _stored(rnd)
    assert sum(kept.values()) == 3 + 1 + 4 + 4 + 2  # the re-sample is not a second tested person
    assert kept[(district.grid_a.pk, NOW.date())] == 8
    assert kept[(district.grid_a2.pk, NOW.date())] == 4
    assert kept[(district.grid_a.pk, NOW.date() + datetime.timedelta(days=1))] == 2
    assert counters.recount(rnd) is False  # nothing had drifted
    assert _stored(rnd) == kept
    per_region = _counted_from_samples(rnd, district.township_a)
    assert counters.tested_by_region(rnd, per_region) == per_region


def test_the_coverage_page_shows_what_counting_the_samples_shows(
    client_for, cadre_a, collector, point, rnd, people, district, tmp_path
):
    _mix(collector, point, rnd, people, district, tmp_path)
    rows = {r["unit"]: r for r in figures.coverage_by_unit(rnd, district.village_a)}
    assert (rows[district.grid_a]["target"], rows[district.grid_a]["tested"]) == (12, 10)
    assert (rows[district.grid_a2]["target"], rows[district.grid_a2]["tested"]) == (4, 4)
    assert figures.round_totals(rnd, district.township_a) == (16, 14)
    page = client_for(cadre_a).get(f"/testing/rounds/{rnd.uuid}/")
    assert (page.context["tested"], page.context["target"]) == (14, 16)
    assert [(r["target"], r["tested"]) for r in page.context["rows"]] == [(16, 14)]
    untested = client_for(cadre_a).get(f"/testing/rounds/{rnd.uuid}/untested", {"unit": district.grid_a.code})
    assert untested.context["total"] == 2 == len(untested.context["people"])


def test_an_age_band_is_counted_as_the_target_counts_it(collector, point, district):
    rnd = do_create_round(
        collector,
        name="老年人专轮",
        units=[district.township_a],
        starts_on=NOW.date(),
        ends_on=NOW.date(),
        min_age=60,
        now=NOW,
    )
    old = create_person(district.grid_a, "老人", document_number=new_id(datetime.date(1950, 5, 1)))
    young = create_person(district.grid_a, "青年", document_number=new_id(datetime.date(2000, 5, 1)))
    for person in (old, young):
        do_register_sample(
            collector, point=point, barcode="A0001", person=person, capacity=5, rnd=rnd, now=NOW
        )
    assert _stored(rnd) == {(district.grid_a.pk, NOW.date()): 1}
    assert figures.round_totals(rnd, district.township_a) == (1, 1)


def test_the_nightly_job_and_the_command_put_drifted_counters_right(
    collector, point, rnd, people, district, tmp_path
):
    _mix(collector, point, rnd, people, district, tmp_path)
    kept = _stored(rnd)
    RoundTested.objects.filter(round=rnd).update(count=99)
    assert do_recount_rounds(NOW) == (1, 1)
    assert _stored(rnd) == kept
    RoundTested.objects.filter(round=rnd).delete()
    recount_rounds.call_local()  # 09:00: the job waits for the night
    assert _stored(rnd) == {}
    with time_machine.travel(NOW.replace(hour=3, minute=23), tick=False):
        assert recount_rounds.call_local() == (1, 1)
    assert _stored(rnd) == kept
    RoundTested.objects.filter(round=rnd).delete()
    call_command("recount_rounds", "--round", str(rnd.uuid))
    assert _stored(rnd) == kept
    with pytest.raises(CommandError):
        call_command("recount_rounds", "--round", "not-a-uuid")
    # A round that ended long ago is left alone by the nightly job, recounted on request.
    assert do_recount_rounds(NOW + datetime.timedelta(days=30)) == (0, 0)
    call_command("recount_rounds", "--all")
