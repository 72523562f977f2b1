"""Issue 4, the daily report, in a real browser: before 12:00 township A files the day's report with the
figures prefilled from the records, township B files a zero report, a third township stays silent; the
12:00 sweep runs; the command office sees the late unit and its accountability record, decides it, then
generates the day's briefing and downloads it as DOCX and PDF.

The clock of this process (Django and the live server's thread) travels to 09:30 and later 12:30 Beijing time
of today with time-machine; Chromium keeps its own clock, which only matters for cookies that live for weeks."""

from __future__ import annotations

import datetime
import io
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import docx
import pytest
import time_machine
from playwright.sync_api import Page, expect

from conftest import make_region, make_user
from fangkong.accounts.permissions import Role
from fangkong.regions.models import Level, Region
from fangkong.reporting.actions import do_deadline_sweep
from fangkong.reporting.models import AccountabilityRecord, AccountabilityState, DailyReport, Decision
from fangkong.screening.models import Channel
from fangkong.screening.tests.helpers import register
from fangkong.tests.browser import log_in, no_horizontal_overflow, shot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("migration_seeds"),
]

BJ = ZoneInfo("Asia/Shanghai")
DAY = datetime.datetime.now(BJ).date()


def bj(hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(DAY.year, DAY.month, DAY.day, hour, minute, tzinfo=BJ)


def download(page: Page, name: str, tmp_path: Path) -> bytes:
    with page.expect_download() as info:
        page.get_by_role("link", name=name, exact=True).first.click()
    target = tmp_path / info.value.suggested_filename
    info.value.save_as(target)
    return target.read_bytes()


def test_a_day_of_daily_reports_ends_in_accountability_and_the_briefing(
    live_server, district, command_user, cadre_a, cadre_b, new_context, tmp_path
):
    township_c = make_region("410972102", "胡状镇", Level.TOWNSHIP, district.county)
    make_user("huzhuang", Role.TOWNSHIP_CADRE, township_c)
    # The units have reported since before today (a unit is accountable from the day after it is created).
    Region.objects.update(created_at=bj(0) - datetime.timedelta(days=7))
    base = live_server.url

    with time_machine.travel(bj(9, 30), tick=True):
        register(district.grid_a, channel=Channel.GRID)  # one returnee registered today in township A
        # 消杀面积 is the field-work figure since issue 17: township A disinfected its market, 1200 m², today.
        from fangkong.fieldwork.actions import do_create_place, do_record_disinfection
        from fangkong.fieldwork.tests.helpers import disinfection

        wangzhu = make_user("wangzhu-field", Role.TOWNSHIP_CADRE, district.township_a)
        market = do_create_place(
            wangzhu, region=district.village_a, kind="market", name="集贸市场", now=bj(9)
        )
        do_record_disinfection(wangzhu, market, disinfection(bj(8), area=1200), now=bj(9))

        a = new_context().new_page()
        log_in(a, base, "wangzhu")
        a.goto(f"{base}/reports/file/")
        registered = a.get_by_label(re.compile("^中高风险地区返濮人员排查数"))
        expect(registered).to_have_value("1")
        expect(a.locator("label", has_text="中高风险地区返濮人员排查数")).to_contain_text("系统数据")
        # 集中隔离人数 is the control app's figure now; 消杀面积 the field-work figure (issue 17), typed as it is.
        expect(a.locator("label", has_text="集中隔离人数")).to_contain_text("系统数据")
        a.get_by_label(re.compile("^消杀面积")).fill("1200")
        for figure in a.get_by_role("spinbutton").all():  # the rest: nothing today
            if not figure.input_value():
                figure.fill("0")
        shot(a, "reporting-file-desktop")
        a.get_by_role("button", name="提交报告").click()
        expect(a.get_by_role("alert")).to_contain_text(f"已上报{DAY.year}年{DAY.month}月{DAY.day}日的日报")

        b = new_context(phone=True).new_page()
        log_in(b, base, "xinxi")
        b.goto(f"{base}/reports/file/")
        shot(b, "reporting-file-phone")
        no_horizontal_overflow(b)
        zero = b.get_by_role("button", name="无情况：提交零报告")
        zero.scroll_into_view_if_needed()
        expect(zero).to_be_in_viewport()
        zero.click()
        expect(b.get_by_role("alert")).to_contain_text(f"已上报{DAY.year}年{DAY.month}月{DAY.day}日的零报告")

    do_deadline_sweep(bj(12, 1))
    report_a = DailyReport.objects.get(region=district.township_a, day=DAY)
    assert not report_a.is_zero and report_a.first_submitted_at is not None
    assert DailyReport.objects.get(region=district.township_b, day=DAY).is_zero

    with time_machine.travel(bj(12, 30), tick=True):
        office = new_context().new_page()
        log_in(office, base, "zhihuibu")
        office.goto(f"{base}/reports/completeness/")
        # 胡状镇 and the two villages never filed: overdue (逾期未报), not late and not received.
        expect(office.get_by_test_id("overdue-total")).to_have_text("3")
        expect(office.get_by_test_id("late-total")).to_have_text("0")
        badge = office.locator("li", has_text="胡状镇").locator("[data-status=overdue]")
        expect(badge).to_have_text("逾期未报")
        shot(office, "reporting-completeness-desktop")

        office.goto(f"{base}/reports/accountability/?state=open")
        office.get_by_role("link", name="胡状镇").click()
        expect(office.get_by_test_id("state")).to_have_text("待说明")
        office.get_by_label("处理决定", exact=True).select_option(label="通报批评")
        office.get_by_label("决定说明").fill("未按时报送，予以通报批评")
        office.get_by_role("button", name="记录处理决定").click()
        expect(office.get_by_test_id("state")).to_have_text("已决定")
        shot(office, "reporting-accountability-desktop")
        record = AccountabilityRecord.objects.get(region=township_c, day=DAY)
        assert (record.state, record.decision) == (AccountabilityState.DECIDED, Decision.CRITICISM)
        assert not AccountabilityRecord.objects.filter(
            region__in=[district.township_a, district.township_b]
        ).exists()

        office.goto(f"{base}/briefings/day/{DAY.isoformat()}/")
        expect(office.get_by_test_id("no-versions")).to_be_visible()
        expect(office.get_by_test_id("late")).to_contain_text("胡状镇")
        office.get_by_role("button", name="立即生成").click()
        expect(office.get_by_test_id("versions")).to_contain_text(
            "v1", timeout=45_000
        )  # DOCX + PDF take a while
        expect(office.get_by_test_id("issue-no")).to_be_visible()
        shot(office, "briefing-day-desktop")

        document = docx.Document(io.BytesIO(download(office, "DOCX", tmp_path)))
        text = "\n".join(p.text for p in document.paragraphs) + "\n".join(
            cell.text for table in document.tables for row in table.rows for cell in row.cells
        )
        assert "疫情防控工作日报" in text
        assert "王助镇" in text and "胡状镇" in text
        assert download(office, "PDF", tmp_path).startswith(b"%PDF")

        phone = new_context(phone=True).new_page()
        log_in(phone, base, "zhihuibu")
        phone.goto(f"{base}/briefings/day/{DAY.isoformat()}/")
        shot(phone, "briefing-day-phone")
        no_horizontal_overflow(phone)
