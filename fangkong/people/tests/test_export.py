"""The people export: a background job writes the masked file (formulas neutralised, birth year only), the
requester downloads it when ready, and the export and every download are audited with the real row count."""

import csv
import datetime
import io

import pytest

from fangkong.audit.models import AuditAction, AuditEvent
from fangkong.people.models import ExportStatus, PeopleExport
from fangkong.people.tests.helpers import create_person, new_id

PAYLOADS = ["=cmd|' /C calc'!A0", "+1+1", "-1+1", "@SUM(A1)", "\t=1+1", "\r=1+1"]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def people(district):
    made = [
        create_person(district.grid_a, "张三", document_number=new_id(datetime.date(1987, 6, 15))),
        create_person(district.grid_b, "张山"),
    ]
    for i, payload in enumerate(PAYLOADS):
        made.append(create_person(district.grid_a, payload, address=payload, phone=f"1391234{i:04d}"))
    return made


def _export(client, **data):
    response = client.post("/people/export", data)
    assert response.status_code == 302
    return PeopleExport.objects.get(uuid=response.url.rstrip("/").split("/")[-1])


def _rows(response):
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text, newline="")))


def test_the_export_is_written_by_a_job_and_downloaded_when_ready(people, cadre_a, client_for):
    client = client_for(cadre_a)
    export = _export(client)
    assert export.status == ExportStatus.DONE and export.rows_written == 1 + len(PAYLOADS)
    page = client.get(f"/people/exports/{export.uuid}/").content.decode()
    assert f"/people/exports/{export.uuid}/download" in page

    rows = _rows(client.get(f"/people/exports/{export.uuid}/download"))
    # The first line says who exported it and when; then the header and one row per person.
    assert "wangzhu" in rows[0][1]
    body = rows[2:]
    assert len(body) == 1 + len(PAYLOADS)
    assert "张山" not in str(rows)  # township B
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for row in rows for cell in row)
    # Names are stored stripped, so a leading tab or CR is already gone; the formula behind it is not.
    assert {row[0] for row in body} >= {"'" + p.strip() for p in PAYLOADS}
    zhang = next(row for row in body if row[0] == "张三")
    assert zhang[4] == "1987" and "19870615" not in str(rows) and "1987-06-15" not in str(rows)

    events = AuditEvent.objects.filter(action=AuditAction.EXPORT, object_uuid=export.uuid).order_by("id")
    assert [e.note for e in events] == [
        f"q= region= rows={1 + len(PAYLOADS)}",
        f"download rows={1 + len(PAYLOADS)}",
    ]
    assert all(e.actor == cadre_a for e in events)


def test_the_export_follows_the_search(people, cadre_a, client_for):
    client = client_for(cadre_a)
    export = _export(client, q="zs")
    assert export.rows_written == 1


def test_only_the_requester_can_see_or_download_an_export(people, cadre_a, command_user, client_for):
    export = _export(client_for(cadre_a))
    other = client_for(command_user)
    assert other.get(f"/people/exports/{export.uuid}/").status_code == 404
    assert other.get(f"/people/exports/{export.uuid}/download").status_code == 404


def test_an_export_needs_post_and_the_permission(people, cadre_a, grid_worker_a, client_for):
    assert client_for(cadre_a).get("/people/export").status_code == 405
    assert client_for(grid_worker_a).post("/people/export").status_code == 404


def test_an_export_of_another_units_village_is_404(people, cadre_a, district, client_for):
    response = client_for(cadre_a).post("/people/export", {"region": district.village_b.code})
    assert response.status_code == 404
    assert not PeopleExport.objects.exists()


def test_export_files_are_removed_after_a_day(people, cadre_a, client_for):
    import time_machine
    from django.utils import timezone

    from fangkong.people.actions import do_remove_old_exports, export_dir

    client = client_for(cadre_a)
    export = _export(client)
    path = export_dir() / export.file_name
    assert path.is_file()
    assert do_remove_old_exports(timezone.now()) == 0
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=25)):
        assert do_remove_old_exports(timezone.now()) == 1
    assert not path.exists()
    assert client.get(f"/people/exports/{export.uuid}/download").status_code == 404
    assert "一天后删除" in client.get(f"/people/exports/{export.uuid}/").content.decode()
