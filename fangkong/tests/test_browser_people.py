"""What a person sees and clicks, in Debian's Chromium driven by Playwright.

The issue's walk-through: log in as a township cadre, see only that township's people, search `zs`, open a
person with the ID masked, reveal it, then as the command office find that reveal in the audit log, and
switch the interface to English.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from conftest import make_user
from fangkong.accounts.permissions import Role
from fangkong.people.tests.helpers import create_person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page: Page, base: str, username: str, password: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    expect(page.get_by_test_id("whoami")).to_contain_text(username)


def test_a_cadre_finds_reveals_and_the_command_office_audits(live_server, district, page: Page):
    make_user("wangzhu", Role.TOWNSHIP_CADRE, district.township_a)
    make_user("zhihuibu", Role.COMMAND_OFFICE, district.county)
    zhang = create_person(district.grid_a, "张三")
    create_person(district.grid_a2, "李四")
    create_person(district.grid_b, "张山")
    base = live_server.url

    log_in(page, base, "wangzhu", "pw-wangzhu")
    page.goto(f"{base}/people/")
    rows = page.locator("#people-rows tbody")
    expect(rows).to_contain_text("张三")
    expect(rows).to_contain_text("李四")
    expect(rows).not_to_contain_text("张山")

    page.fill("#id_q", "zs")  # htmx swaps the rows as the user types
    expect(rows).not_to_contain_text("李四")
    expect(rows).to_contain_text("张三")

    rows.get_by_role("link", name="张三").click()
    expect(page.get_by_test_id("document-number")).to_have_text(zhang.masked_document)
    expect(page.locator("body")).not_to_contain_text(zhang.document_number)
    page.get_by_test_id("reveal").click()
    expect(page.get_by_test_id("revealed-document")).to_have_text(zhang.document_number)

    page.get_by_role("button", name="退出登录").click()
    log_in(page, base, "zhihuibu", "pw-zhihuibu")
    page.goto(f"{base}/audit/?action=reveal")
    table = page.get_by_test_id("audit-table")
    expect(table).to_contain_text("wangzhu")
    expect(table).to_contain_text("张三")

    page.get_by_test_id("language-switch").get_by_role("button", name="English").click()
    expect(page.locator("h1")).to_have_text("Audit log")
    expect(page.locator("html")).to_have_attribute("lang", re.compile("en"))


def test_a_grid_worker_registers_a_person_on_a_phone(live_server, district, browser):
    from fangkong.people.models import Person
    from fangkong.people.tests.helpers import new_id

    make_user("wangzhu-grid", Role.GRID_WORKER, district.grid_a)
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, locale="zh-CN", is_mobile=True, has_touch=True
    )
    page = context.new_page()
    base = live_server.url
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", "wangzhu-grid")
    page.fill("#id_password", "pw-wangzhu-grid")
    page.click("button[type=submit]")
    page.goto(f"{base}/people/new")
    number = new_id()
    page.fill("#id_name", "王五")
    page.fill("#id_document_number", "410928199001011230")  # wrong check digit first
    page.select_option("#id_region", label="王助镇 / 王助村 / 第1网格")
    page.click("button[type=submit]")
    expect(page.locator(".invalid-feedback")).to_contain_text("校验位")
    page.fill("#id_document_number", number)
    page.fill("#id_phone", "13900005555")
    page.click("button[type=submit]")
    expect(page.get_by_test_id("person-name")).to_have_text("王五")
    assert Person.objects.get(document_number=number).region == district.grid_a
    context.close()
