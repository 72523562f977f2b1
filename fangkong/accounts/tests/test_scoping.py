"""The one jurisdiction filter of the access layer: `within` (a unit's subtree) and `in_unit` (a `?region=` pick)."""

import pytest
from django.http import Http404

from conftest import make_user
from fangkong.accounts.access import in_unit, within
from fangkong.accounts.models import User
from fangkong.accounts.permissions import Role
from fangkong.regions.models import Region


def test_within_holds_the_unit_and_everything_below_it(district):
    codes = set(Region.objects.filter(within(district.village_a, via="")).values_list("code", flat=True))
    assert codes == {district.village_a.code, district.grid_a.code, district.grid_a2.code}


def test_within_follows_a_lookup_to_the_owning_region(district, cadre_a, cadre_b):
    worker = make_user("w", Role.GRID_WORKER, district.grid_a)
    assert set(User.objects.filter(within(district.township_a))) == {cadre_a, worker}
    assert set(User.objects.filter(within(district.village_b))) == set()


def test_within_does_not_take_a_sibling_whose_code_starts_alike(district):
    # Paths end with "/", so 410972100 (王助镇) does not hold 4109721001… of a unit that merely shares digits.
    from conftest import make_region
    from fangkong.regions.models import Level

    twin = make_region("4109721001", "同前缀镇", Level.TOWNSHIP, district.county)
    assert not Region.objects.filter(within(district.township_a, via=""), pk=twin.pk).exists()


def test_in_unit_narrows_to_a_unit_the_user_may_see(district, cadre_a):
    worker = make_user("w", Role.GRID_WORKER, district.grid_a2)
    assert list(in_unit(User.objects.all(), cadre_a, district.grid_a2.code)) == [worker]


@pytest.mark.parametrize("code", ["410972101", "410972101201", "nope", ""])
def test_in_unit_is_404_outside_the_jurisdiction_or_for_no_unit(district, cadre_a, code):
    with pytest.raises(Http404):
        in_unit(User.objects.all(), cadre_a, code)
