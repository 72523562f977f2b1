"""Issue 19: the login, the public self-report, the grid report and the push-item verify forms can be filled and
sent with the keyboard alone — Tab to move, typing, Space for radios and checkboxes, arrows for radios and selects,
Enter to send. No click, no fill(): every field is reached by Tab from the top of the page, through the skip link."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from conftest import make_user
from fangkong.accounts.models import User
from fangkong.accounts.permissions import Role
from fangkong.pushlists.actions import do_import_push_list
from fangkong.pushlists.models import Outcome, PushItem
from fangkong.pushlists.tests.conftest import id_number, write_csv
from fangkong.screening.models import Channel, ReturneeReport
from fangkong.screening.tests.helpers import valid_id
from fangkong.tests.browser import shot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("migration_seeds"),
]

MAX_TABS = 60


def focused(page: Page) -> str:
    """The focused element as `tag#id` (or its text), to say where the keyboard is."""
    return str(
        page.evaluate(
            "() => { const e = document.activeElement;"
            " return e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + ' ' + (e.textContent || '').trim(); }"
        )
    )


def tab_to(page: Page, selector: str) -> None:
    """Press Tab until `selector` has the focus; fail if Tab never reaches it."""
    for _ in range(MAX_TABS):
        if page.evaluate("(s) => document.activeElement && document.activeElement.matches(s)", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {selector}; the focus is on {focused(page)}")


def skip_to_content(page: Page) -> None:
    """The first Tab stop is the skip link; Enter moves the focus to the page's content."""
    page.keyboard.press("Tab")
    expect(page.locator(".fk-skip-link")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()


def type_into(page: Page, selector: str, text: str) -> None:
    tab_to(page, selector)
    page.keyboard.type(text)


def log_in_by_keyboard(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    # The login page puts the focus in the username field (autofocus): no skip link needed.
    expect(page.locator("#id_username")).to_be_focused()
    type_into(page, "#id_username", username)
    type_into(page, "#id_password", "pw-" + username)
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("whoami")).to_contain_text(username)


def fill_returnee_by_keyboard(page: Page, document: str) -> None:
    type_into(page, "#id_name", "键盘申报")
    type_into(page, "#id_document_number", document)
    type_into(page, "#id_phone", "13900006666")
    type_into(page, "#id_origin_province", "江苏省")
    type_into(page, "#id_origin_city", "南京市")
    # A radio group is one Tab stop: Space picks the focused radio, the arrows move between them.
    tab_to(page, "input[name=status]")
    page.keyboard.press("Space")
    expect(page.locator("#id_status_0")).to_be_checked()
    page.keyboard.press("ArrowRight")
    expect(page.locator("#id_status_1")).to_be_checked()
    page.keyboard.press("ArrowLeft")
    expect(page.locator("#id_status_0")).to_be_checked()
    # A date input is three segments laid out in the browser's own UI language (Debian's Chromium: month, day,
    # year); a typed separator moves to the next segment. (Tab would leave the input: typing "2021", Tab, "08"
    # stores year 1 — how a return in year 6 reached the server before dates were checked.)
    tab_to(page, "#id_return_date")
    today = timezone.localdate()
    page.keyboard.type(f"{today:%m}/{today:%d}/{today:%Y}")
    expect(page.locator("#id_return_date")).to_have_value(today.isoformat())
    # A select changes with the arrow keys while it is closed.
    tab_to(page, "#id_transport_mode")
    before = page.locator("#id_transport_mode").input_value()
    page.keyboard.press("ArrowDown")
    assert page.locator("#id_transport_mode").input_value() != before
    tab_to(page, "#id_transport_number")
    page.keyboard.type("G1234")
    tab_to(page, "#id_close_contact")
    page.keyboard.press("Space")
    expect(page.locator("#id_close_contact")).to_be_checked()


def test_logging_in_with_the_keyboard_alone(live_server, command_user, new_context):
    page = new_context().new_page()
    log_in_by_keyboard(page, live_server.url, "zhihuibu")

    # A wrong password comes back with the error summary focused, so it is read out first.
    other = new_context().new_page()
    other.goto(f"{live_server.url}/accounts/login/")
    type_into(other, "#id_username", "zhihuibu")
    type_into(other, "#id_password", "wrong")
    other.keyboard.press("Enter")
    expect(other.get_by_test_id("error-summary")).to_be_focused()


def test_a_returnee_reports_themself_with_the_keyboard_alone(live_server, district, new_context):
    page = new_context(phone=True).new_page()
    page.goto(f"{live_server.url}/screening/r/{district.village_a.code}/")
    page.locator("body").focus()
    skip_to_content(page)

    # Enter in an empty form sends it; the errors come back in a focused summary that links to the fields.
    tab_to(page, "#id_name")
    page.keyboard.press("Enter")
    summary = page.get_by_test_id("error-summary")
    expect(summary).to_be_focused()
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # the summary's first link: to the name field
    expect(page.locator("#id_name")).to_be_focused()

    fill_returnee_by_keyboard(page, valid_id(61))
    tab_to(page, "button[type=submit]")
    shot(page, "keyboard-self-report-phone")
    page.keyboard.press("Enter")

    expect(page.get_by_test_id("receipt")).to_be_visible()
    report = ReturneeReport.objects.get()
    assert report.channel == Channel.SELF and report.close_contact and report.person.name == "键盘申报"


def test_a_grid_worker_files_a_grid_report_with_the_keyboard_alone(live_server, district, new_context):
    make_user("wangzhu-grid", Role.GRID_WORKER, district.grid_a)
    page = new_context(phone=True).new_page()
    log_in_by_keyboard(page, live_server.url, "wangzhu-grid")
    page.goto(f"{live_server.url}/screening/returnees/new")
    page.locator("body").focus()
    skip_to_content(page)

    tab_to(page, "#id_region")
    if not page.locator("#id_region").input_value():
        page.keyboard.press("ArrowDown")
    assert page.locator("#id_region").input_value()
    fill_returnee_by_keyboard(page, valid_id(62))
    tab_to(page, "button[type=submit]")
    page.keyboard.press("Enter")

    expect(page.get_by_text("缺自主申报")).to_be_visible()
    assert ReturneeReport.objects.get().channel == Channel.GRID


def import_rows(rows: list[tuple[str, int]], district: Any) -> None:
    """Push-list rows (name, ID sequence) for township A, imported by the command office."""
    lines = [[name, id_number(n), "", "南京", "2021-08-01", district.township_a.name, ""] for name, n in rows]
    with tempfile.TemporaryDirectory() as tmp:
        do_import_push_list(
            User.objects.get(username="zhihuibu"), write_csv(Path(tmp) / "k.csv", lines), "k", timezone.now()
        )


def test_a_push_item_is_verified_with_the_keyboard_alone(live_server, district, command_user, new_context):
    make_user("wangzhu", Role.TOWNSHIP_CADRE, district.township_a)
    import_rows([("键盘推送", 71)], district)
    item = PushItem.objects.get(name="键盘推送")

    page = new_context(phone=True).new_page()
    log_in_by_keyboard(page, live_server.url, "wangzhu")
    page.goto(f"{live_server.url}/push-lists/items/{item.uuid}/")
    page.locator("body").focus()
    skip_to_content(page)

    # 找到并管控 without a measure is refused; the error is focused and tied to the measure field.
    tab_to(page, f"button[value={Outcome.NEW_FOUND}]")
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("error-summary")).to_be_focused()
    expect(page.locator("#id_measure_code")).to_have_attribute("aria-invalid", "true")

    tab_to(page, "#id_measure_code")
    page.keyboard.press("ArrowDown")
    assert page.locator("#id_measure_code").input_value()
    # Issue 11: the person enters the registry at a village or grid, which a township cadre names.
    tab_to(page, "#id_person_region")
    page.keyboard.press("ArrowDown")
    assert page.locator("#id_person_region").input_value() == district.village_a.code
    type_into(page, "#id_outcome_note", "已落实")
    tab_to(page, f"button[value={Outcome.NEW_FOUND}]")
    page.keyboard.press("Enter")

    expect(page.locator(".alert-success")).to_be_visible()
    item.refresh_from_db()
    assert item.outcome == Outcome.NEW_FOUND and item.measure_code and item.outcome_note == "已落实"
    assert item.person is not None and item.person.region == district.village_a
