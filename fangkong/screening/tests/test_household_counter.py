"""Issue 9: after marking a household the counter "已走访 x / y 户" updates without a reload — the htmx answer
carries the counter out of band (hx-swap-oob) next to the marked household."""

from __future__ import annotations

import datetime
import re

from django.urls import reverse
from django.utils import timezone

from fangkong.people.models import Household
from fangkong.screening.actions import do_start_campaign


def test_marking_a_household_sends_the_new_count_out_of_band(district, cadre_a, grid_worker_a, client_for):
    for n in range(1, 4):
        Household.objects.create(region=district.village_a, number=f"A{n}")
    campaign = do_start_campaign(
        cadre_a,
        region=district.village_a,
        name="排查",
        started_on=timezone.localdate() - datetime.timedelta(days=1),
    )
    client = client_for(grid_worker_a)
    page = client.get(reverse("screening:campaign", args=[campaign.uuid])).content.decode()
    assert 'id="campaign-progress"' in page and "已走访 0 户，共 3 户" in page

    household = Household.objects.get(number="A1")
    answer = client.post(
        reverse("screening:household_visit", args=[campaign.uuid, household.uuid]),
        {"visited_on": timezone.localdate().isoformat(), "people_present": 2},
        HTTP_HX_REQUEST="true",
    ).content.decode()

    oob = re.search(r'<div id="campaign-progress" hx-swap-oob="true">(.*?)</div>\s*$', answer, re.S)
    assert oob, answer
    assert 'aria-valuenow="33"' in oob.group(1)
    assert "已走访 1 户，共 3 户" in oob.group(1)
