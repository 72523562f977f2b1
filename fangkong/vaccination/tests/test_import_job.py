"""The import of the vaccination system's export runs as a background job: the page queues it and shows its
progress; the doses are stored chunk by chunk yet stay invisible until one final commit; a run that fails or
dies leaves nothing; there is no cap on the number of rows."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from fangkong.lib import importjobs
from fangkong.people.tests.helpers import new_id
from fangkong.vaccination import actions, coverage
from fangkong.vaccination.actions import (
    IMPORT_KIND,
    do_recover_stale_imports,
    do_register_import,
    run_import,
    save_upload,
)
from fangkong.vaccination.models import ImportStatus, VaccinationImport, VaccinationRecord
from fangkong.vaccination.tests.helpers import person_aged
from fangkong.vaccination.tests.test_import import HEADER_ZH, csv_bytes, row

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.VAR_DIR = tmp_path / "var"


def queued(actor, root, content: bytes, name: str = "export.csv") -> VaccinationImport:
    batch, is_new = do_register_import(actor, root, name, save_upload([content], ".csv"), timezone.now())
    assert is_new and batch.status == ImportStatus.QUEUED
    return batch


def test_the_page_queues_the_import_and_shows_its_result(district, command_user, cadre_b, client_for):
    a = person_aged(district.grid_a, 30)
    client = client_for(command_user)
    upload = SimpleUploadedFile("export.csv", csv_bytes(HEADER_ZH, [row(a, 1), row(a, 2, "2021-05-29")]))
    response = client.post("/vaccination/imports/", {"file": upload})
    batch = VaccinationImport.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/vaccination/imports/{batch.uuid}"
    # Tests run huey's jobs at once: the job has run.
    assert batch.status == ImportStatus.DONE and batch.created == 2 and batch.finished_at is not None
    page = client.get(f"/vaccination/imports/{batch.uuid}").content.decode()
    assert "2" in page and 'data-testid="import-progress"' in page
    progress = client.get(f"/vaccination/imports/{batch.uuid}/progress")
    assert progress.status_code == 200 and progress["HX-Refresh"] == "true"
    # The stored upload (full ID numbers) is gone once the run ended.
    assert not actions.upload_dir().exists() or not any(actions.upload_dir().iterdir())
    assert client_for(cadre_b).get(f"/vaccination/imports/{batch.uuid}").status_code == 404
    assert client_for(cadre_b).get(f"/vaccination/imports/{batch.uuid}/progress").status_code == 404


def test_a_running_import_shows_its_progress(district, command_user, client_for):
    batch = queued(
        command_user, district.county, csv_bytes(HEADER_ZH, [row(person_aged(district.grid_a, 30), 1)])
    )
    importjobs.store_progress(IMPORT_KIND, batch.uuid, 1, 4)
    fragment = client_for(command_user).get(f"/vaccination/imports/{batch.uuid}/progress")
    assert "HX-Refresh" not in fragment
    html = fragment.content.decode()
    assert "25%" in html and "hx-trigger" in html


def test_doses_are_stored_in_chunks_and_invisible_until_the_end(district, command_user, monkeypatch):
    monkeypatch.setattr(actions, "CHUNK", 2)
    people = [person_aged(district.grid_a, 30 + n) for n in range(5)]
    rows = [r for p in people for r in (row(p, 1, "2021-04-01"), row(p, 2, "2021-05-01"))]
    batch = queued(command_user, district.county, csv_bytes(HEADER_ZH, rows))
    today = timezone.localdate()
    seen: list[tuple[int, int, int, int]] = []

    def report(done: int, total: int) -> None:
        stored = VaccinationRecord.objects.filter(batch=batch).count()
        seen.append((done, total, stored, coverage.people_completed(district.county, today)))

    batch = run_import(batch, command_user, timezone.now(), report)
    assert batch.status == ImportStatus.DONE and batch.created == 10
    assert seen[0] == (0, 20, 0, 0)
    # The store pass committed its chunks one by one, and nobody saw them before the end.
    stored_counts = [stored for done, _total, stored, _c in seen if done > 10]
    assert stored_counts == [2, 4, 6, 8, 10]
    assert all(completed == 0 for *_rest, completed in seen)
    assert coverage.people_completed(district.county, today) == 5


def test_a_run_that_stops_in_the_store_pass_leaves_nothing(district, command_user, monkeypatch):
    monkeypatch.setattr(actions, "CHUNK", 1)
    people = [person_aged(district.grid_a, 30 + n) for n in range(3)]
    batch = queued(command_user, district.county, csv_bytes(HEADER_ZH, [row(p, 1) for p in people]))

    def report(done: int, total: int) -> None:
        if done == 5:  # two doses stored of three
            raise RuntimeError("consumer lost its database connection")

    with pytest.raises(RuntimeError):
        run_import(batch, command_user, timezone.now(), report)
    batch.refresh_from_db()
    assert batch.status == ImportStatus.FAILED and "consumer lost" in batch.message
    assert not VaccinationRecord.objects.exists()


def test_an_import_whose_job_died_is_marked_failed_and_cleaned(district, command_user):
    p = person_aged(district.grid_a, 30)
    batch = queued(command_user, district.county, csv_bytes(HEADER_ZH, [row(p, 1)]))
    run_import(batch, command_user, timezone.now())
    # As if killed after storing, before its final commit:
    VaccinationImport.objects.filter(pk=batch.pk).update(status=ImportStatus.RUNNING)
    assert [b.pk for b in do_recover_stale_imports(timezone.now())] == [batch.pk]
    batch.refresh_from_db()
    assert batch.status == ImportStatus.FAILED
    assert "interrupted" in batch.message or "中断" in batch.message
    assert not VaccinationRecord.objects.filter(batch=batch).exists()


def test_a_run_holding_its_lock_is_left_alone(district, command_user):
    batch = queued(
        command_user, district.county, csv_bytes(HEADER_ZH, [row(person_aged(district.grid_a, 30), 1)])
    )
    VaccinationImport.objects.filter(pk=batch.pk).update(status=ImportStatus.RUNNING)
    with importjobs.run_lock(IMPORT_KIND, batch.uuid) as held:
        assert held
        assert do_recover_stale_imports(timezone.now()) == []
        # and a second run of it does not start
        assert run_import(batch, command_user, timezone.now()).status == ImportStatus.RUNNING


def test_the_same_file_uploaded_while_queued_is_the_same_import(district, command_user):
    content = csv_bytes(HEADER_ZH, [row(person_aged(district.grid_a, 30), 1)])
    first = queued(command_user, district.county, content)
    again, is_new = do_register_import(
        command_user, district.county, "again.csv", save_upload([content], ".csv"), timezone.now()
    )
    assert again.pk == first.pk and not is_new


def test_there_is_no_cap_on_rows(district, command_user):
    """60,000 rows (the old cap was 50,000): all checked, every row in error listed in the error file."""
    lines = [
        ["某人", new_id(), "新冠病毒灭活疫苗（Vero细胞）", "北京生物", "1", "2021-05-01", "", ""]
        for _ in range(60_000)
    ]
    batch = queued(command_user, district.county, csv_bytes(HEADER_ZH, lines))
    batch = run_import(batch, command_user, timezone.now())
    assert batch.status == ImportStatus.FAILED
    assert batch.rows == 60_000 and batch.error_count == 60_000
    with (actions.error_dir() / batch.error_file).open(encoding="utf-8-sig") as fh:
        written = list(csv.reader(fh))
    assert len(written) == 60_001 and written[0][0] in ("行号", "Line")
    assert written[-1][0] == "60001"


def test_a_gb18030_export_is_read(district, command_user):
    a = person_aged(district.grid_a, 30)
    out = io.StringIO()
    csv.writer(out).writerows([HEADER_ZH, row(a, 1)])
    batch = queued(command_user, district.county, out.getvalue().encode("gb18030"))
    assert run_import(batch, command_user, timezone.now()).status == ImportStatus.DONE


def test_a_dose_registered_by_hand_during_the_run_fails_it_cleanly(district, command_user, monkeypatch):
    """Between the check pass and the store pass a site registers a conflicting dose: the import stores
    nothing (its chunks already committed are removed) and says why; the hand-registered dose stays."""
    from fangkong.vaccination.actions import do_register_dose
    from fangkong.vaccination.tests.helpers import inactivated

    monkeypatch.setattr(actions, "CHUNK", 1)
    people = [person_aged(district.grid_a, 30 + n) for n in range(3)]
    batch = queued(
        command_user, district.county, csv_bytes(HEADER_ZH, [row(p, 1, "2021-05-01") for p in people])
    )

    def report(done: int, total: int) -> None:
        if done == 4:  # checked all three, stored the first
            do_register_dose(
                command_user,
                people[2],
                product=inactivated(),
                dose_number=1,
                vaccinated_on=datetime.date(2021, 5, 2),
                site=None,
                lot="",
                now=timezone.now(),
            )

    batch = run_import(batch, command_user, timezone.now(), report)
    assert batch.status == ImportStatus.FAILED
    assert "4" in batch.message  # its line in the file (the header is line 1)
    assert not VaccinationRecord.objects.filter(batch=batch).exists()
    assert VaccinationRecord.objects.filter(person=people[2], batch__isnull=True).count() == 1
