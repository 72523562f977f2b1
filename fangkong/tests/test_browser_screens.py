"""Issue 9, words and screens, as a person sees them in Chromium: lifting a risk area asks first; the
household counter follows each marked household; select-all on the dispatch list; the returnee list as cards
on a phone; refreshing the self-report receipt sends nothing."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Dialog, expect

from conftest import make_user
from fangkong.accounts.models import User
from fangkong.accounts.permissions import Role
from fangkong.people.models import Household
from fangkong.screening.actions import do_start_campaign
from fangkong.screening.models import Channel, ReturneeReport, RiskArea, RiskLevel
from fangkong.screening.tests.helpers import publish, register, valid_id
from fangkong.tests.browser import log_in, no_horizontal_overflow, shot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("migration_seeds"),
]


def test_lifting_a_risk_area_asks_first(live_server, district, command_user, new_context):
    publish("江苏省南京市江宁区禄口街道", RiskLevel.HIGH, timezone.localdate() - datetime.timedelta(days=3))
    page = new_context().new_page()
    log_in(page, live_server.url, "zhihuibu")
    page.goto(f"{live_server.url}/screening/risk-areas/")
    asked: list[str] = []

    def dismiss(dialog: Dialog) -> None:
        asked.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", dismiss)
    page.get_by_role("button", name="解除").click()
    page.wait_for_timeout(300)
    assert asked and "禄口街道" in asked[0]
    assert RiskArea.objects.get().lifted_on is None

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="解除").click()
    expect(page.get_by_role("alert")).to_contain_text("禄口街道")
    assert RiskArea.objects.get().lifted_on is not None


def test_the_household_counter_follows_each_marked_household(live_server, district, cadre_a, new_context):
    make_user("wangzhu-grid", Role.GRID_WORKER, district.grid_a)
    for n in range(1, 4):
        Household.objects.create(region=district.village_a, number=f"A{n}")
    campaign = do_start_campaign(
        cadre_a,
        region=district.village_a,
        name="排查",
        started_on=timezone.localdate() - datetime.timedelta(days=1),
    )
    page = new_context(phone=True).new_page()
    log_in(page, live_server.url, "wangzhu-grid")
    page.goto(f"{live_server.url}/screening/campaigns/{campaign.uuid}/")
    progress = page.get_by_test_id("progress")
    expect(progress).to_have_text("已走访 0 户，共 3 户")

    page.get_by_role("button", name="已走访").first.click()
    expect(progress).to_have_text("已走访 1 户，共 3 户")
    page.get_by_role("button", name="已走访").first.click()
    expect(progress).to_have_text("已走访 2 户，共 3 户")
    expect(page.get_by_role("progressbar")).to_have_attribute("aria-valuenow", "67")
    shot(page, "screens-campaign-counter-phone")


def test_select_all_ticks_every_item_on_the_page(live_server, district, command_user, cadre_a, new_context):
    from fangkong.tests.test_browser_keyboard import import_rows

    import_rows([("甲一", 81), ("甲二", 82), ("甲三", 83)], district)
    page = new_context().new_page()
    log_in(page, live_server.url, "wangzhu")
    page.goto(f"{live_server.url}/push-lists/items/")
    items = page.locator("input[name=items]")
    expect(items).to_have_count(3)
    page.get_by_label("全选本页").check()
    for n in range(3):
        expect(items.nth(n)).to_be_checked()
    items.first.uncheck()
    assert page.get_by_label("全选本页").evaluate("box => box.indeterminate")
    target = page.get_by_label("将勾选的对象下发给")
    assert target.locator("optgroup[label='王助镇 · 王助村'] option").all_inner_texts() == [
        "王助村",
        "第1网格",
        "第2网格",
    ]
    shot(page, "screens-dispatch-desktop")


def test_the_returnee_list_is_cards_on_a_phone(live_server, district, new_context):
    worker = make_user("wangzhu-grid", Role.GRID_WORKER, district.grid_a)
    register(
        district.grid_a, actor=User.objects.get(pk=worker.pk), name="卡片人", document_number=valid_id(91)
    )
    page = new_context(phone=True).new_page()
    log_in(page, live_server.url, "wangzhu-grid")
    page.goto(f"{live_server.url}/screening/returnees/")
    card = page.get_by_test_id("returnee-cards").get_by_role("listitem").first
    expect(card).to_contain_text("卡片人")
    expect(card).to_contain_text("管控措施")
    expect(card.get_by_text(re.compile("缺自主申报|双报告已完成"))).to_be_in_viewport()
    expect(page.locator("table")).to_be_hidden()
    no_horizontal_overflow(page)
    shot(page, "screens-returnee-cards-phone")


def test_refreshing_the_receipt_sends_nothing(live_server, district, new_context):
    from fangkong.tests.test_browser_screening import fill_returnee

    page = new_context(phone=True).new_page()
    page.goto(f"{live_server.url}/screening/r/{district.village_a.code}/")
    fill_returnee(page, phone="13900005555")
    page.get_by_role("button", name="提交").click()
    receipt = page.get_by_test_id("receipt").inner_text()
    page.reload()
    expect(page.get_by_test_id("receipt")).to_have_text(receipt)
    page.go_back()
    page.go_forward()
    expect(page.get_by_test_id("receipt")).to_have_text(receipt)
    assert ReturneeReport.objects.filter(channel=Channel.SELF).count() == 1


def test_the_rules_table_fits_a_phone_in_english(live_server, district, command_user, new_context):
    context = new_context(phone=True)
    context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page = context.new_page()
    log_in(page, live_server.url, "zhihuibu")
    page.goto(f"{live_server.url}/screening/rules/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Classification rules")
    no_horizontal_overflow(page)
    shot(page, "screens-rules-phone-en")


def test_the_focus_on_the_red_top_bar_is_a_white_outline(live_server, district, command_user, new_context):
    page = new_context().new_page()
    log_in(page, live_server.url, "zhihuibu")
    page.goto(f"{live_server.url}/screening/")
    page.locator("body").focus()
    page.keyboard.press("Tab")  # the skip link
    page.keyboard.press("Tab")  # the brand, on the red
    outline = page.evaluate(
        "() => { const s = getComputedStyle(document.activeElement);"
        " return [document.activeElement.closest('.fk-navbar') !== null, s.outlineColor, s.outlineWidth]; }"
    )
    assert outline == [True, "rgb(255, 255, 255)", "3px"]
