"""Dispatch moves items, never people: a matched person stays where the registry holds them.

(Before issue 11 the import created people at the township and dispatch settled them at the village; now a
person is placed by the verification that says they are here, through the people app's own actions.)"""

from __future__ import annotations

from fangkong.people.actions import do_register_person
from fangkong.pushlists.actions import do_assign, do_dispatch
from fangkong.pushlists.tests.conftest import NOW, id_number, item, write_csv


def _person_in_b_pushed_to_a(district, import_file, tmp_path):
    person, _ = do_register_person(None, name="钱七", region=district.village_b, document_number=id_number(7))
    pushed = item(
        import_file(write_csv(tmp_path / "list.csv", [["钱七", id_number(7), "", "南京", "", "王助镇", ""]])),
        "钱七",
    )
    assert pushed.region == district.township_a and pushed.person == person
    return pushed


def test_dispatching_to_a_village_leaves_the_matched_person_where_they_are(
    district, import_file, tmp_path, cadre_a
):
    pushed = _person_in_b_pushed_to_a(district, import_file, tmp_path)

    assert do_dispatch(cadre_a, [pushed], district.village_a, NOW) == 1

    pushed.refresh_from_db()
    assert pushed.region == district.village_a
    assert pushed.person is not None and pushed.person.region == district.village_b


def test_assigning_to_a_grid_worker_leaves_the_matched_person_where_they_are(
    district, import_file, tmp_path, cadre_a, grid_worker_a
):
    pushed = _person_in_b_pushed_to_a(district, import_file, tmp_path)

    assert do_assign(cadre_a, [pushed], grid_worker_a, NOW) == 1

    pushed.refresh_from_db()
    assert pushed.assigned_to == grid_worker_a
    assert pushed.person is not None and pushed.person.region == district.village_b
