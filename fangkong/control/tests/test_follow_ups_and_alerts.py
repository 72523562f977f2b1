"""Daily follow-up: the grid worker's list (missing first), a fever or symptom alerts the township and the
command office at once and proposes a fever-clinic transfer; missed follow-ups are counted."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError

from conftest import make_user
from fangkong.accounts.permissions import Role
from fangkong.control import figures
from fangkong.control.actions import do_record_follow_up
from fangkong.control.models import FollowUp, PlaceType
from fangkong.control.tests.helpers import at, start
from fangkong.reporting.models import Notification, UrgentReport

D = datetime.date
TODAY = D(2021, 8, 20)  # an order started 08-10 on 居家隔离 7+7 is in home isolation (2 a day)


def test_a_fever_alerts_the_township_and_the_command_office(district, grid_worker_a, cadre_a, command_user):
    order = start(district.grid_a, D(2021, 8, 15), "2021-7-7")
    follow_up = do_record_follow_up(
        grid_worker_a, order, temperature="37.8", symptoms=[], at_home=True, now=at(TODAY)
    )
    assert follow_up.alert
    report = UrgentReport.objects.get()
    assert report.region == district.township_a and str(order.uuid) in report.text
    assert command_user.username in " ".join(report.notified) or report.notified
    assert Notification.objects.filter(user=cadre_a, link__contains=str(order.uuid)).exists()
    assert order.transfers.filter(to_place=PlaceType.FEVER_CLINIC, proposed=True).count() == 1


def test_a_symptom_alone_alerts_and_a_normal_follow_up_does_not(district, grid_worker_a):
    order = start(district.grid_a, D(2021, 8, 15), "2021-7-7")
    assert not do_record_follow_up(
        grid_worker_a, order, temperature="37.2", symptoms=[], at_home=True, now=at(TODAY)
    ).alert
    assert do_record_follow_up(
        grid_worker_a, order, temperature="36.5", symptoms=["cough"], at_home=True, now=at(TODAY)
    ).alert
    assert UrgentReport.objects.count() == 1


@pytest.mark.parametrize("bad", ["", "abc", "50", "30.0"])
def test_an_impossible_temperature_is_refused(district, grid_worker_a, bad):
    order = start(district.grid_a, D(2021, 8, 15), "2021-7-7")
    with pytest.raises(ValidationError) as exc:
        do_record_follow_up(grid_worker_a, order, temperature=bad, symptoms=[], at_home=True, now=at(TODAY))
    assert "temperature" in exc.value.message_dict
    assert not FollowUp.objects.exists()


def test_missed_follow_ups_are_counted_per_unit(district, grid_worker_a):
    home = start(district.grid_a, D(2021, 8, 15), "2021-7-7", name="甲")  # home isolation: 2 a day
    start(district.grid_b, D(2021, 8, 15), "2021-monitoring-7", name="乙")  # monitoring: 1 a day
    start(district.grid_a, D(2021, 8, 20), name="丙")  # central isolation: none asked
    do_record_follow_up(grid_worker_a, home, temperature="36.5", symptoms=[], at_home=True, now=at(TODAY))
    end = at(TODAY, 23, 59)
    assert figures.follow_ups_missed(district.township_a, TODAY, end) == 1
    assert figures.follow_ups_missed(district.township_b, TODAY, end) == 1
    assert figures.follow_ups_missed(district.county, TODAY, end) == 2
    assert figures.follow_ups_done(district.county, TODAY, end) == 1


def test_the_grid_page_lists_missing_follow_ups_first(district, grid_worker_a, client_for):
    done = start(district.grid_a, D(2021, 8, 15), "2021-monitoring-7", name="已随访")
    start(district.grid_a, D(2021, 8, 15), "2021-monitoring-7", name="未随访")
    start(district.grid_b, D(2021, 8, 15), "2021-monitoring-7", name="乙镇人")
    make_user("grid-a2", Role.GRID_WORKER, district.grid_a2)
    with time_machine.travel(at(TODAY), tick=False):
        do_record_follow_up(grid_worker_a, done, temperature="36.5", symptoms=[], at_home=True, now=at(TODAY))
        page = client_for(grid_worker_a).get("/control/follow-ups/").content.decode()
    assert page.index("未随访") < page.index("已随访")
    assert "乙镇人" not in page


def test_one_tap_records_from_the_list(district, grid_worker_a, client_for):
    order = start(district.grid_a, D(2021, 8, 15), "2021-monitoring-7")
    with time_machine.travel(at(TODAY), tick=False):
        response = client_for(grid_worker_a).post(
            f"/control/orders/{order.uuid}/follow-up",
            {"temperature": "37.8", "next": "list", "at_home": "on"},
        )
    assert response.status_code == 302 and response["Location"] == "/control/follow-ups/"
    assert FollowUp.objects.get().alert


def test_the_list_comes_a_page_at_a_time_missing_first_with_the_whole_count(
    district, grid_worker_a, command_user, client_for
):
    orders = [
        start(
            district.grid_a if i % 2 else district.grid_b,
            D(2021, 8, 15),
            "2021-monitoring-7",
            name=f"人{i:02d}",
        )
        for i in range(55)
    ]
    with time_machine.travel(at(TODAY), tick=False):
        do_record_follow_up(
            grid_worker_a, orders[1], temperature="36.5", symptoms=[], at_home=True, now=at(TODAY)
        )
        client = client_for(command_user)
        first = client.get("/control/follow-ups/").content.decode()
        second = client.get("/control/follow-ups/?page=2").content.decode()
    assert first.count('data-testid="follow-up"') == 50 and second.count('data-testid="follow-up"') == 5
    # The one done comes last, on the second page; the count of what is missing covers every page.
    assert "人01" in second and "人01" not in first
    # 健康监测 asks one follow-up a day of each of the 55; one is done.
    assert "还有 54 次随访未完成。" in first and "还有 54 次随访未完成。" in second
