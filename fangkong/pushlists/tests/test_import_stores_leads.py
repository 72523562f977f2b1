"""An import stores leads, not people (issue 11): no person is created; each item carries the pushed identity
and links the matching active person; a row is rejected only when it identifies no one."""

from __future__ import annotations

import pytest

from fangkong.people.actions import do_register_person
from fangkong.people.models import Person
from fangkong.pushlists.models import FieldFlag, PushErrorRow, PushItem
from fangkong.pushlists.tests.conftest import id_number, sample_rows, write_csv, write_xlsx


def test_an_import_creates_no_person(district, import_file, tmp_path):
    batch = import_file(write_csv(tmp_path / "list.csv", sample_rows()))

    assert batch.rows_imported == 4
    assert not Person.objects.exists()
    assert (batch.people_created, batch.people_matched) == (0, 0)
    assert not PushItem.objects.filter(person__isnull=False).exists()


def test_people_already_registered_stay_as_they_are(district, import_file, tmp_path):
    person, _ = do_register_person(
        None, name="张三", region=district.village_a, document_number=id_number(1), phone="13700000000"
    )
    before = Person.objects.values().get(pk=person.pk)

    import_file(write_csv(tmp_path / "list.csv", sample_rows()))

    assert Person.objects.values().get(pk=person.pk) == before  # the pushed phone does not overwrite it
    assert PushItem.objects.get(name="张三").person == person


@pytest.mark.parametrize("placeholder", ["暂无", "无", "空", " 暂无 ", "-", "NULL"])
def test_a_valid_id_with_a_placeholder_phone_imports_with_the_phone_flagged(
    district, import_file, tmp_path, placeholder
):
    batch = import_file(
        write_csv(tmp_path / "list.csv", [["张三", id_number(1), placeholder, "", "", "王助镇", ""]])
    )

    assert (batch.rows_imported, batch.rows_error, batch.rows_flagged) == (1, 0, 1)
    pushed = PushItem.objects.get()
    assert (pushed.phone_flag, pushed.phone_e164, pushed.document_number) == (
        FieldFlag.PLACEHOLDER,
        "",
        id_number(1),
    )


@pytest.mark.parametrize("malformed", ["12345", "1391234567", "139123456789", "电话打不通"])
def test_a_valid_id_with_a_malformed_phone_imports_with_the_phone_flagged(
    district, import_file, tmp_path, malformed
):
    batch = import_file(
        write_csv(tmp_path / "list.csv", [["张三", id_number(1), malformed, "", "", "王助镇", ""]])
    )

    assert (batch.rows_imported, batch.rows_error) == (1, 0)
    pushed = PushItem.objects.get()
    assert pushed.phone_flag == FieldFlag.INVALID and pushed.phone == malformed
    assert pushed.flag_note.startswith("Phone:")


def test_a_valid_phone_with_a_wrong_id_imports_with_the_id_flagged(district, import_file, tmp_path):
    good = id_number(5)
    wrong = good[:17] + ("0" if good[17] != "0" else "1")
    batch = import_file(
        write_csv(tmp_path / "list.csv", [["李四", wrong, "13912345678", "", "", "王助镇", ""]])
    )

    assert (batch.rows_imported, batch.rows_error) == (1, 0)
    pushed = PushItem.objects.get()
    assert (pushed.id_flag, pushed.document_number, pushed.phone_e164) == (
        FieldFlag.INVALID,
        "",
        "+8613912345678",
    )
    assert "check character" in pushed.flag_note


def test_a_row_that_identifies_no_one_is_rejected_with_both_reasons(district, import_file, tmp_path):
    rows = [["王五", "123", "暂无", "", "", "", ""], ["赵六", "暂无", "12345", "", "", "", ""]]
    batch = import_file(write_csv(tmp_path / "list.csv", rows))

    assert (batch.rows_imported, batch.rows_error) == (0, 2)
    reasons = list(
        PushErrorRow.objects.filter(batch=batch).order_by("row_number").values_list("reason", flat=True)
    )
    assert all(r.startswith("Neither a valid ID number nor a valid phone") for r in reasons)
    assert "ID number:" in reasons[0] and "Phone:" in reasons[1]


def test_an_xlsx_phone_stored_as_a_number_is_read_back_and_accepted(district, import_file, tmp_path):
    batch = import_file(write_xlsx(tmp_path / "list.xlsx", [["张三", "", 13912345678, "", "", "王助镇", ""]]))

    assert (batch.rows_imported, batch.rows_error) == (1, 0)
    assert PushItem.objects.get().phone_e164 == "+8613912345678"
