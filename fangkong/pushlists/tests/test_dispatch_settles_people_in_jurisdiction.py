"""Dispatch settles a person at the village only when the dispatcher's jurisdiction holds the person."""

from __future__ import annotations

from fangkong.pushlists.actions import do_assign, do_dispatch
from fangkong.pushlists.tests.conftest import NOW, id_number, item, write_csv


def _person_in_b_pushed_to_a(district, import_file, tmp_path):
    """An earlier list put the person in township B; a later one routes their row to township A."""
    first = import_file(write_csv(tmp_path / "first.csv", [["钱七", id_number(7), "", "", "", "新习镇", ""]]))
    second = import_file(
        write_csv(tmp_path / "second.csv", [["钱七", id_number(7), "", "南京", "", "王助镇", ""]])
    )
    person = item(first, "钱七").person
    pushed = item(second, "钱七")
    assert person is not None and person.region == district.township_b
    assert pushed.region == district.township_a and pushed.person == person
    return pushed


def test_dispatching_to_a_village_leaves_a_person_of_another_township_where_they_are(
    district, import_file, tmp_path, cadre_a
):
    pushed = _person_in_b_pushed_to_a(district, import_file, tmp_path)

    assert do_dispatch(cadre_a, [pushed], district.village_a, NOW) == 1

    pushed.refresh_from_db()
    assert pushed.region == district.village_a
    assert pushed.person is not None
    pushed.person.refresh_from_db()
    assert pushed.person.region == district.township_b


def test_assigning_to_a_grid_worker_leaves_a_person_of_another_township_where_they_are(
    district, import_file, tmp_path, cadre_a, grid_worker_a
):
    pushed = _person_in_b_pushed_to_a(district, import_file, tmp_path)

    assert do_assign(cadre_a, [pushed], grid_worker_a, NOW) == 1

    pushed.refresh_from_db()
    assert pushed.region == district.grid_a
    assert pushed.person is not None
    pushed.person.refresh_from_db()
    assert pushed.person.region == district.township_b


def test_the_command_office_still_settles_a_person_it_holds(district, import_file, tmp_path, command_user):
    pushed = _person_in_b_pushed_to_a(district, import_file, tmp_path)

    do_dispatch(command_user, [pushed], district.village_a, NOW)

    assert pushed.person is not None
    pushed.person.refresh_from_db()
    assert pushed.person.region == district.village_a
