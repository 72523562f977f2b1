"""The set-based bulk path: people matched and created in SQL chunk by chunk, items inserted from the
staging table, on SQLite and PostgreSQL alike (run this file with DATABASE_URL pointing at either)."""

from __future__ import annotations

import datetime
import gc
import uuid
from typing import Any

import pytest
from django.db import connection

from fangkong.people.actions import do_register_person
from fangkong.people.models import Person
from fangkong.pushlists import importer
from fangkong.pushlists.models import BatchStatus, PushErrorRow, PushItem, RouteMethod
from fangkong.pushlists.tests.conftest import id_number, write_csv, write_xlsx


@pytest.fixture
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Two rows a chunk, so matching across chunk boundaries is exercised by a handful of rows."""
    monkeypatch.setattr(importer, "CHUNK", 2)


def test_a_person_in_several_chunks_is_created_once_and_found_by_later_chunks(
    district, import_file, tmp_path, small_chunks
):
    rows = [
        ["孙八", id_number(9), "", "南京", "2021-08-01", "王助镇", ""],
        ["周九", id_number(10), "", "南京", "2021-08-01", "新习镇", ""],
        ["孙八", id_number(9), "", "郑州", "2021-08-02", "", ""],  # chunk 2: no township
        ["孙八", id_number(9), "", "扬州", "2021-08-03", "新习镇", ""],
        ["孙八", id_number(9), "", "广州", "2021-08-04", "", ""],  # chunk 3
    ]
    batch = import_file(write_csv(tmp_path / "list.csv", rows))

    assert batch.status == BatchStatus.DONE
    assert (batch.rows_imported, batch.people_created, batch.people_matched) == (5, 2, 3)
    person = Person.objects.get(document_number=id_number(9))
    items = list(PushItem.objects.filter(batch=batch, name="孙八").order_by("row_number"))
    assert {i.person_id for i in items} == {person.pk}
    # The person was created at the township of their first row; rows without a township go there.
    assert person.region == district.township_a
    assert [(i.region, i.route_method) for i in items] == [
        (district.township_a, RouteMethod.TOWNSHIP_COLUMN),
        (district.township_a, RouteMethod.HOME_REGION),
        (district.township_b, RouteMethod.TOWNSHIP_COLUMN),
        (district.township_a, RouteMethod.HOME_REGION),
    ]


def test_a_row_with_only_a_phone_finds_the_person_created_from_a_document_row_of_the_same_chunk(
    district, import_file, tmp_path
):
    rows = [
        ["吴十", id_number(11), "13700002222", "南京", "2021-08-01", "王助镇", ""],
        ["吴十", "", "13700002222", "郑州", "2021-08-02", "", ""],
    ]
    batch = import_file(write_csv(tmp_path / "list.csv", rows))

    assert Person.objects.count() == 1
    assert set(PushItem.objects.filter(batch=batch).values_list("person", flat=True)) == {
        Person.objects.get().pk
    }
    assert (batch.people_created, batch.people_matched) == (1, 1)


def test_phone_and_name_match_the_oldest_active_person_and_never_an_inactive_one(
    district, import_file, tmp_path
):
    older, _ = do_register_person(None, name="钱七", region=district.village_b, phone="13800001111")
    do_register_person(None, name="钱七", region=district.village_a, phone="13800001111")
    Person.objects.create(
        name="郑一", document_number=id_number(12), region=district.village_a, is_active=False
    )
    rows = [
        ["钱七", "", "13800001111", "", "", "", ""],
        ["郑一", id_number(12), "", "", "", "", ""],
    ]
    batch = import_file(write_csv(tmp_path / "list.csv", rows))

    qian = PushItem.objects.get(batch=batch, name="钱七")
    assert qian.person_id == older.pk
    assert (qian.region, qian.route_method) == (district.township_b, RouteMethod.HOME_REGION)
    # The inactive holder of the number is not matched; a new active person is created beside it.
    zheng = PushItem.objects.get(batch=batch, name="郑一")
    assert zheng.person is not None
    assert zheng.person.is_active and zheng.person.document_number == id_number(12)
    assert Person.objects.filter(document_number=id_number(12)).count() == 2
    assert (batch.people_created, batch.people_matched, batch.rows_unroutable) == (1, 1, 1)


def test_new_people_get_the_row_data_and_items_get_ordered_unique_uuids(
    district, import_file, tmp_path, command_user, small_chunks
):
    number = id_number(13, datetime.date(1985, 6, 7))
    rows = [[f"李{c}", id_number(20 + i), "", "", "", "王助镇", ""] for i, c in enumerate("一二三四五")]
    rows.append(["张三丰", number, "13912345678", "南京", "2021-08-01 10:30", "", "新习镇新习村5号"])
    batch = import_file(write_csv(tmp_path / "list.csv", rows))

    person = Person.objects.get(document_number=number)
    assert (person.name, person.name_initials, person.name_pinyin) == ("张三丰", "zsf", "zhangsanfeng")
    assert (person.birth_date, person.phone, person.address) == (
        datetime.date(1985, 6, 7),
        "+8613912345678",
        "新习镇新习村5号",
    )
    assert person.region == district.township_b and person.created_by == command_user
    assert person.is_active and person.created_at == person.updated_at
    item = PushItem.objects.get(batch=batch, name="张三丰")
    assert item.route_method == RouteMethod.ADDRESS and item.region == district.township_b
    assert item.arrived_at == datetime.datetime(2021, 8, 1, 2, 30, tzinfo=datetime.UTC)
    assert item.deadline_at == batch.created_at + datetime.timedelta(hours=24)
    uuids = list(PushItem.objects.filter(batch=batch).order_by("row_number").values_list("uuid", flat=True))
    assert all(isinstance(u, uuid.UUID) for u in uuids)
    assert uuids == sorted(uuids) and len(set(uuids)) == len(uuids)
    people = list(Person.objects.values_list("uuid", flat=True))
    assert len(set(people)) == len(people) == 6
    assert PushItem.objects.get(uuid=uuids[0]).row_number == 2  # a uuid finds its item again


def test_a_duplicate_in_a_later_chunk_names_the_first_row(district, import_file, tmp_path, small_chunks):
    rows = [
        ["孙八", id_number(9), "", "南京", "2021-08-01", "王助镇", ""],
        ["周九", id_number(10), "", "南京", "2021-08-01", "王助镇", ""],
        ["坏", "123", "", "", "", "", ""],
        ["孙八", id_number(9), "", "南京", "2021-08-01", "王助镇", ""],
    ]
    batch = import_file(write_csv(tmp_path / "list.csv", rows))

    assert (batch.rows_imported, batch.rows_error) == (2, 2)
    reasons = dict(PushErrorRow.objects.filter(batch=batch).values_list("row_number", "reason"))
    assert reasons[5] == "The same person, arrival and origin as row 2."


def test_tabs_backslashes_and_line_breaks_in_cells_are_stored_as_read(district, import_file, tmp_path):
    rows = [
        ["王\\五", id_number(3), "", "南\t京\\N", "2021-08-01", "王助镇", "1号\n2楼\r\\"],
        ["坏", "123", "", "来\t源", "", "", "a\\b"],
    ]
    batch = import_file(write_csv(tmp_path / "list.csv", rows))

    item = PushItem.objects.get(batch=batch)
    assert (item.name, item.origin, item.address) == ("王\\五", "南\t京\\N", "1号\n2楼\r\\")
    assert item.person is not None
    assert item.person.name == "王\\五" and item.person.address == "1号\n2楼\r\\"
    assert PushErrorRow.objects.get(batch=batch).values == "坏\t123\t\t来\t源\t\t\ta\\b"


def test_an_xlsx_with_numbers_dates_and_text_reads_every_cell_as_text(district, import_file, tmp_path):
    rows: list[list[Any]] = [
        ["王五", id_number(3), 13912345678, "南京", datetime.datetime(2021, 8, 1, 10, 0), "王助镇", " 1号 "],
        ["赵六", None, 12345, 12.5, 44409, "新习", ""],  # a bad phone: an error row
    ]
    batch = import_file(write_xlsx(tmp_path / "list.xlsx", rows))

    items = {i.name: i for i in PushItem.objects.filter(batch=batch)}
    assert (items["王五"].phone, items["王五"].address, items["王五"].arrival) == (
        "13912345678",
        "1号",
        "2021-08-01 10:00:00",
    )
    assert PushErrorRow.objects.get(batch=batch).values.split("\t")[1:5] == [
        "",
        "12345",
        "12.5",
        "2021-08-01 00:00:00",
    ]


def test_the_import_leaves_the_connection_and_the_collector_as_it_found_them(
    district, import_file, tmp_path, monkeypatch
):
    threshold, frozen = gc.get_threshold(), gc.get_freeze_count()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size")
            cache_size = cursor.fetchone()[0]
    batch = import_file(write_csv(tmp_path / "a.csv", [["张三", id_number(1), "", "", "", "", ""]]))
    assert batch.status == BatchStatus.DONE

    def crash(self: importer.Importer, good: list) -> None:
        raise RuntimeError("killed")

    monkeypatch.setattr(importer.Importer, "_load", crash)
    with pytest.raises(RuntimeError):
        import_file(write_csv(tmp_path / "b.csv", [["李四", id_number(2), "", "", "", "", ""]]))

    assert (gc.get_threshold(), gc.get_freeze_count()) == (threshold, frozen)
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA cache_size")
            assert cursor.fetchone()[0] == cache_size
        # The staging table does not outlive the import, failed or not.
        tables = connection.introspection.table_names(cursor)
    assert importer.STAGE not in tables
