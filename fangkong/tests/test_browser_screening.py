"""Issue 3, screening, in a real browser: the command office publishes a risk area; a returnee from it reports
themself on the public village page from a phone; the grid worker reports the same person; the person's page
then shows 双报告 complete and the origin's risk level."""

from __future__ import annotations

import io
import re
import subprocess

import pytest
import zxingcpp
from django.utils import timezone
from PIL import Image
from playwright.sync_api import Page, expect

from conftest import make_region, make_user
from fangkong.accounts.permissions import Role
from fangkong.people.models import Person
from fangkong.regions.models import Level
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


def test_the_printed_qr_code_opens_the_village_self_report_form(live_server, district, cadre_a, new_context):
    """Issue 3: cadres print a per-village QR code; a phone scanning it lands on that village's form."""
    base = live_server.url
    cadre = new_context().new_page()
    log_in(cadre, base, "wangzhu")
    cadre.goto(f"{base}/screening/links/")
    expect(cadre.get_by_test_id("self-report-card")).to_have_count(1)  # 王助镇 has one village
    card = cadre.get_by_test_id("self-report-card").first
    expect(card).to_contain_text("王助镇 · 王助村")
    shot(cadre, "screening-links-desktop")

    # What a phone reads off the code as the browser draws it.
    png = card.get_by_role("img", name="王助镇王助村自主申报二维码").screenshot()
    decoded = [barcode.text for barcode in zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))]
    printed = card.get_by_test_id("self-report-url").inner_text().strip()
    assert decoded == [printed]
    assert printed == f"{base}/screening/r/{district.village_a.code}/"

    cadre.emulate_media(media="print")
    expect(cadre.get_by_role("heading", name="自主申报链接")).to_be_hidden()
    shot(cadre, "screening-links-print")

    # A returnee without an account scans it on a phone.
    phone = new_context(phone=True).new_page()
    phone.goto(decoded[0])
    expect(phone.get_by_role("heading", level=1)).to_have_text("返乡人员自主申报")
    expect(phone.get_by_text("王助镇 · 王助村")).to_be_visible()
    expect(phone.get_by_label(label("姓名"))).to_be_editable()
    expect(phone.get_by_role("button", name="提交")).to_be_visible()
    no_horizontal_overflow(phone)


def test_no_printed_qr_card_is_split_across_pages(live_server, district, cadre_a, new_context):
    """Printed on A4, every card (name, QR code, link) stays on one sheet, and nothing but cards is printed."""
    villages = [district.village_a] + [
        make_region(f"4109721002{n:02d}", f"测试{n}村", Level.VILLAGE, district.township_a)
        for n in range(2, 12)
    ]
    base = live_server.url
    cadre = new_context().new_page()
    log_in(cadre, base, "wangzhu")
    cadre.goto(f"{base}/screening/links/")
    expect(cadre.get_by_test_id("self-report-card")).to_have_count(len(villages))
    pdf = cadre.pdf(format="A4", margin={"top": "10mm", "bottom": "10mm", "left": "10mm", "right": "10mm"})
    pages = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True)
    sheets = pages.stdout.decode().split("\f")[:-1]  # pdftotext ends every page with a form feed
    assert len(sheets) > 1, "the test needs cards on more than one sheet"
    for village in villages:
        holding_name = [i for i, text in enumerate(sheets) if f"· {village.name}" in text]
        holding_url = [i for i, text in enumerate(sheets) if f"{village.code}/" in text]  # the URL may wrap
        assert len(holding_name) == 1, (village.name, holding_name)
        assert holding_name == holding_url, (village.name, holding_name, holding_url)
    printed = "".join(sheets)
    assert "退出登录" not in printed  # the navigation bar
    assert "English" not in printed  # the footer's language switch
