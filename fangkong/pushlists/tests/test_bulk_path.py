"""The set-based bulk path: people matched (never created) in SQL chunk by chunk, items inserted from the
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


def test_an_existing_person_is_found_by_every_chunk_and_routes_rows_to_their_home(
    district, import_file, tmp_path, small_chunks
):
    # Second design (issue 11): an import creates no person; rows of a registered person link to them.
    person, _ = do_register_person(None, name="孙八", region=district.village_a, document_number=id_number(9))
    rows = [
        ["孙八", id_number(9), "", "南京", "2021-08-01", "王助镇", ""],
        ["周九", id_number(10), "", "南京", "2021-08-01", "新习镇", ""],
        ["孙八", id_number(9), "", "郑州", "2021-08-02", "", ""],  # chunk 2: no township
        ["孙八", id_number(9), "", "扬州", "2021-08-03", "新习镇", ""],
        ["孙八", id_number(9), "", "广州", "2021-08-04", "", ""],  # chunk 3
    ]
    batch = import_file(write_csv(tmp_path / "list.csv", rows))

    assert batch.status == BatchStatus.DONE
    assert (batch.rows_imported, batch.people_created, batch.people_matched) == (5, 0, 4)
    assert Person.objects.count() == 1
    items = list(PushItem.objects.filter(batch=batch, name="孙八").order_by("row_number"))
    assert {i.person_id for i in items} == {person.pk}
    assert PushItem.objects.get(batch=batch, name="周九").person is None
    # Rows without a township go to the matched person's home township.
    assert [(i.region, i.route_method) for i in items] == [
        (district.township_a, RouteMethod.TOWNSHIP_COLUMN),
        (district.township_a, RouteMethod.HOME_REGION),
        (district.township_b, RouteMethod.TOWNSHIP_COLUMN),
        (district.township_a, RouteMethod.HOME_REGION),
    ]


def test_a_row_with_only_a_phone_finds_the_person_by_phone_and_name(district, import_file, tmp_path):
    person, _ = do_register_person(
        None, name="吴十", region=district.village_a, document_number=id_number(11), phone="13700002222"
    )
    rows = [
        ["吴十", id_number(11), "13700002222", "南京", "2021-08-01", "王助镇", ""],
        ["吴十", "", "13700002222", "郑州", "2021-08-02", "", ""],
        ["吴十一", "", "13700002222", "郑州", "2021-08-02", "", ""],  # another name: no match
    ]
    batch = import_file(write_csv(tmp_path / "list.csv", rows))

    assert Person.objects.count() == 1
    linked = list(
        PushItem.objects.filter(batch=batch).order_by("row_number").values_list("person", flat=True)
    )
    assert linked == [person.pk, person.pk, None]
    assert (batch.people_created, batch.people_matched) == (0, 2)


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
    # The inactive holder of the number is not matched, and no new person is created beside it.
    zheng = PushItem.objects.get(batch=batch, name="郑一")
    assert zheng.person is None and zheng.document_number == id_number(12)
    assert Person.objects.filter(document_number=id_number(12)).count() == 1
    assert (batch.people_created, batch.people_matched, batch.rows_unroutable) == (0, 1, 1)


def test_items_carry_the_pushed_identity_and_get_ordered_unique_uuids(
    district, import_file, tmp_path, command_user, small_chunks
):
    number = id_number(13, datetime.date(1985, 6, 7))
    rows = [[f"李{c}", id_number(20 + i), "", "", "", "王助镇", ""] for i, c in enumerate("一二三四五")]
    rows.append(
        ["张三丰", number.lower(), "139 1234 5678", "南京", "2021-08-01 10:30", "", "新习镇新习村5号"]
    )
    batch = import_file(write_csv(tmp_path / "list.csv", rows))

    assert not Person.objects.exists()
    item = PushItem.objects.get(batch=batch, name="张三丰")
    assert (item.id_number, item.document_number) == (number.lower(), number)
    assert (item.phone, item.phone_e164) == ("139 1234 5678", "+8613912345678")
    assert (item.id_flag, item.phone_flag, item.arrival_flag, item.flag_note) == ("", "", "", "")
    assert item.route_method == RouteMethod.ADDRESS and item.region == district.township_b
    assert item.arrived_at == datetime.datetime(2021, 8, 1, 2, 30, tzinfo=datetime.UTC)
    assert item.deadline_at == batch.created_at + datetime.timedelta(hours=24)
    uuids = list(PushItem.objects.filter(batch=batch).order_by("row_number").values_list("uuid", flat=True))
    assert all(isinstance(u, uuid.UUID) for u in uuids)
    assert uuids == sorted(uuids) and len(set(uuids)) == len(uuids)
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
