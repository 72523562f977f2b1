"""The testing figures the daily report reads: samples, negatives, positives, coverage, overdue key groups."""

from __future__ import annotations

import datetime
from pathlib import Path

from fangkong.reporting.sources import source_value
from fangkong.testing import figures
from fangkong.testing.actions import do_add_key_group_member, do_import_results, do_register_sample
from fangkong.testing.models import KeyGroup

from .conftest import NOW


def test_the_daily_report_reads_samples_and_results(collector, point, rnd, people, district, tmp_path: Path):
    for n, person in enumerate(people[:10]):
        barcode = "F0001" if n < 5 else "F0002"
        do_register_sample(
            collector, point=point, barcode=barcode, person=person, capacity=5, rnd=rnd, now=NOW
        )
    later = NOW + datetime.timedelta(hours=2)
    path = tmp_path / "r.csv"
    path.write_text("条码,结果\nF0001,阴性\n", encoding="utf-8")
    do_import_results(collector, path, "r.csv", now=later)
    day = NOW.date()
    assert source_value("testing.samples_taken", district.township_a, day, later) == 10
    assert source_value("testing.results_negative", district.township_a, day, later) == 5
    assert source_value("testing.results_negative", district.township_a, day, NOW) == 0  # as known then
    assert source_value("testing.results_positive", district.township_a, day, later) == 0
    assert source_value("testing.samples_taken", district.township_b, day, later) == 0
    assert figures.coverage_percent(district.township_a, day) == 10 * 100 // 12


def test_overdue_key_group_members(collector, people, district):
    group = KeyGroup.objects.get(code="cold_chain")
    do_add_key_group_member(collector, group, people[0], now=NOW - datetime.timedelta(days=2))
    do_add_key_group_member(collector, group, people[1], now=NOW)
    assert figures.key_group_overdue(district.township_a, NOW.date()) == 1


def test_sampling_moves_the_next_due_day_by_the_cycle(collector, point, people, district):
    from fangkong.testing.models import KeyGroupMember

    group = KeyGroup.objects.get(code="cold_chain")
    do_add_key_group_member(collector, group, people[0], now=NOW - datetime.timedelta(days=5))
    do_register_sample(
        collector, point=point, barcode="K0001", person=people[0], purpose="key_group", group=group, now=NOW
    )
    member = KeyGroupMember.objects.get(person=people[0])
    assert member.last_sampled_on == NOW.date() and member.next_due_on == NOW.date() + datetime.timedelta(
        days=3
    )
    assert figures.key_group_overdue(district.township_a, NOW.date()) == 0
