"""Issue 3, push lists, in a real browser: the command office uploads a pushed XLSX (two townships, a few bad
rows) and sees it imported and split per township; township A's cadre hands an item to a village and on to a
grid worker; the grid worker verifies it on a phone; the command office downloads the feedback and error files.

In tests huey runs tasks immediately, so the import finishes inside the upload request and the page shows
the finished state at once; the polling bar itself is covered by the pushlists page tests."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import openpyxl
import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from conftest import make_user
from fangkong.accounts.permissions import Role
from fangkong.people.models import Person
from fangkong.pushlists.models import Outcome, PushBatch, PushItem
from fangkong.pushlists.tests.conftest import HEADER, id_number
from fangkong.tests.browser import log_in, no_horizontal_overflow, shot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("migration_seeds"),
]

FAMILY = "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰涛明超"
BAD_ROWS = 3


def pushed_list(path: Path) -> Path:
    """30 good rows (18 for 王助镇, 12 for 新习镇; two with a flagged field) and 3 that identify no one, as the
    big-data office sends them."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["大数据推送名单（测试）"])
    sheet.append(HEADER)
    arrival = timezone.localdate() - datetime.timedelta(days=1)
    for n in range(30):
        township = "王助镇" if n < 18 else "新习"
        name = FAMILY[n % 16] + GIVEN[(n * 7) % 16]
        number, phone = id_number(100 + n), f"139{n:08d}"
        if n == 1:
            phone = "暂无"  # a lead must not be lost for a secondary field: imported, phone flagged
        if n == 2:
            number = number[:17] + ("0" if number[17] != "0" else "1")  # wrong ID beside a valid phone
        sheet.append([name, number, phone, "江苏省南京市", arrival.isoformat(), township, ""])
    sheet.append(["错号甲", "410928199001011230", "暂无", "南京", arrival.isoformat(), "王助镇", ""])
    sheet.append(["", "", "12345", "南京", arrival.isoformat(), "王助镇", ""])
    sheet.append(["错期乙", "无", "无", "南京", "明天下午", "新习镇", ""])
    workbook.save(path)
    return path


def download_xlsx(page: Page, link_name: str, tmp_path: Path) -> list[tuple[object, ...]]:
    with page.expect_download() as info:
        page.get_by_role("link", name=link_name).click()
    target = tmp_path / info.value.suggested_filename
    info.value.save_as(target)
    sheet = openpyxl.load_workbook(target, read_only=True).worksheets[0]
    return list(sheet.iter_rows(values_only=True))


