"""A pharmacy's ledger upload: CSV or XLSX, every cell as text, all or nothing."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from fangkong.clinics.actions import do_import_ledger
from fangkong.clinics.models import FollowUp, SurveillanceRecord
from fangkong.clinics.tests.helpers import create_pharmacy
from fangkong.people.tests.helpers import new_id


@pytest.fixture
def pharmacy(district, cadre_a):
    return create_pharmacy(cadre_a, district.village_a, "yaodian")


def test_a_csv_ledger_loads_every_row(pharmacy):
    facility, staff = pharmacy
    text = f"姓名,证件号码,药品类别,手机号\n张三,{new_id()},退烧,13900000001\n李四,{new_id()},抗生素,\n"
    result = do_import_ledger(staff, facility, "台账.csv", text.encode(), now=timezone.now())
    assert result.rows == 2 and FollowUp.objects.count() == 2
    assert set(SurveillanceRecord.objects.values_list("medicine", flat=True)) == {"fever", "antibiotic"}


def test_one_bad_row_loads_nothing_and_names_the_line(pharmacy):
    facility, staff = pharmacy
    text = f"姓名,证件号码,药品类别\n张三,{new_id()},退烧\n李四,123,维生素\n"
    with pytest.raises(ValidationError) as exc:
        do_import_ledger(staff, facility, "台账.csv", text.encode(), now=timezone.now())
    assert any("3" in m for m in exc.value.messages)
    assert not SurveillanceRecord.objects.exists()


def test_an_xlsx_ledger_keeps_id_numbers_as_text(pharmacy, settings):
    facility, staff = pharmacy
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["姓名", "证件号码", "药品类别"])
    sheet.append(["张三", new_id(), "止咳"])
    buffer = io.BytesIO()
    book.save(buffer)
    result = do_import_ledger(staff, facility, "ledger.xlsx", buffer.getvalue(), now=timezone.now())
    assert result.rows == 1


def test_a_file_of_another_kind_is_refused(pharmacy):
    facility, staff = pharmacy
    with pytest.raises(ValidationError):
        do_import_ledger(staff, facility, "x.pdf", b"%PDF", now=timezone.now())
    with pytest.raises(ValidationError):
        do_import_ledger(staff, facility, "x.csv", b"a,b\x00", now=timezone.now())
    with pytest.raises(ValidationError):
        do_import_ledger(staff, facility, "x.csv", "名字,号码\n".encode(), now=timezone.now())


def test_the_upload_page(pharmacy, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    facility, staff = pharmacy
    content = f"姓名,证件号码,药品类别\n张三,{new_id()},抗病毒\n".encode()
    response = client_for(staff).post(
        f"/clinics/{facility.uuid}/ledger", {"file": SimpleUploadedFile("l.csv", content, "text/csv")}
    )
    assert response.status_code == 302 and FollowUp.objects.count() == 1
