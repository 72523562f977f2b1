"""A venue's status on a day is set by the notice issued last among those covering it; open without one."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from fangkong.lib.reporting_day import SHANGHAI
from fangkong.venues.actions import do_issue_venue_notice, do_register_venue
from fangkong.venues.models import Venue
from fangkong.venues.status import statuses_on

NOW = datetime.datetime(2021, 8, 10, 9, 0, tzinfo=SHANGHAI)


def notice(actor, status, starts, ends=None, kinds=("internet_cafe", "ktv"), percent=None, at=NOW):
    return do_issue_venue_notice(
        actor,
        number="开区防指〔2021〕5号",
        title="关于暂停营业的通知",
        kinds=list(kinds),
        status=status,
        capacity_percent=percent,
        starts_on=starts,
        ends_on=ends,
        now=at,
    )


def test_status_by_day_follows_the_notices(district, command_user, cadre_a):
    cafe = do_register_venue(cadre_a, region=district.village_a, kind="internet_cafe", name="星空网吧")
    pool = do_register_venue(cadre_a, region=district.village_a, kind="swimming", name="游泳馆")
    b_ktv = do_register_venue(command_user, region=district.village_b, kind="ktv", name="乙镇KTV")
    notice(command_user, "closed", datetime.date(2021, 8, 11), datetime.date(2021, 8, 20))
    notice(cadre_a, "limited", datetime.date(2021, 8, 15), percent=50, at=NOW + datetime.timedelta(hours=1))
    venues = list(Venue.objects.select_related("region"))
    s = statuses_on(venues, datetime.date(2021, 8, 10))
    assert s[cafe.pk].status == "open"
    s = statuses_on(venues, datetime.date(2021, 8, 12))
    assert (s[cafe.pk].status, s[pool.pk].status, s[b_ktv.pk].status) == ("closed", "open", "closed")
    s = statuses_on(venues, datetime.date(2021, 8, 16))  # 王助镇's later notice limits its own venues only
    assert (s[cafe.pk].status, s[cafe.pk].capacity_percent) == ("limited", 50)
    assert s[b_ktv.pk].status == "closed"
    s = statuses_on(venues, datetime.date(2021, 8, 25))
    assert s[b_ktv.pk].status == "open" and s[cafe.pk].status == "limited"


def test_a_limit_needs_a_percentage(district, cadre_a):
    with pytest.raises(ValidationError) as exc:
        notice(cadre_a, "limited", datetime.date(2021, 8, 11))
    assert "capacity_percent" in exc.value.message_dict
    with pytest.raises(ValidationError):
        notice(cadre_a, "closed", datetime.date(2021, 8, 11), datetime.date(2021, 8, 1))


def test_the_venue_page_is_scoped(district, cadre_a, cadre_b, client_for):
    do_register_venue(cadre_a, region=district.village_a, kind="ktv", name="甲镇KTV")
    do_register_venue(cadre_b, region=district.village_b, kind="ktv", name="乙镇KTV")
    body = client_for(cadre_a).get(reverse("venues:home")).content.decode()
    assert "甲镇KTV" in body and "乙镇KTV" not in body
    with pytest.raises(ValidationError):
        do_register_venue(cadre_a, region=district.village_b, kind="ktv", name="越界")
    assert timezone.now()
