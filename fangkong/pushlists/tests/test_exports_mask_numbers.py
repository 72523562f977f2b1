"""The feedback and error files mask phone and ID numbers however the pushed file spelled them."""

from __future__ import annotations

import io
import re

import openpyxl

from fangkong.pushlists.exports import _mask_cell
from fangkong.pushlists.models import PushItem
from fangkong.pushlists.tests.conftest import id_number, write_csv

# One mobile number in every spelling the import accepts.
SPELLINGS = [
    "13912345678",
    "139-1234-5678",
    "139 1234 5678",
    "+86 139 1234 5678",
    "+8613912345678",
    "86-13912345678",
]
MASKED = "139****5678"


def _sheet(client, url):
    response = client.get(url)
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return [
        [str(v) if v is not None else "" for v in row] for row in workbook.active.iter_rows(values_only=True)
    ]


def _shows_a_full_number(cell: str, number: str) -> bool:
    return number in re.sub(r"[\s\-+()]", "", cell)


def _spaced(number: str) -> str:
    return f"{number[:6]} {number[6:14]} {number[14:]}"


def test_the_feedback_file_masks_every_spelling_of_a_phone(
    district, import_file, tmp_path, command_user, client_for
):
    rows = [[f"甲{i}", "", phone, "", "", "王助镇", ""] for i, phone in enumerate(SPELLINGS)]
    batch = import_file(write_csv(tmp_path / "phones.csv", rows))
    assert sorted(PushItem.objects.filter(batch=batch).values_list("phone", flat=True)) == sorted(SPELLINGS)

    sheet = _sheet(client_for(command_user), f"/push-lists/batches/{batch.uuid}/feedback.xlsx")

    assert [row[4] for row in sheet[1:]] == [MASKED] * len(SPELLINGS)
    assert not any(_shows_a_full_number(cell, "12345678") for row in sheet for cell in row)


def test_the_feedback_file_masks_an_id_number_typed_with_spaces(
    district, import_file, tmp_path, command_user, client_for
):
    number = id_number(5)
    batch = import_file(
        write_csv(tmp_path / "spaced.csv", [["乙", _spaced(number), "", "", "", "王助镇", ""]])
    )
    assert batch.rows_imported == 1

    sheet = _sheet(client_for(command_user), f"/push-lists/batches/{batch.uuid}/feedback.xlsx")

    assert sheet[1][3] == number[:6] + "********" + number[-4:]
    assert not any(_shows_a_full_number(cell, number[6:14]) for row in sheet for cell in row)


def test_the_error_file_masks_every_spelling_of_a_phone(
    district, import_file, tmp_path, command_user, client_for
):
    # A phone alone identifies someone (issue 11): every spelling after the first row of the same person is
    # rejected as a repeat and lands in the error file with its phone as pushed.
    first = ["甲", "", "13912345678", "南京", "2021-08-01", "王助镇", ""]
    rows = [first, *(["甲", "", phone, "南京", "2021-08-01", "王助镇", ""] for phone in SPELLINGS)]
    batch = import_file(write_csv(tmp_path / "bad-phones.csv", rows))
    assert batch.rows_error == len(SPELLINGS)

    sheet = _sheet(client_for(command_user), f"/push-lists/batches/{batch.uuid}/errors.xlsx")

    assert [row[2].split(" | ")[2] for row in sheet[1:]] == [MASKED] * len(SPELLINGS)
    assert not any(_shows_a_full_number(cell, "12345678") for row in sheet for cell in row)
    assert all("2021-08-01" in row[2] for row in sheet[1:])  # the arrival stays readable


def test_the_error_file_masks_rejected_id_numbers(district, import_file, tmp_path, command_user, client_for):
    good = id_number(6)
    wrong_check = good[:17] + str((int(good[17]) + 1) % 10 if good[17] != "X" else 0)
    rows = [
        ["丙", wrong_check, "", "", "", "王助镇", ""],
        ["丁", _spaced(wrong_check), "", "", "", "王助镇", ""],
    ]
    batch = import_file(write_csv(tmp_path / "bad-ids.csv", rows))
    assert batch.rows_error == 2

    sheet = _sheet(client_for(command_user), f"/push-lists/batches/{batch.uuid}/errors.xlsx")

    assert [row[2].split(" | ")[1] for row in sheet[1:]] == [
        wrong_check[:6] + "********" + wrong_check[-4:]
    ] * 2
    assert not any(_shows_a_full_number(cell, good[6:14]) for row in sheet for cell in row)


def test_a_number_phonenumbers_does_not_know_is_masked_too():
    assert _mask_cell("139-1234-567") == "139***4567"  # one digit short of a mobile
    assert _mask_cell("1234567") == "***4567"  # never shown whole
    assert _mask_cell("王助村3号 电话 139 1234 5678") == f"王助村3号 电话 {MASKED}"
    assert _mask_cell("王助村3号") == "王助村3号"
