"""The vaccination pages as each role sees them: coverage, import, registration at a site, the grid's
unvaccinated list with a reason per person, targets — and 404 outside the jurisdiction."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from fangkong.vaccination.actions import do_create_site, do_set_reason
from fangkong.vaccination.models import MobilisationNote, VaccinationRecord
from fangkong.vaccination.tests.helpers import give_doses, inactivated, person_aged
from fangkong.vaccination.tests.test_import import HEADER_ZH, csv_bytes, row

pytestmark = pytest.mark.django_db


def test_coverage_shows_townships_and_bands(district, command_user, client_for):
    give_doses(person_aged(district.grid_a, 30), 2)
    person_aged(district.grid_b, 14)
    page = client_for(command_user).get("/vaccination/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "王助镇" in html and "新习镇" in html
    assert "12–17岁" in html and "100.00%" in html


def test_coverage_of_another_township_is_404(district, cadre_a, client_for):
    assert client_for(cadre_a).get(f"/vaccination/?region={district.township_b.code}").status_code == 404
    assert client_for(cadre_a).get(f"/vaccination/?region={district.village_a.code}").status_code == 200


def test_coverage_keeps_its_query_count(district, command_user, client_for, django_assert_max_num_queries):
    for n in range(5):
        give_doses(person_aged(district.grid_a, 20 + n), 2)
        person_aged(district.grid_b, 20 + n)
    client = client_for(command_user)
    with django_assert_max_num_queries(14):
        assert client.get("/vaccination/").status_code == 200


def test_the_office_imports_an_export_through_the_page(
    district, command_user, client_for, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    a = person_aged(district.grid_a, 30)
    upload = SimpleUploadedFile("export.csv", csv_bytes(HEADER_ZH, [row(a, 1), row(a, 2, "2021-05-29")]))
    client = client_for(command_user)
    response = client.post("/vaccination/imports/", {"file": upload})
    assert response.status_code == 302
    assert VaccinationRecord.objects.filter(person=a).count() == 2


def test_a_refused_import_offers_its_error_file(
    district, command_user, cadre_b, client_for, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    a = person_aged(district.grid_a, 30)
    upload = SimpleUploadedFile("export.csv", csv_bytes(HEADER_ZH, [row(a, 1, "bad")]))
    client = client_for(command_user)
    client.post("/vaccination/imports/", {"file": upload})
    page = client.get("/vaccination/imports/").content.decode()
    assert "errors" in page
    from fangkong.vaccination.models import VaccinationImport

    batch = VaccinationImport.objects.get()
    download = client.get(f"/vaccination/imports/{batch.uuid}/errors")
    assert download.status_code == 200
    assert client_for(cadre_b).get(f"/vaccination/imports/{batch.uuid}/errors").status_code == 404


def test_a_grid_worker_cannot_import(grid_worker_a, client_for):
    assert client_for(grid_worker_a).get("/vaccination/imports/").status_code == 404


def test_a_dose_is_registered_at_a_site(district, cadre_a, client_for):
    site = do_create_site(cadre_a, district.township_a, "王助镇卫生院接种点")
    p = person_aged(district.grid_a, 30)
    data = {
        "document_number": p.document_number,
        "product": inactivated().pk,
        "dose_number": 1,
        "vaccinated_on": timezone.localdate().isoformat(),
        "site": site.pk,
        "lot": "202108A",
    }
    client = client_for(cadre_a)
    assert client.post("/vaccination/register", data).status_code == 302
    dose = VaccinationRecord.objects.get(person=p)
    assert (dose.site, dose.lot, dose.created_by) == (site, "202108A", cadre_a)
    again = client.post("/vaccination/register", data)
    assert again.status_code == 200
    assert "dose_number" in again.context["form"].errors  # refused: dose 1 is already recorded
    assert VaccinationRecord.objects.filter(person=p).count() == 1


def test_a_person_of_another_township_cannot_be_registered(district, cadre_a, client_for):
    site = do_create_site(cadre_a, district.township_a, "接种点")
    other = person_aged(district.grid_b, 30)
    data = {
        "document_number": other.document_number,
        "product": inactivated().pk,
        "dose_number": 1,
        "vaccinated_on": timezone.localdate().isoformat(),
        "site": site.pk,
    }
    response = client_for(cadre_a).post("/vaccination/register", data)
    assert response.status_code == 200
    assert not VaccinationRecord.objects.exists()


def test_the_grid_worker_sees_the_grid_list_and_records_a_reason(district, grid_worker_a, client_for):
    todo = person_aged(district.grid_a, 30, name="李四")
    done = person_aged(district.grid_a, 31, name="王五")
    give_doses(done, 2)
    elsewhere = person_aged(district.grid_a2, 30, name="赵六")
    client = client_for(grid_worker_a)
    html = client.get("/vaccination/unvaccinated").content.decode()
    assert "李四" in html and "王五" not in html and "赵六" not in html
    assert todo.document_number not in html  # masked
    response = client.post(
        f"/vaccination/people/{todo.uuid}/reason",
        {
            "reason": "scheduled",
            "scheduled_on": (timezone.localdate() + datetime.timedelta(days=2)).isoformat(),
        },
    )
    assert response.status_code == 302
    assert MobilisationNote.objects.get(person=todo).reason == "scheduled"
    # Another grid's person is not the grid worker's.
    assert (
        client.post(f"/vaccination/people/{elsewhere.uuid}/reason", {"reason": "refused"}).status_code == 404
    )


def test_a_scheduled_reason_needs_its_day(district, grid_worker_a, client_for):
    todo = person_aged(district.grid_a, 30)
    client_for(grid_worker_a).post(f"/vaccination/people/{todo.uuid}/reason", {"reason": "scheduled"})
    assert not MobilisationNote.objects.exists()


def test_the_list_keeps_its_query_count(district, grid_worker_a, client_for, django_assert_max_num_queries):
    for n in range(8):
        p = person_aged(district.grid_a, 20 + n)
        do_set_reason(grid_worker_a, p, reason="away", scheduled_on=None, note="", now=timezone.now())
    client = client_for(grid_worker_a)
    with django_assert_max_num_queries(12):
        assert client.get("/vaccination/unvaccinated").status_code == 200


def test_a_township_cadre_picks_a_grid_first(district, cadre_a, client_for):
    html = client_for(cadre_a).get("/vaccination/unvaccinated").content.decode()
    assert district.grid_a.code in html and district.grid_b.code not in html


def test_the_office_sets_a_target(district, command_user, cadre_a, client_for):
    client = client_for(command_user)
    assert (
        client.post("/vaccination/targets", {"region": district.township_a.pk, "rate": "96.45"}).status_code
        == 302
    )
    assert "96.45" in client_for(cadre_a).get("/vaccination/targets").content.decode()
    assert (
        client_for(cadre_a)
        .post("/vaccination/targets", {"region": district.township_a.pk, "rate": "1"})
        .status_code
        == 404
    )
