"""The samples and results per unit and day (`SampleDay`): kept by the sampling and result actions, they give the
same figures as counting the samples themselves — for every unit, day, result and instant asked — and the
recount finds nothing to correct after the actions, and corrects what was tampered with."""

from __future__ import annotations

import datetime
from pathlib import Path

from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext

from fangkong.lib.reporting_day import day_end
from fangkong.testing import counters, figures
from fangkong.testing.actions import (
    PoolIn,
    do_create_point,
    do_import_results,
    do_recount_sample_days,
    do_register_pools,
    do_register_sample,
)
from fangkong.testing.models import Purpose, SampleDay, TubeMember

from .conftest import NOW

DAY = NOW.date()
NEXT = NOW + datetime.timedelta(days=1)


def _counted(region, day, result, at):
    """The figure from the samples themselves, written apart from the app's own fallback."""
    q = Q(tube__region__path__startswith=region.path, sampled_on=day)
    if result:
        q &= Q(result=result)
        if at is not None:
            q &= Q(resulted_at__lte=at)
    elif at is not None:
        q &= Q(sampled_at__lte=at)
    return TubeMember.objects.filter(q).count()


def _lab(tmp_path: Path, name: str, lines: list[str]) -> Path:
    path = tmp_path / name
    path.write_text("条码,结果,检测时间\n" + "\n".join(lines) + "\n", encoding="utf-8")
    return path


def _a_day_and_a_half_of_testing(collector, point, rnd, people, district, tmp_path):
    """Two points in two townships; a pool of 5 and singles on day one, a bulk batch; a negative pool, a positive
    pool whose members are re-tested the next day (one positive), an invalid single; results the same evening
    and the next morning."""
    point_b = do_create_point(
        collector,
        region=district.township_b,
        name="新习镇采样点",
        address="新习镇",
        opening_hours="08:00–12:00",
        desks=1,
        now=NOW,
    )
    for person in people[:5]:
        do_register_sample(
            collector, point=point, barcode="D0001", person=person, capacity=5, rnd=rnd, now=NOW
        )
    for n, person in enumerate(people[5:7]):
        do_register_sample(
            collector, point=point_b, barcode=f"S000{n}", person=person, purpose=Purpose.OTHER, now=NOW
        )
    do_register_pools(
        collector,
        point=point,
        pools=[PoolIn("B0001", 5, [p.pk for p in people[7:12]])],
        purpose=Purpose.ROUND,
        rnd=rnd,
        now=NOW + datetime.timedelta(hours=1),
    )
    evening = NOW + datetime.timedelta(hours=9)  # 18:00
    do_import_results(
        collector,
        _lab(
            tmp_path,
            "a.csv",
            ["D0001,阴性,2021-08-03 18:00", "B0001,阳性,2021-08-03 18:00", "S0000,无效,2021-08-03 18:00"],
        ),
        "a.csv",
        now=evening,
    )
    do_import_results(collector, _lab(tmp_path, "b.csv", ["S0001,阴性,2021-08-04 08:30"]), "b.csv", now=NEXT)
    for n, person in enumerate(people[7:9]):
        do_register_sample(
            collector,
            point=point,
            barcode=f"R000{n}",
            person=person,
            capacity=1,
            purpose=Purpose.RECALL,
            resample_reason="混管阳性复核",
            now=NEXT,
        )
    do_import_results(
        collector,
        _lab(tmp_path, "c.csv", ["R0000,阳性,2021-08-04 15:00", "R0001,阴性,2021-08-04 15:00"]),
        "c.csv",
        now=NEXT + datetime.timedelta(hours=7),
    )


def test_the_kept_counts_give_the_counted_figures_for_every_unit_day_result_and_instant(
    collector, point, rnd, people, district, tmp_path
):
    _a_day_and_a_half_of_testing(collector, point, rnd, people, district, tmp_path)
    regions = [district.county, district.township_a, district.township_b, district.village_a]
    instants = [
        None,
        NOW - datetime.timedelta(hours=1),
        NOW,  # the first samples, to the second
        NOW + datetime.timedelta(minutes=30),  # between the singles and the bulk batch
        NOW + datetime.timedelta(hours=9),  # the evening results, to the second
        day_end(DAY),
        NEXT,
        NEXT + datetime.timedelta(hours=7),
        day_end(NEXT.date()),
        day_end(NEXT.date()) + datetime.timedelta(days=3),
    ]
    nonzero = 0
    for region in regions:
        for day in (DAY, NEXT.date()):
            for at in instants:
                taken = figures.samples_taken(region, day, at)
                assert taken == _counted(region, day, "", at), (region.name, day, at)
                nonzero += taken > 0
                for result in ("negative", "positive", "invalid"):
                    got = figures.results(region, day, result, at)
                    assert got == _counted(region, day, result, at), (region.name, day, result, at)
                    nonzero += got > 0
    assert nonzero > 40  # the walk met real figures, not zeros
    # The figures the daily report reads: at a past day's end, and now, the counters answer alone.
    assert counters.day_count(district.county, DAY, "", day_end(DAY)) == 12
    assert counters.day_count(district.county, DAY, "negative", day_end(DAY)) == 5
    assert counters.day_count(district.county, DAY, "negative", None) == 6  # S0001's result came the next day
    assert counters.day_count(district.county, NEXT.date(), "positive", day_end(NEXT.date())) == 1
    # A positive pool's members have no result of their own: the day's positives are the re-test's only.
    assert counters.day_count(district.county, DAY, "positive", None) == 0


def test_a_figure_of_the_day_reads_no_sample(collector, point, rnd, people, district, tmp_path):
    _a_day_and_a_half_of_testing(collector, point, rnd, people, district, tmp_path)
    with CaptureQueriesContext(connection) as ctx:
        assert figures.samples_taken(district.county, DAY, day_end(DAY)) == 12
        assert figures.results(district.township_a, DAY, "negative", day_end(DAY)) == 5
    assert len(ctx.captured_queries) == 2
    assert not any(TubeMember._meta.db_table in q["sql"] for q in ctx.captured_queries)


def test_the_recount_finds_the_kept_counts_right_and_corrects_a_tampered_one(
    collector, point, rnd, people, district, tmp_path
):
    _a_day_and_a_half_of_testing(collector, point, rnd, people, district, tmp_path)
    later = NEXT + datetime.timedelta(hours=8)
    kept = sorted(SampleDay.objects.values_list("region_id", "day", "result", "known_on", "count"))
    assert do_recount_sample_days(later) is False
    assert sorted(SampleDay.objects.values_list("region_id", "day", "result", "known_on", "count")) == kept

    SampleDay.objects.filter(result="").update(count=99)
    SampleDay.objects.filter(result="negative").order_by("id")[:1].get().delete()
    assert figures.samples_taken(district.township_b, DAY) == 99
    assert do_recount_sample_days(later) is True
    assert sorted(SampleDay.objects.values_list("region_id", "day", "result", "known_on", "count")) == kept
    assert figures.samples_taken(district.township_b, DAY) == 2

    # Built from nothing (as the migration does for the samples already stored): the same rows.
    SampleDay.objects.all().delete()
    assert counters.recount_days(None) is True
    assert sorted(SampleDay.objects.values_list("region_id", "day", "result", "known_on", "count")) == kept
