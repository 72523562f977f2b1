"""Coverage = people with a completed course (or a booster) / the active people of the registry, by band and
group; people who moved away or died leave the denominator (and their doses the numerator)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from fangkong.people.actions import do_deactivate_person, do_update_person
from fangkong.vaccination.actions import do_add_to_key_group, do_set_target
from fangkong.vaccination.coverage import coverage, people_completed, unvaccinated
from fangkong.vaccination.models import AgeBand, KeyGroup, VaccineProduct
from fangkong.vaccination.tests.helpers import give_doses, person_aged

pytestmark = pytest.mark.django_db


def _band(cov, code):
    index = [b.code for b in cov.bands].index(code)
    return cov.total.bands[index]


def test_a_completed_course_counts_and_a_first_dose_does_not(district):
    done = person_aged(district.grid_a, 30)
    half = person_aged(district.grid_a, 31)
    give_doses(done, 2)
    give_doses(half, 1)
    cov = coverage(district.township_a, timezone.localdate())
    adults = _band(cov, "18-59")
    assert (adults.completed, adults.population) == (1, 2)
    assert adults.rate == 50.0


def test_a_one_dose_course_and_a_booster_count_as_complete(district):
    cansino = VaccineProduct.objects.get(course_doses=1)
    single = person_aged(district.grid_a, 40)
    give_doses(single, 1, product=cansino)
    boosted = person_aged(district.grid_a, 41)
    give_doses(boosted, 3)
    assert people_completed(district.township_a, timezone.localdate()) == 2


def test_people_who_moved_away_or_died_are_not_in_the_denominator(district, cadre_a):
    stays = person_aged(district.grid_a, 30)
    moved = person_aged(district.grid_a, 30)
    died = person_aged(district.grid_a, 70)
    moved_in_district = person_aged(district.grid_a, 30)
    give_doses(moved, 2)
    give_doses(died, 2)
    give_doses(moved_in_district, 2)
    do_deactivate_person(cadre_a, moved, "迁出")
    do_deactivate_person(cadre_a, died, "死亡")
    do_update_person(None, moved_in_district, region=district.grid_b)

    cov_a = coverage(district.township_a, timezone.localdate())
    assert (cov_a.total.total.completed, cov_a.total.total.population) == (0, 1)
    assert stays.pk in set(
        unvaccinated(district.township_a, timezone.localdate()).values_list("pk", flat=True)
    )
    cov_b = coverage(district.township_b, timezone.localdate())
    assert (cov_b.total.total.completed, cov_b.total.total.population) == (1, 1)


def test_ages_fall_into_their_bands_and_toddlers_into_none(district):
    today = datetime.date(2021, 8, 10)
    for years in (2, 3, 11, 12, 17, 18, 59, 60, 90):
        person_aged(district.grid_a, years, today=today)
    cov = coverage(district.township_a, today)
    assert [c.population for c in cov.total.bands] == [2, 2, 2, 2]
    assert AgeBand.objects.count() == 4


def test_rows_are_the_child_units_and_roll_up(district):
    give_doses(person_aged(district.grid_a, 30), 2)
    person_aged(district.grid_a2, 30)
    give_doses(person_aged(district.grid_b, 30), 2)
    cov = coverage(district.county, timezone.localdate())
    by_name = {row.region.name: row.total for row in cov.rows}
    assert (by_name["王助镇"].completed, by_name["王助镇"].population) == (1, 2)
    assert (by_name["新习镇"].completed, by_name["新习镇"].population) == (1, 1)
    assert (cov.total.total.completed, cov.total.total.population) == (2, 3)


def test_key_groups_count_their_members(district):
    staff = KeyGroup.objects.get(code="public_staff")
    a = person_aged(district.grid_a, 30)
    b = person_aged(district.grid_a, 35)
    person_aged(district.grid_a, 36)
    do_add_to_key_group(None, staff, a)
    do_add_to_key_group(None, staff, b)
    give_doses(a, 2)
    cov = coverage(district.township_a, timezone.localdate())
    cell = cov.total.groups[[g.code for g in cov.groups].index("public_staff")]
    assert (cell.completed, cell.population) == (1, 2)


def test_a_unit_follows_the_nearest_target_above_it(district, command_user):
    band = AgeBand.objects.get(code="12-17")
    do_set_target(command_user, district.county, band=band, group=None, rate=Decimal("95"))
    do_set_target(command_user, district.township_b, band=band, group=None, rate=Decimal("90"))
    person_aged(district.grid_a, 14)
    cov = coverage(district.county, timezone.localdate())
    targets = {row.region.name: row.bands[1].target for row in cov.rows}
    assert targets == {"王助镇": Decimal("95"), "新习镇": Decimal("90")}
    assert cov.rows[0].bands[1].below_target


def test_doses_after_the_day_do_not_count_yet(district):
    p = person_aged(district.grid_a, 30)
    give_doses(p, 2, first_day=datetime.date(2021, 8, 1))
    assert people_completed(district.township_a, datetime.date(2021, 8, 28)) == 0
    assert people_completed(district.township_a, datetime.date(2021, 8, 29)) == 1
