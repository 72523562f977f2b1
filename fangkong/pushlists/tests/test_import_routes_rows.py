"""A pushed list is imported: good rows become items routed to a township, people are matched or created."""

from __future__ import annotations

from pathlib import Path

from fangkong.people.actions import do_register_person
from fangkong.people.models import Person
from fangkong.pushlists.models import BatchStatus, PushItem, RouteMethod
from fangkong.pushlists.tests.conftest import id_number, sample_rows, write_csv


def test_it_imports_rows_and_routes_them_by_township_address_or_home(district, import_file, tmp_path: Path):
    batch = import_file(write_csv(tmp_path / "list.csv", sample_rows()))

    assert batch.status == BatchStatus.DONE
    assert (batch.rows_total, batch.rows_imported, batch.rows_error) == (4, 4, 0)
    items = {i.name: i for i in PushItem.objects.filter(batch=batch).select_related("region")}
    assert items["张三"].region == district.township_a
    assert items["张三"].route_method == RouteMethod.TOWNSHIP_COLUMN
    assert items["李四"].region == district.township_b  # "新习" is 新习镇 without its suffix
    assert items["王五"].region == district.township_a
    assert items["王五"].route_method == RouteMethod.ADDRESS
    assert items["赵六"].region == district.county  # nothing to route by: the command-office queue
    assert batch.rows_unroutable == 1


def test_it_matches_an_existing_person_by_document_and_routes_by_their_home(district, import_file, tmp_path):
    existing, _ = do_register_person(
        None, name="赵六", region=district.village_b, document_number=id_number(4)
    )
    batch = import_file(write_csv(tmp_path / "list.csv", sample_rows()))

    item = PushItem.objects.get(batch=batch, name="赵六")
    assert item.person == existing
    assert item.region == district.township_b
    assert item.route_method == RouteMethod.HOME_REGION
    # Issue 11: the other three rows match no one and create no one.
    assert (batch.people_matched, batch.people_created) == (1, 0)
    assert list(Person.objects.all()) == [existing]


def test_it_matches_by_phone_and_name_when_there_is_no_document(district, import_file, tmp_path):
    existing, _ = do_register_person(None, name="钱七", region=district.village_a, phone="13800001111")
    rows = [["钱七", "", "13800001111", "", "", "", ""], ["钱七", "", "13800001111", "广州", "", "", ""]]
    batch = import_file(write_csv(tmp_path / "list.csv", rows))

    assert set(PushItem.objects.filter(batch=batch).values_list("person", flat=True)) == {existing.pk}
    assert batch.people_created == 0


def test_the_same_person_twice_in_a_file_creates_no_person(district, import_file, tmp_path):
    # Issue 11: the import stores leads; a person is created only by verification.
    rows = [
        ["孙八", id_number(9), "", "南京", "2021-08-01", "王助镇", ""],
        ["孙八", id_number(9), "", "郑州", "2021-08-02", "王助镇", ""],
    ]
    batch = import_file(write_csv(tmp_path / "list.csv", rows))

    assert batch.rows_imported == 2
    assert not Person.objects.exists()
    assert (
        list(PushItem.objects.filter(batch=batch).values_list("document_number", flat=True))
        == [id_number(9)] * 2
    )
