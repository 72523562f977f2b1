"""The people counts of the region pages and the home page: right after every change, and without a pass
over the people table on every view."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from fangkong.people.actions import do_deactivate_person, do_update_person
from fangkong.people.models import Person
from fangkong.people.tests.helpers import create_person
from fangkong.regions.queries import people_below, people_counts


def _children(client, code):
    return {c.code: c.people_count for c in client.get(f"/regions/{code}/").context["children"]}


def test_it_counts_the_active_people_of_each_subtree(district):
    create_person(district.grid_a, "甲一")
    create_person(district.grid_a2, "甲二")
    create_person(district.grid_b, "乙一")
    gone = create_person(district.grid_b, "乙二")
    do_deactivate_person(None, gone, "moved away")
    counts = people_counts()
    assert (counts[district.county.code], counts[district.township_a.code]) == (3, 2)
    assert (counts[district.village_a.code], counts[district.grid_a.code], counts[district.grid_b.code]) == (
        2,
        1,
        1,
    )
    assert people_below(district.township_b) == 1


def test_the_counts_follow_a_new_person_a_move_and_a_deactivation(district, command_user, client_for):
    client = client_for(command_user)
    person = create_person(district.grid_a, "甲一")
    assert _children(client, district.county.code)[district.township_a.code] == 1
    create_person(district.grid_a, "甲二")
    assert _children(client, district.county.code)[district.township_a.code] == 2
    do_update_person(None, person, region=district.village_b)
    assert _children(client, district.county.code) == {
        district.township_a.code: 1,
        district.township_b.code: 1,
    }
    do_deactivate_person(None, person, "moved away")
    assert _children(client, district.county.code)[district.township_b.code] == 0


def test_a_second_view_does_not_group_the_people_table(district, command_user, client_for):
    for n in range(3):
        create_person(district.grid_a, f"甲{n}")
    client = client_for(command_user)
    client.get(f"/regions/{district.county.code}/")
    table = Person._meta.db_table
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(f"/regions/{district.county.code}/")
    assert response.status_code == 200
    on_people = [q["sql"] for q in ctx.captured_queries if table in q["sql"]]
    # Only the version probe (the newest person id) reads the people table.
    assert len(on_people) == 1 and "MAX" in on_people[0].upper() and "GROUP BY" not in on_people[0].upper()


def test_the_region_page_runs_a_fixed_number_of_queries(
    district, command_user, client_for, django_assert_max_num_queries
):
    for n in range(3):
        create_person(district.grid_a, f"甲{n}")
    client = client_for(command_user)
    client.get(f"/regions/{district.county.code}/")
    with django_assert_max_num_queries(9):
        client.get(f"/regions/{district.county.code}/")
