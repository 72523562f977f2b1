"""Bad rows go to the error file with a reason each; the good rows of the same file still import."""

from __future__ import annotations

import io

import openpyxl
from stdnum.cn import ric

from fangkong.audit.models import AuditAction, AuditEvent
from fangkong.pushlists.models import BatchStatus, PushErrorRow, PushItem
from fangkong.pushlists.tests.conftest import id_number, write_csv


def bad_check_digit() -> str:
    good = id_number(5)
    return good[:17] + ("0" if good[17] != "0" else "1")


def impossible_birth_date() -> str:
    body = "41092819900230123"  # 30 February
    return body + ric.calc_check_digit(body + "0")


def test_bad_rows_are_kept_with_reasons_and_good_rows_import(district, import_file, tmp_path):
    rows = [
        ["好人", id_number(1), "13912345678", "", "", "王助镇", ""],
        ["校验错", bad_check_digit(), "", "", "", "王助镇", ""],
        ["日期错", impossible_birth_date(), "", "", "", "王助镇", ""],
        ["科学计数", "4.10928E+17", "", "", "", "王助镇", ""],
        ["", id_number(6), "", "", "", "王助镇", ""],
        ["无证件", "", "", "", "", "王助镇", ""],
        ["到达错", id_number(7), "", "", "2021-02-30", "王助镇", ""],
        ["电话错", "", "12345", "", "", "王助镇", ""],
    ]
    batch = import_file(write_csv(tmp_path / "list.csv", rows))

    # Second design (issue 11): a row is rejected only when it identifies no one (no valid ID number and no
    # valid phone). A valid ID without a name, or with an impossible arrival date, imports flagged.
    assert batch.status == BatchStatus.DONE
    assert (batch.rows_total, batch.rows_imported, batch.rows_error) == (8, 3, 5)
    imported = PushItem.objects.filter(batch=batch).order_by("row_number")
    assert list(imported.values_list("name", flat=True)) == ["好人", "", "到达错"]
    assert imported.get(name="到达错").arrival_flag == "invalid" and batch.rows_flagged == 1
    reasons = dict(PushErrorRow.objects.filter(batch=batch).values_list("row_number", "reason"))
    assert sorted(reasons) == [3, 4, 5, 7, 9]
    assert "check character" in reasons[3]
    assert "impossible birth date" in reasons[4]
    assert "scientific notation" in reasons[5]
    assert "Neither a valid ID number nor a valid phone" in reasons[7]
    assert "phone" in reasons[9].lower()


def test_a_row_pushed_twice_in_one_file_is_an_error_the_second_time(district, import_file, tmp_path):
    row = ["张三", id_number(1), "", "南京", "2021-08-01 10:00", "王助镇", ""]
    batch = import_file(write_csv(tmp_path / "list.csv", [row, row]))

    assert (batch.rows_imported, batch.rows_error) == (1, 1)
    assert "row 2" in PushErrorRow.objects.get(batch=batch).reason


def test_an_unknown_layout_fails_naming_the_missing_columns(district, import_file, tmp_path):
    batch = import_file(write_csv(tmp_path / "list.csv", [["x", "y"]], header=["编号", "备注"]))

    assert batch.status == BatchStatus.FAILED
    assert "姓名/name" in batch.failure and "身份证号/id_number" in batch.failure
    assert not PushItem.objects.exists()


def test_the_error_file_downloads_masked_and_audited(
    district, command_user, client_for, import_file, tmp_path
):
    batch = import_file(write_csv(tmp_path / "list.csv", [["校验错", bad_check_digit(), "", "", "", "", ""]]))

    response = client_for(command_user).get(f"/push-lists/batches/{batch.uuid}/errors.xlsx")

    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][0] == 2 and "check character" in rows[1][1]
    assert bad_check_digit() not in rows[1][2] and "********" in rows[1][2]
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT, object_uuid=batch.uuid).count() == 1


def test_the_error_file_is_not_for_a_township_cadre(district, cadre_a, client_for, import_file, tmp_path):
    batch = import_file(write_csv(tmp_path / "list.csv", [["张三", id_number(1), "", "", "", "王助镇", ""]]))

    assert client_for(cadre_a).get(f"/push-lists/batches/{batch.uuid}/errors.xlsx").status_code == 404


def test_the_error_file_refuses_post(district, command_user, client_for, import_file, tmp_path):
    batch = import_file(write_csv(tmp_path / "list.csv", [["张三", id_number(1), "", "", "", "王助镇", ""]]))

    assert client_for(command_user).post(f"/push-lists/batches/{batch.uuid}/errors.xlsx").status_code == 405
