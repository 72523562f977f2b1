"""Issue 18, in a real browser: a cadre opens the filing form at 23:59 and submits it after midnight. Nothing is
filed for the new day behind their back: the page says, in Chinese, that the day the figures were for is over
and its report is missing, keeps the figures typed, and links to today's report. Before midnight the same
form files for its own day and says which day the figures went to. Desktop and phone.

The clock of this process (Django and the live server's thread) travels with time-machine; Chromium keeps its
own clock, which only matters for cookies that live for weeks, so the days are today's and tomorrow's."""

from __future__ import annotations

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from playwright.sync_api import Page, expect

from fangkong.reporting.models import DailyReport
from fangkong.tests.browser import log_in, no_horizontal_overflow, shot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("migration_seeds"),
]

BJ = ZoneInfo("Asia/Shanghai")
DAY = datetime.datetime.now(BJ).date()
NEXT = DAY + datetime.timedelta(days=1)


def at(day: datetime.date, hour: int, minute: int, second: int = 0) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=BJ)


def label(day: datetime.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def fill_figures(page: Page) -> None:
    for figure in page.get_by_role("spinbutton").all():
        figure.fill("1")
    page.get_by_label(re.compile("^核酸检测采样数")).fill("2")  # results cannot outnumber samples
    page.get_by_label(re.compile("^核酸检测阳性数")).fill("0")


@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
def test_a_form_opened_at_23_59_and_sent_after_midnight_says_which_day(
    live_server, district, cadre_a, new_context, phone
):
    base = live_server.url
    page = new_context(phone=phone).new_page()
    suffix = "phone" if phone else "desktop"
    with time_machine.travel(at(DAY, 23, 59), tick=True):
        log_in(page, base, "wangzhu")
        page.goto(f"{base}/reports/file/")
        expect(page.get_by_role("heading", level=1)).to_contain_text(label(DAY))
        fill_figures(page)
        shot(page, f"filing-day-2359-{suffix}")
    with time_machine.travel(at(NEXT, 0, 0, 30), tick=True):
        page.get_by_test_id("submit-report").click()
        error = page.get_by_test_id("day-error")
        expect(error).to_contain_text(f"未保存：{label(DAY)}已于24:00结束")
        expect(error).to_contain_text(f"今天（{label(NEXT)}）的日报请另行上报")
        expect(page.get_by_role("heading", level=1)).to_contain_text(label(DAY))
        expect(page.get_by_role("spinbutton").first).to_have_value("1")  # nothing typed is lost
        shot(page, f"filing-day-after-midnight-{suffix}")
        if phone:
            no_horizontal_overflow(page)
        assert not DailyReport.objects.filter(first_submitted_at__isnull=False).exists()

        page.get_by_role("link", name=f"填报{label(NEXT)}的日报").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text(label(NEXT))
        fill_figures(page)
        page.get_by_test_id("submit-report").click()
        expect(page.get_by_role("alert")).to_contain_text(f"已上报{label(NEXT)}的日报")
        shot(page, f"filing-day-next-filed-{suffix}")
    report = DailyReport.objects.get(region=district.township_a)
    assert report.day == NEXT


def test_a_form_opened_before_noon_and_sent_after_it_files_late_for_its_day(
    live_server, district, cadre_a, new_context
):
    base = live_server.url
    page = new_context().new_page()
    with time_machine.travel(at(DAY, 11, 59), tick=True):
        log_in(page, base, "wangzhu")
        page.goto(f"{base}/reports/file/")
        fill_figures(page)
    with time_machine.travel(at(DAY, 12, 0, 30), tick=True):
        page.get_by_test_id("submit-report").click()
        expect(page.get_by_role("alert")).to_contain_text(
            f"已上报{label(DAY)}的日报。12:00后收到，记为迟报。"
        )
        shot(page, "filing-day-late-desktop")
    assert DailyReport.objects.get(region=district.township_a).day == DAY
