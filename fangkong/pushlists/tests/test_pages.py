"""The pages: batches with upload, batch figures per township, progress, feedback, queue, items, overdue."""

from __future__ import annotations

import datetime
import io

import openpyxl
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from fangkong.audit.models import AuditAction, AuditEvent
from fangkong.pushlists.actions import do_verify
from fangkong.pushlists.models import BatchStatus, Outcome, PushBatch, PushItem
from fangkong.pushlists.tests.conftest import NOW, id_number, item, sample_rows, write_csv


def test_the_batch_list_shows_batches_and_the_upload_form(
    district, batch, command_user, client_for, django_assert_max_num_queries
):
    client = client_for(command_user)
    with django_assert_max_num_queries(12):
        response = client.get("/push-lists/")

    assert response.status_code == 200
    assert (
        batch.name in response.content.decode() and 'data-testid="upload-form"' in response.content.decode()
    )


def test_a_township_sees_only_batches_with_its_items(
    district, batch, cadre_a, client_for, import_file, tmp_path
):
    only_b = import_file(write_csv(tmp_path / "b.csv", [["乙", id_number(8), "", "", "", "新习镇", ""]]))
    body = client_for(cadre_a).get("/push-lists/").content.decode()

    assert batch.name in body and f"/push-lists/batches/{only_b.uuid}/" not in body
    assert client_for(cadre_a).get(f"/push-lists/batches/{only_b.uuid}/").status_code == 404


def test_uploading_a_file_imports_it_and_lands_on_the_batch(district, command_user, client_for, tmp_path):
    path = write_csv(tmp_path / "list.csv", sample_rows())
    upload = SimpleUploadedFile("推送名单.csv", path.read_bytes(), content_type="text/csv")
    response = client_for(command_user).post(
        "/push-lists/upload/", {"file": upload, "name": "8月3日", "deadline_hours": 24}
    )

    batch = PushBatch.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/push-lists/batches/{batch.uuid}/"
    assert (
        batch.status == BatchStatus.DONE and batch.rows_imported == 4
    )  # huey runs tasks immediately in tests


def test_uploading_bad_input_is_refused(district, command_user, client_for):
    client = client_for(command_user)
    not_a_list = SimpleUploadedFile("x.pdf", b"%PDF", content_type="application/pdf")

    assert client.post("/push-lists/upload/", {"file": not_a_list, "deadline_hours": 24}).status_code == 400
    assert client.post("/push-lists/upload/", {"deadline_hours": 0}).status_code == 400
    assert not PushBatch.objects.exists()


def test_only_importers_may_upload(district, cadre_a, client_for, tmp_path):
    upload = SimpleUploadedFile("l.csv", write_csv(tmp_path / "l.csv", sample_rows()).read_bytes())
    assert (
        client_for(cadre_a).post("/push-lists/upload/", {"file": upload, "deadline_hours": 24}).status_code
        == 404
    )
    assert client_for(cadre_a).get("/push-lists/upload/").status_code == 405


def test_the_batch_page_counts_per_township(
    district, batch, cadre_a, command_user, client_for, django_assert_max_num_queries
):
    do_verify(cadre_a, item(batch, "张三"), outcome=Outcome.NOT_LOCAL, now=NOW)
    client = client_for(command_user)
    with time_machine.travel(NOW + datetime.timedelta(hours=30)), django_assert_max_num_queries(12):
        response = client.get(f"/push-lists/batches/{batch.uuid}/")

    rows = {row.region.code if row.region else "": row for row in response.context["rows"]}
    a = rows[district.township_a.code]
    assert (a.received, a.verified, a.overdue) == (2, 1, 1)
    assert rows[district.township_b.code].received == 1 and rows[""].received == 1


