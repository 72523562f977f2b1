"""A lab file uploaded on the page is imported by a background job with a progress bar: all or nothing,
the same file once, a retried job does nothing twice, a bad file fails its own import, a dead job is noticed."""

from __future__ import annotations

import datetime

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from fangkong.lib import importjobs
from fangkong.testing import tasks
from fangkong.testing.actions import (
    PROGRESS_KIND,
    do_fail_stale_imports,
    do_import_results,
    do_queue_result_import,
    do_register_sample,
    run_result_import,
    upload_path,
)
from fangkong.testing.models import BatchStatus, ResultBatch, Tube

from .conftest import NOW

LATER = NOW + datetime.timedelta(hours=6)


def _pools(collector, point, rnd, people) -> None:
    for n, barcode in enumerate(("J1001", "J1002")):
        for person in people[n * 5 : n * 5 + 5]:
            do_register_sample(
                collector, point=point, barcode=barcode, person=person, capacity=5, rnd=rnd, now=NOW
            )


LAB = "条码,结果,ORF1ab,N,检测时间\nJ1001,阴性,,,2021-08-03 14:00\nJ1002,阳性,30.1,31.5,2021-08-03 14:00\n"


def _upload(client, text: str = LAB, name: str = "lab.csv"):
    return client.post(
        "/testing/results/", {"file": SimpleUploadedFile(name, text.encode(), content_type="text/csv")}
    )


def test_the_page_queues_the_file_and_the_job_imports_it(client_for, collector, point, rnd, people):
    _pools(collector, point, rnd, people)
    client = client_for(collector)
    with time_machine.travel(LATER, tick=False):
        response = _upload(client)
    batch = ResultBatch.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/testing/results/{batch.uuid}/")
    assert batch.status == BatchStatus.DONE and batch.rows_total == 2
    assert Tube.objects.get(barcode="J1002").result == "positive"
    assert not upload_path(batch).exists()  # the kept upload goes when the import ends
    assert importjobs.read_progress(PROGRESS_KIND, batch.uuid) == (0, 0)
    page = client.get(f"/testing/results/{batch.uuid}/").content.decode()
    assert 'data-testid="import-progress"' not in page and "J1002" in page


def test_the_same_file_uploaded_again_is_the_first_import(client_for, collector, point, rnd, people):
    _pools(collector, point, rnd, people)
    client = client_for(collector)
    with time_machine.travel(LATER, tick=False):
        _upload(client)
        second = _upload(client, name="again.csv")
    first = ResultBatch.objects.get()
    assert second["Location"].endswith(f"/testing/results/{first.uuid}/")


def test_a_queued_import_shows_a_progress_bar_that_polls(client_for, collector, point, rnd, people):
    _pools(collector, point, rnd, people)
    batch, new = do_queue_result_import(collector, [LAB.encode()], "lab.csv", now=LATER)
    assert new and batch.status == BatchStatus.QUEUED and upload_path(batch).exists()
    importjobs.store_progress(PROGRESS_KIND, batch.uuid, 3, 4)
    client = client_for(collector)
    page = client.get(f"/testing/results/{batch.uuid}/").content.decode()
    assert 'data-testid="import-progress"' in page and 'aria-valuenow="75"' in page
    assert f"/testing/results/{batch.uuid}/progress" in page
    partial = client.get(f"/testing/results/{batch.uuid}/progress")
    assert partial.status_code == 200 and "HX-Refresh" not in partial
    with time_machine.travel(LATER, tick=False):
        run_result_import(batch, collector, LATER)
    done = client.get(f"/testing/results/{batch.uuid}/progress")
    assert done["HX-Refresh"] == "true"


def test_progress_rises_to_the_end_and_a_retried_job_imports_nothing_twice(collector, point, rnd, people):
    _pools(collector, point, rnd, people)
    batch, _new = do_queue_result_import(collector, [LAB.encode()], "lab.csv", now=LATER)
    seen: list[tuple[int, int]] = []
    do_import_results(
        collector,
        upload_path(batch),
        "lab.csv",
        now=LATER,
        batch=batch,
        progress=lambda d, t: seen.append((d, t)),
    )
    assert seen and seen[-1][0] == seen[-1][1] == 4
    assert [d for d, _t in seen] == sorted(d for d, _t in seen)
    batch.refresh_from_db()
    assert batch.status == BatchStatus.DONE
    # The job retried after the import: nothing is claimed, nothing changes.
    again = run_result_import(batch, collector, LATER)
    assert again.status == BatchStatus.DONE and ResultBatch.objects.count() == 1


def test_a_bad_file_fails_its_own_import_and_stores_nothing(client_for, collector, point, rnd, people):
    _pools(collector, point, rnd, people)
    client = client_for(collector)
    with time_machine.travel(LATER, tick=False):
        _upload(client, "名字,电话\n张三,1\n", "bad.csv")
        _upload(client, LAB + "NOPE1,阴性,,,\n", "rows.csv")
    bad, rows = ResultBatch.objects.order_by("id")
    assert bad.status == rows.status == BatchStatus.FAILED
    assert "条码" in bad.message
    assert [e[0] for e in rows.errors] == [4]
    assert not Tube.objects.filter(result__gt="").exists()  # all or nothing
    errors = client.get(f"/testing/results/{rows.uuid}/errors.csv")
    assert errors.status_code == 200
    first = b"".join(errors.streaming_content).decode("utf-8-sig").splitlines()[0]
    assert f"({collector.username})" in first  # who exported the file, and when


def test_an_import_whose_job_died_is_refused_after_an_hour(collector, point, rnd, people):
    batch, _new = do_queue_result_import(collector, [LAB.encode()], "lab.csv", now=LATER)
    assert do_fail_stale_imports(LATER + datetime.timedelta(minutes=30)) == 0
    assert do_fail_stale_imports(LATER + datetime.timedelta(hours=2)) == 1
    batch.refresh_from_db()
    assert batch.status == BatchStatus.FAILED and not upload_path(batch).exists()


def test_a_broker_that_is_down_refuses_the_import_with_the_reason(
    client_for, collector, point, rnd, people, monkeypatch
):
    def down(*args: object) -> None:
        raise ConnectionError("redis down")

    monkeypatch.setattr(tasks, "import_results", down)
    with time_machine.travel(LATER, tick=False):
        response = _upload(client_for(collector))
    batch = ResultBatch.objects.get()
    assert response.status_code == 302 and batch.status == BatchStatus.FAILED and batch.message


def test_an_outsider_does_not_see_the_import_nor_its_progress(
    client_for, cadre_b, collector, point, rnd, people
):
    batch, _new = do_queue_result_import(collector, [LAB.encode()], "lab.csv", now=LATER)
    client = client_for(cadre_b)
    assert client.get(f"/testing/results/{batch.uuid}/progress").status_code == 404
    assert client.post(f"/testing/results/{batch.uuid}/progress").status_code == 405
