"""Issue 16, in a real browser: the command office's home page at 09:00, 11:59 and 12:01 Beijing time shows today's
reporting and each module's figures (loaded by htmx); a figure links to its list; the grouped menu opens on a
desktop and on a phone; the bell's urgent count goes when the urgent report is acknowledged."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from playwright.sync_api import expect

from fangkong.reporting.actions import do_send_urgent
from fangkong.reporting.models import UrgentKind
from fangkong.tests.browser import log_in, no_horizontal_overflow, shot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("migration_seeds"),
]

BJ = ZoneInfo("Asia/Shanghai")
TODAY = datetime.datetime.now(BJ).date()


def at(hour: int, minute: int) -> datetime.datetime:
    return datetime.datetime.combine(TODAY, datetime.time(hour, minute), tzinfo=BJ)


@pytest.mark.parametrize(
    "hour, minute, card", [(9, 0, "today-pending"), (11, 59, "today-pending"), (12, 1, "today-missing")]
)
def test_the_command_office_sees_today_before_and_after_noon(
    live_server, district, command_user, new_context, hour, minute, card
):
    page = new_context().new_page()
    with time_machine.travel(at(hour, minute), tick=True):
        log_in(page, live_server.url, "zhihuibu")
        page.goto(f"{live_server.url}/")
        expect(page.get_by_test_id(card)).to_be_visible()
        # Each module's section arrives by itself, with its figures and their 7-day lines.
        control = page.get_by_test_id("today-control")
        expect(control.get_by_test_id("figure-control.central_isolation")).to_have_text("0")
        expect(control.locator("svg.fk-spark")).not_to_have_count(0)
        control.get_by_role("link", name="集中隔离").click()
        expect(page).to_have_url(f"{live_server.url}/control/orders/")


@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
def test_the_grouped_menu_and_the_bell(live_server, district, command_user, cadre_a, new_context, phone):
    page = new_context(phone=phone).new_page()
    with time_machine.travel(at(10, 0), tick=True):
        report = do_send_urgent(
            cadre_a, district.township_a, UrgentKind.ABNORMAL, "某村发现发热人员", now=at(10, 0)
        )
        log_in(page, live_server.url, "zhihuibu")
        page.goto(f"{live_server.url}/")
        expect(page.get_by_test_id("today-urgent")).to_have_text("1")
        if not phone:  # on a phone the bell shows its count only; the urgent link is on the home page
            expect(page.get_by_test_id("bell-urgent")).to_be_visible()
        if phone:
            page.get_by_role("button", name="菜单").click()
        menu = page.get_by_role("navigation", name="主菜单")
        menu.get_by_role("button", name="管控检测").click()
        menu.get_by_role("link", name="核酸检测", exact=True).click()
        expect(page).to_have_url(f"{live_server.url}/testing/")
        no_horizontal_overflow(page)
        shot(page, f"today-menu-{'phone' if phone else 'desktop'}")

        page.goto(f"{live_server.url}/reports/urgent/{report.uuid}/")
        page.get_by_role("button", name="签收").click()
        page.goto(f"{live_server.url}/")
        expect(page.get_by_test_id("today-urgent")).to_have_text("0")
        expect(page.get_by_test_id("bell-slot")).not_to_contain_text("待签收")


def test_a_dashboard_drills_down_and_back(live_server, district, command_user, new_context):
    page = new_context().new_page()
    log_in(page, live_server.url, "zhihuibu")
    page.goto(f"{live_server.url}/")
    page.get_by_test_id("dashboard-link-screening").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(district.county.name)
    expect(page.locator("#dashboard-units canvas")).to_have_count(1)  # ECharts drew the chart
    page.get_by_test_id("dashboard-units").get_by_role("link", name=district.township_a.name).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(district.township_a.name)
    page.get_by_test_id("dashboard-units").get_by_role("link", name=district.village_a.name).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(district.village_a.name)
    page.get_by_test_id("dashboard-trail").get_by_role("link", name=district.county.name).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(district.county.name)
    no_horizontal_overflow(page)
