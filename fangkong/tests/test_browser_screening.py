"""Issue 3, screening, in a real browser: the command office publishes a risk area; a returnee from it reports
themself on the public village page from a phone; the grid worker reports the same person; the person's page
then shows 双报告 complete and the origin's risk level."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from conftest import make_user
from fangkong.accounts.permissions import Role
from fangkong.people.models import Person
from fangkong.screening.models import Channel, ReturneeReport, RiskLevel
from fangkong.screening.tests.helpers import valid_id
from fangkong.tests.browser import log_in, no_horizontal_overflow, shot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("migration_seeds"),
]

DOCUMENT = valid_id(77)


def label(text: str) -> re.Pattern[str]:
    """A form label as a person reads it: the text, then the red `*` of a required field or nothing."""
    return re.compile(rf"^{re.escape(text)}( \*)?$")


def fill_returnee(page: Page, *, phone: str) -> None:
    """The 返乡人员登记表 as the person (or the grid worker) fills it: from 禄口街道, returned today by train."""
    page.get_by_label(label("姓名")).fill("赵返乡")
    page.get_by_label(label("证件号码")).fill(DOCUMENT)
    # By id: "Phone" is translated 电话 by the accounts catalogue, which Django merges ahead of
    # screening's 手机号码 (reported to the lead), so the label depends on another app.
    page.locator("#id_phone").fill(phone)
    page.get_by_label(label("来自：省份")).fill("江苏省")
    page.get_by_label(label("市")).fill("南京市")
    page.get_by_label(label("县（区）")).fill("江宁区")
    page.get_by_label(label("乡镇（街道）")).fill("禄口街道")
    page.get_by_label("已返", exact=True).check()
    page.get_by_label(label("返回日期（或预计日期）")).fill(timezone.localdate().isoformat())
    page.get_by_label(label("交通方式")).select_option(label="火车")


def test_a_self_report_and_a_grid_report_make_the_double_report_complete(
    live_server, district, command_user, new_context
):
    make_user("wangzhu-grid", Role.GRID_WORKER, district.grid_a)
    base = live_server.url

    # The command office records the published list of risk areas.
    office = new_context().new_page()
    log_in(office, base, "zhihuibu")
    office.goto(f"{base}/screening/risk-areas/")
    office.get_by_label(label("公布名单")).fill("高风险 江苏省南京市江宁区禄口街道")
    office.get_by_role("button", name="录入名单").click()
    expect(office.get_by_role("row", name=re.compile("禄口街道"))).to_contain_text("高风险")
    shot(office, "screening-risk-areas-desktop")

    # A returnee opens the village link on a phone, without an account.
    phone = new_context(phone=True).new_page()
    phone.goto(f"{base}/screening/r/{district.village_a.code}/")
    expect(phone.get_by_role("heading", level=1)).to_have_text("返乡人员自主申报")
    fill_returnee(phone, phone="13900007777")
    shot(phone, "screening-self-report-phone")
    no_horizontal_overflow(phone)
    submit = phone.get_by_role("button", name="提交")
    submit.scroll_into_view_if_needed()
    expect(submit).to_be_in_viewport()
    submit.click()
    expect(phone.get_by_role("heading", name="申报已收到")).to_be_visible()
    receipt = phone.get_by_test_id("receipt").inner_text()
    assert receipt.strip()

    # The grid worker reports the same person from the field, on a phone.
    grid = new_context(phone=True).new_page()
    log_in(grid, base, "wangzhu-grid")
    grid.goto(f"{base}/screening/returnees/new")
    grid.get_by_label(label("村（社区）或网格")).select_option(label="王助镇 / 王助村 / 第1网格")
    fill_returnee(grid, phone="13900007777")
    no_horizontal_overflow(grid)
    grid.get_by_role("button", name="登记").click()
    expect(grid.get_by_text("双报告已完成")).to_be_visible()
    expect(grid.get_by_text("高风险").first).to_be_visible()
    shot(grid, "screening-returnee-detail-phone")

    # The person's page shows both reports, the complete 双报告 and the origin's risk level.
    grid.get_by_role("link", name="人员档案").click()
    panel = grid.get_by_test_id("screening-panel")
    expect(panel).to_contain_text("双报告已完成")
    expect(panel).to_contain_text(receipt)
    expect(panel).to_contain_text("高风险")
    shot(grid, "screening-person-phone")
    no_horizontal_overflow(grid)

    person = Person.objects.get(document_number=DOCUMENT)
    reports = ReturneeReport.objects.filter(person=person)
    assert {r.channel for r in reports} == {Channel.SELF, Channel.GRID}
    assert {r.origin_risk_level for r in reports} == {RiskLevel.HIGH}

    # The command office sees the same on the person's page, at desktop size.
    office.goto(f"{base}/people/{person.uuid}/")
    expect(office.get_by_test_id("screening-panel")).to_contain_text("双报告已完成")
    shot(office, "screening-person-desktop")
