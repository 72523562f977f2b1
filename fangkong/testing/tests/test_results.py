"""Lab results: row errors refuse the whole file; a negative pool makes its members negative; a positive pool
raises an urgent report, recalls its members for single-tube re-tests, and announces itself; idempotent."""

from __future__ import annotations

import datetime
from pathlib import Path

from fangkong.reporting.models import UrgentReport
from fangkong.testing import signals
from fangkong.testing.actions import do_import_results, do_register_sample
from fangkong.testing.models import BatchStatus, Purpose, Recall, ResultBatch, Tube, TubeMember, TubeStatus

from .conftest import NOW

LATER = NOW + datetime.timedelta(hours=6)


def _pool(collector, point, rnd, barcode, people):
    for person in people:
        do_register_sample(
            collector, point=point, barcode=barcode, person=person, capacity=5, rnd=rnd, now=NOW
        )


def _file(tmp_path: Path, lines: list[str], name: str = "lab.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join(["条码,结果,ORF1ab,N,检测时间,检测机构", *lines]) + "\n", encoding="utf-8")
    return path


def test_unknown_resulted_and_open_tubes_are_row_errors_and_nothing_is_stored(
    collector, point, rnd, people, tmp_path, english
):
    _pool(collector, point, rnd, "P1001", people[:5])  # full: closed
    do_register_sample(
        collector, point=point, barcode="P1002", person=people[5], capacity=5, rnd=rnd, now=NOW
    )
    path = _file(
        tmp_path,
        ["P1001,阴性,,,2021-08-03 14:00,市疾控", "P1002,阴性,,,,", "NOPE99,阴性,,,,", "P1001,阳性,,,,"],
    )
    batch = do_import_results(collector, path, "lab.csv", now=LATER)
    assert batch.status == BatchStatus.FAILED
    messages = {row: message for row, _barcode, message in batch.errors}
    assert set(messages) == {3, 4, 5}
    assert Tube.objects.get(barcode="P1001").status == TubeStatus.CLOSED  # all or nothing
    # A tube already resulted is a row error too, never an overwrite.
    ok = do_import_results(collector, _file(tmp_path, ["P1001,阴性,,,,"], "ok.csv"), "ok.csv", now=LATER)
    assert ok.status == BatchStatus.DONE
    again = do_import_results(
        collector, _file(tmp_path, ["P1001,阳性,,,,"], "again.csv"), "again.csv", now=LATER
    )
    assert again.status == BatchStatus.FAILED and "already has a result" in str(again.errors)
    assert Tube.objects.get(barcode="P1001").result == "negative"


def test_the_same_file_twice_is_imported_once(collector, point, rnd, people, tmp_path):
    _pool(collector, point, rnd, "P2001", people[:5])
    path = _file(tmp_path, ["P2001,negative,,,,"])
    first = do_import_results(collector, path, "a.csv", now=LATER)
    second = do_import_results(collector, path, "a.csv", now=LATER)
    assert first.pk == second.pk and ResultBatch.objects.count() == 1


def test_a_header_in_english_and_a_bad_result_word(collector, point, rnd, people, tmp_path):
    _pool(collector, point, rnd, "P3001", people[:5])
    path = tmp_path / "en.csv"
    path.write_text("Barcode,Result,Lab\nP3001,maybe,CDC\n", encoding="utf-8")
    batch = do_import_results(collector, path, "en.csv", now=LATER)
    assert batch.status == BatchStatus.FAILED and batch.errors[0][0] == 2


def test_a_negative_pool_makes_its_members_negative_and_announces_them(
    collector, point, rnd, people, tmp_path, django_capture_on_commit_callbacks
):
    _pool(collector, point, rnd, "P4001", people[:5])
    got = []
    signals.results_recorded.connect(
        lambda sender, results, **kw: got.extend(results), weak=False, dispatch_uid="t1"
    )
    try:
        with django_capture_on_commit_callbacks(execute=True):
            do_import_results(
                collector, _file(tmp_path, ["P4001,阴性,,,2021-08-03 14:00,"]), "n.csv", now=LATER
            )
    finally:
        signals.results_recorded.disconnect(dispatch_uid="t1")
    assert set(TubeMember.objects.filter(tube__barcode="P4001").values_list("result", flat=True)) == {
        "negative"
    }
    assert sorted(r.person_id for r in got) == sorted(p.pk for p in people[:5])
    assert {r.result for r in got} == {"negative"} and got[0].sampled_on == NOW.date()


def test_pool_positive_recall_retest_result(
    collector, point, rnd, people, tmp_path, command_user, django_capture_on_commit_callbacks
):
    _pool(collector, point, rnd, "P5001", people[:5])
    pools = []
    signals.pool_positive.connect(lambda sender, **kw: pools.append(kw), weak=False, dispatch_uid="t2")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            batch = do_import_results(
                collector,
                _file(tmp_path, ["P5001,阳性,28.5,30.1,2021-08-03 14:00,市疾控"]),
                "p.csv",
                now=LATER,
            )
    finally:
        signals.pool_positive.disconnect(dispatch_uid="t2")
    assert batch.status == BatchStatus.DONE
    # The urgent report to the command office, at once.
    report = UrgentReport.objects.get()
    assert report.kind == "positive_result" and "P5001" in report.text
    # The recall board: one row per member, re-test due today; members have no result yet.
    recalls = list(Recall.objects.order_by("id"))
    assert {r.person_id for r in recalls} == {p.pk for p in people[:5]}
    assert all(r.retest_due_on == LATER.date() for r in recalls)
    assert set(TubeMember.objects.filter(tube__barcode="P5001").values_list("result", flat=True)) == {""}
    assert pools[0]["pool_uuid"] == Tube.objects.get(barcode="P5001").uuid
    assert sorted(pools[0]["person_ids"]) == sorted(p.pk for p in people[:5])
    # Single-tube re-test of one member, then its negative result reaches the recall board.
    member = do_register_sample(
        collector,
        point=point,
        barcode="R0001",
        person=people[0],
        purpose=Purpose.RECALL,
        rnd=None,
        resample_reason="混管阳性复核",
        now=LATER,
    )
    assert member.tube.status == TubeStatus.CLOSED
    recall = Recall.objects.get(person=people[0])
    assert recall.resampled_at == LATER and recall.retest_tube == member.tube
    do_import_results(
        collector,
        _file(tmp_path, ["R0001,阴性,,,,"], "r.csv"),
        "r.csv",
        now=LATER + datetime.timedelta(hours=3),
    )
    recall.refresh_from_db()
    assert recall.result == "negative" and recall.resulted_at is not None