def test_a_push_list_goes_down_to_the_grid_and_its_feedback_comes_back(
    live_server, district, command_user, cadre_a, new_context, tmp_path
):
    make_user("wangzhu-grid", Role.GRID_WORKER, district.grid_a)
    base = live_server.url

    office = new_context().new_page()
    log_in(office, base, "zhihuibu")
    office.goto(f"{base}/push-lists/")
    upload = office.get_by_test_id("upload-form")
    upload.get_by_label("推送名单（CSV 或 XLSX）").set_input_files(pushed_list(tmp_path / "推送名单.xlsx"))
    upload.get_by_label("批次名称").fill("第12批推送")
    upload.get_by_role("button", name="导入").click()

    expect(office.get_by_role("heading", level=1)).to_have_text("第12批推送")
    expect(office.get_by_test_id("import-progress")).to_contain_text("导入完成")
    table = office.get_by_test_id("township-table")
    expect(table.get_by_role("row", name=re.compile("王助镇"))).to_contain_text("18")
    expect(table.get_by_role("row", name=re.compile("新习镇"))).to_contain_text("12")
    shot(office, "pushlists-batch-desktop")
    batch = PushBatch.objects.get()
    assert (batch.rows_imported, batch.rows_error, batch.rows_flagged) == (30, BAD_ROWS, 2)
    expect(office.get_by_test_id("rows-flagged")).to_have_text("2")
    assert not Person.objects.exists()  # an import stores leads, not people

    # Township A's cadre hands the first item to the village, then on to the village's grid worker.
    cadre = new_context().new_page()
    log_in(cadre, base, "wangzhu")
    cadre.goto(f"{base}/push-lists/items/")
    expect(cadre.get_by_text("18 条")).to_be_visible()
    first = PushItem.objects.filter(batch=batch, region=district.township_a).order_by("deadline_at", "id")[0]
    row = cadre.locator(".list-group-item", has_text=first.name).first
    row.get_by_role("checkbox", name="选择").check()
    cadre.get_by_label("将勾选的对象下发给").select_option(label="王助村")
    cadre.get_by_role("button", name="下发").click()
    expect(cadre.get_by_role("alert")).to_contain_text("已下发 1 条")
    row = cadre.locator(".list-group-item", has_text=first.name).first
    expect(row).to_contain_text("王助村")
    row.get_by_role("checkbox", name="选择").check()
    cadre.get_by_label("将勾选的对象下发给").select_option(label="wangzhu-grid (第1网格)")
    cadre.get_by_role("button", name="下发").click()
    expect(cadre.get_by_role("alert")).to_contain_text("已下发 1 条")
    shot(cadre, "pushlists-items-desktop")

    # The grid worker verifies it from a phone.
    phone = new_context(phone=True).new_page()
    log_in(phone, base, "wangzhu-grid")
    phone.goto(f"{base}/push-lists/items/")
    expect(phone.get_by_text("1 条")).to_be_visible()
    shot(phone, "pushlists-items-phone")
    no_horizontal_overflow(phone)
    phone.get_by_role("link", name="核查", exact=True).click()
    expect(phone.get_by_role("heading", level=1)).to_contain_text(first.name)
    phone.get_by_label("备注").fill("已电话核实，本人在外地")
    shot(phone, "pushlists-verify-phone")
    no_horizontal_overflow(phone)
    button = phone.get_by_role("button", name="不在本地居住")
    button.scroll_into_view_if_needed()
    expect(button).to_be_in_viewport()
    button.click()
    expect(phone.get_by_role("alert")).to_contain_text("核查结果已记录")
    first.refresh_from_db()
    assert first.outcome == Outcome.NOT_LOCAL
    assert not Person.objects.exists()  # "not living here" leaves the registry alone

    # The township cadre verifies another item as already screened: the person enters the registry at the
    # village the cadre names. The item with the 暂无 phone shows its flag.
    flagged = PushItem.objects.get(batch=batch, phone="暂无")
    cadre.goto(f"{base}/push-lists/items/{flagged.uuid}/")
    expect(cadre.get_by_test_id("flags")).to_contain_text("暂无")
    expect(cadre.get_by_test_id("match")).to_contain_text("人员库中无匹配人员")
    cadre.get_by_test_id("verify-form").get_by_label("人员所在村（社区）或网格").select_option(label="王助村")
    shot(cadre, "pushlists-verify-flagged-desktop")
    cadre.get_by_role("button", name="前期已排查").click()
    expect(cadre.get_by_role("alert")).to_contain_text("核查结果已记录")
    registered = Person.objects.get()
    assert (registered.name, registered.region, registered.phone) == (flagged.name, district.village_a, "")

    # The command office takes the feedback file and the error file.
    office.reload()
    feedback = download_xlsx(office, "反馈文件（XLSX）", tmp_path)
    header, *rows = feedback
    assert "核查结果" in [str(h) for h in header if h]
    verified = [r for r in rows if first.name in r]
    assert verified and "不在本地居住" in verified[0]
    assert "已电话核实，本人在外地" in verified[0]
    assert len([r for r in rows if r[0] is not None]) >= 30
    errors = download_xlsx(office, "错误文件（XLSX）", tmp_path)
    error_rows = [r for r in errors[1:] if any(r)]
    assert len(error_rows) == BAD_ROWS
    assert first.id_number not in str(errors)  # the error file is masked
