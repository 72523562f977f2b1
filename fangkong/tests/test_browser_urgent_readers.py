"""Issue 9, in a real browser: checkpoint staff find 专题报送 in the menu and its page offers only what they may
open; a leader told of an escalation opens the urgent report from the notification. Desktop and phone."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from playwright.sync_api import expect

from conftest import make_user
from fangkong.accounts.permissions import Role
from fangkong.reporting.actions import do_escalate_urgent, do_send_urgent
from fangkong.reporting.models import Notification, UrgentKind
from fangkong.tests.browser import log_in, no_horizontal_overflow, shot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("migration_seeds"),
]

BJ = ZoneInfo("Asia/Shanghai")
NOW = datetime.datetime.now(BJ).replace(hour=15, minute=0, second=0, microsecond=0)


@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
def test_checkpoint_staff_find_the_urgent_reports(live_server, district, new_context, phone):
    make_user("kakou", Role.CHECKPOINT_STAFF, district.township_a)
    page = new_context(phone=phone).new_page()
    with time_machine.travel(NOW, tick=True):
        log_in(page, live_server.url, "kakou")
        if phone:
            page.get_by_role("button", name="菜单").click()
        page.get_by_test_id("nav-urgent").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("专题报送")
        subnav = page.get_by_test_id("reporting-subnav")
        expect(subnav.get_by_role("link")).to_have_count(1)
        page.locator("a[href='/reports/urgent/new/']").click()
        expect(page.get_by_role("button", name="立即报送")).to_be_visible()
        shot(page, f"urgent-kakou-{'phone' if phone else 'desktop'}")
        if phone:
            no_horizontal_overflow(page)


def test_a_leader_opens_an_escalated_report_from_the_notification(
    live_server, district, cadre_a, command_user, new_context
):
    make_user("lingdao", Role.LEADER, district.county)
    do_send_urgent(cadre_a, district.township_a, UrgentKind.ABNORMAL, "王助村发现一名发热病人", now=NOW)
    do_escalate_urgent(NOW + datetime.timedelta(minutes=20))
    assert Notification.objects.filter(user__username="lingdao").count() == 1
    page = new_context().new_page()
    with time_machine.travel(NOW + datetime.timedelta(minutes=21), tick=True):
        log_in(page, live_server.url, "lingdao")
        page.goto(f"{live_server.url}/reports/notifications/")
        page.get_by_role("button", name="打开").first.click()
        expect(page.locator("body")).to_contain_text("王助村发现一名发热病人")
        shot(page, "urgent-leader-escalation-desktop")
