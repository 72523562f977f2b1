"""The import of the vaccination system's export: header matching (zh/en), all or nothing with the rows in
error in a file, idempotent by file hash, people matched by document number inside the importer's units."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from openpyxl import Workbook

from fangkong.audit.models import AuditEvent
from fangkong.vaccination.actions import do_import_vaccinations, error_dir
from fangkong.vaccination.models import DoseSource, ImportStatus, VaccinationImport, VaccinationRecord
from fangkong.vaccination.tests.helpers import BEIJING, INACTIVATED, give_doses, person_aged

pytestmark = pytest.mark.django_db

HEADER_ZH = ["姓名", "身份证号", "疫苗名称", "生产企业", "剂次", "接种日期", "接种单位", "疫苗批号"]
HEADER_EN = ["name", "document_number", "product", "manufacturer", "dose", "date", "site", "lot"]


def csv_bytes(header, rows):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8-sig")


def row(person, dose, day="2021-05-01", product=INACTIVATED, maker=BEIJING):
    return [
        person.name,
        person.document_number,
        product,
        maker,
        str(dose),
        day,
        "王助镇卫生院接种点",
        "202104001",
    ]


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_a_clean_export_is_imported(district, command_user, media):
    a = person_aged(district.grid_a, 30)
    b = person_aged(district.grid_b, 20)
    content = csv_bytes(HEADER_ZH, [row(a, 1), row(a, 2, "2021-05-29"), row(b, 1)])
    batch = do_import_vaccinations(command_user, district.county, "export.csv", content, timezone.now())
    assert batch.status == ImportStatus.DONE
    assert (batch.rows, batch.created, batch.known) == (3, 3, 0)
    doses = VaccinationRecord.objects.filter(person=a).order_by("dose_number")
    assert [(d.dose_number, d.completes_course, d.source) for d in doses] == [
        (1, False, DoseSource.IMPORT),
        (2, True, DoseSource.IMPORT),
    ]
    assert AuditEvent.objects.filter(object_uuid=batch.uuid, action="import").exists()


def test_english_headers_and_dose_words_are_understood(district, command_user, media):
    a = person_aged(district.grid_a, 30)
    rows = [row(a, 1), [a.name, a.document_number, INACTIVATED, "北京生物", "第二剂", "2021/05/29", "", ""]]
    batch = do_import_vaccinations(
        command_user, district.county, "e.csv", csv_bytes(HEADER_EN, rows), timezone.now()
    )
    assert batch.created == 2
    assert VaccinationRecord.objects.get(person=a, dose_number=2).vaccinated_on.isoformat() == "2021-05-29"


def test_an_xlsx_export_is_read_as_text(district, command_user, media):
    a = person_aged(district.grid_a, 30)
    wb = Workbook()
    ws = wb.active
    ws.append(HEADER_ZH)
    ws.append([a.name, a.document_number, INACTIVATED, BEIJING, 1, "2021-05-01", "接种点", "L1"])
    out = io.BytesIO()
    wb.save(out)
    batch = do_import_vaccinations(command_user, district.county, "e.xlsx", out.getvalue(), timezone.now())
    assert batch.created == 1


def test_rows_in_error_go_to_a_file_and_nothing_is_imported(district, cadre_a, media):
    a = person_aged(district.grid_a, 30)
    outsider = person_aged(district.grid_b, 30)
    rows = [
        row(a, 1),
        row(outsider, 1),  # township B: not the importer's
        row(a, 2, "not a date"),
        row(a, 3, product="不存在的疫苗"),
    ]
    batch = do_import_vaccinations(
        cadre_a, district.township_a, "e.csv", csv_bytes(HEADER_ZH, rows), timezone.now()
    )
    assert batch.status == ImportStatus.FAILED
    assert batch.error_count == 3
    assert not VaccinationRecord.objects.exists()
    text = (error_dir() / batch.error_file).read_text(encoding="utf-8-sig")
    lines = list(csv.reader(io.StringIO(text)))
    assert [line[0] for line in lines[1:]] == ["3", "4", "5"]
    # The error file does not give back whole document numbers.
    assert outsider.document_number not in text


def test_a_file_is_imported_once(district, command_user, media, english):
    a = person_aged(district.grid_a, 30)
    content = csv_bytes(HEADER_ZH, [row(a, 1)])
    do_import_vaccinations(command_user, district.county, "e.csv", content, timezone.now())
    with pytest.raises(ValidationError, match="already imported"):
        do_import_vaccinations(command_user, district.county, "again.csv", content, timezone.now())
    assert VaccinationImport.objects.count() == 1


def test_doses_already_known_are_skipped_and_a_conflicting_day_is_an_error(district, command_user, media):
    a = person_aged(district.grid_a, 30)
    give_doses(a, 1)  # 2021-04-01
    ok = do_import_vaccinations(
        command_user,
        district.county,
        "e.csv",
        csv_bytes(HEADER_ZH, [row(a, 1, "2021-04-01"), row(a, 2)]),
        timezone.now(),
    )
    assert (ok.created, ok.known) == (1, 1)
    bad = do_import_vaccinations(
        command_user,
        district.county,
        "f.csv",
        csv_bytes(HEADER_ZH, [row(a, 1, "2021-04-02")]),
        timezone.now(),
    )
    assert bad.status == ImportStatus.FAILED


def test_a_file_without_the_required_columns_is_refused(district, command_user, media):
    with pytest.raises(ValidationError, match="身份证号"):
        do_import_vaccinations(
            command_user, district.county, "e.csv", csv_bytes(["a", "b"], [["1", "2"]]), timezone.now()
        )


def test_the_same_dose_twice_in_one_file_is_an_error(district, command_user, media):
    a = person_aged(district.grid_a, 30)
    batch = do_import_vaccinations(
        command_user, district.county, "e.csv", csv_bytes(HEADER_ZH, [row(a, 1), row(a, 1)]), timezone.now()
    )
    assert batch.status == ImportStatus.FAILED
    assert batch.error_count == 1