def test_the_progress_fragment_polls_until_the_import_is_done(district, batch, command_user, client_for):
    PushBatch.objects.filter(pk=batch.pk).update(status=BatchStatus.RUNNING)
    client = client_for(command_user)
    running = client.get(f"/push-lists/batches/{batch.uuid}/progress/")
    assert 'hx-trigger="every 1s"' in running.content.decode() and "HX-Refresh" not in running

    PushBatch.objects.filter(pk=batch.pk).update(status=BatchStatus.DONE)
    done = client.get(f"/push-lists/batches/{batch.uuid}/progress/")
    assert done["HX-Refresh"] == "true"
    assert client.post(f"/push-lists/batches/{batch.uuid}/progress/").status_code == 405


def test_the_feedback_file_has_one_row_per_pushed_row(
    district, command_user, client_for, import_file, tmp_path, cadre_a
):
    rows = [*sample_rows(), ["坏行", "123", "", "", "", "", ""]]
    batch = import_file(write_csv(tmp_path / "list.csv", rows))
    do_verify(cadre_a, item(batch, "张三"), outcome=Outcome.PASSED_THROUGH, now=NOW)

    response = client_for(command_user).get(f"/push-lists/batches/{batch.uuid}/feedback.xlsx")

    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    data = list(sheet.iter_rows(values_only=True))[1:]
    assert [r[0] for r in data] == [2, 3, 4, 5, 6]
    assert data[0][6] == str(Outcome.PASSED_THROUGH.label) and data[0][9]
    assert id_number(1) not in str(data[0])  # masked
    assert data[4][7] and not data[4][1]
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT, object_uuid=batch.uuid).exists()


def test_a_township_feedback_file_holds_only_its_rows(district, batch, cadre_a, client_for):
    response = client_for(cadre_a).get(f"/push-lists/batches/{batch.uuid}/feedback.xlsx")

    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert sorted(r[2] for r in list(sheet.iter_rows(values_only=True))[1:]) == sorted(["张三", "王五"])


def test_an_outsider_gets_404_for_the_batch_pages(district, import_file, tmp_path, cadre_b, client_for):
    batch = import_file(write_csv(tmp_path / "a.csv", [["甲", id_number(1), "", "", "", "王助镇", ""]]))
    client = client_for(cadre_b)
    for suffix in ("", "progress/", "feedback.xlsx", "errors.xlsx"):
        assert client.get(f"/push-lists/batches/{batch.uuid}/{suffix}").status_code == 404
    assert client.post(f"/push-lists/batches/{batch.uuid}/rerun/").status_code == 404


def test_the_items_page_lists_my_units_items(
    district, batch, cadre_a, client_for, django_assert_max_num_queries
):
    client = client_for(cadre_a)
    with django_assert_max_num_queries(14):
        response = client.get("/push-lists/items/")

    names = {i.name for i in response.context["items"]}
    assert names == {"张三", "王五"}
    assert id_number(1) not in response.content.decode()
    assert client.get("/push-lists/items/?status=nonsense").status_code == 200
    assert client.post("/push-lists/items/").status_code == 405


def test_the_queue_is_for_the_command_office(district, batch, command_user, cadre_a, client_for):
    response = client_for(command_user).get("/push-lists/queue/")

    assert [i.name for i in response.context["items"]] == ["赵六"]
    assert client_for(cadre_a).get("/push-lists/queue/").status_code == 404


def test_overdue_items_are_listed_against_the_unit_holding_them(district, batch, cadre_a, client_for):
    with time_machine.travel(NOW + datetime.timedelta(hours=25)):
        response = client_for(cadre_a).get("/push-lists/overdue/")

    assert response.context["units"] == [(district.township_a, 2)]
    with time_machine.travel(NOW + datetime.timedelta(hours=23)):
        assert client_for(cadre_a).get("/push-lists/overdue/").context["units"] == []


def test_a_failed_batch_can_be_run_again(district, command_user, client_for, import_file, tmp_path):
    batch = import_file(write_csv(tmp_path / "l.csv", sample_rows()))
    PushItem.objects.filter(batch=batch).delete()
    PushBatch.objects.filter(pk=batch.pk).update(status=BatchStatus.FAILED)

    response = client_for(command_user).post(f"/push-lists/batches/{batch.uuid}/rerun/")

    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.status == BatchStatus.DONE and PushItem.objects.filter(batch=batch).count() == 4
