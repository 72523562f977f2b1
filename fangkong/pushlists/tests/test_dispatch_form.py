"""Issue 9: the dispatch form groups grids under their village (one optgroup per village, so "第1网格" is never
ambiguous) and offers select-all."""

from __future__ import annotations

import re

from fangkong.pushlists.views import unit_groups
from fangkong.regions.models import Region


def test_grids_are_grouped_under_their_village(district, batch, command_user, client_for):
    page = client_for(command_user).get("/push-lists/items/").content.decode()
    select = re.search(r'<select[^>]*id="id_target".*?</select>', page, re.S)
    assert select
    groups = dict(re.findall(r'<optgroup label="([^"]*)">(.*?)</optgroup>', select.group(0), re.S))
    assert "王助镇 · 王助村" in groups and "新习镇 · 新习村" in groups
    assert re.findall(r">([^<]+)</option>", groups["王助镇 · 王助村"]) == ["王助村", "第1网格", "第2网格"]
    assert "·· " not in select.group(0)
    assert 'data-fk-select-all="input[name=items]"' in page


def test_a_grid_whose_village_is_not_offered_is_still_labelled_by_it(district):
    groups = unit_groups([Region.objects.select_related("parent").get(pk=district.grid_a.pk)])
    assert groups == [("王助村", [district.grid_a])]
