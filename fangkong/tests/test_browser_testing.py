"""Issue 13 as people see it in Chromium: jiance opens a point and a round for 王助镇, fills a 10-in-1 pool on a
phone by scanner (barcode, Enter, ID number, Enter) and closes another by hand, imports a lab file with one
positive pool and finds the urgent report and the recall board; the command office sends the untested-reminder
campaign and sees each message and its delivery receipt."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from playwright.sync_api import expect

from conftest import make_user
from fangkong.accounts.permissions import Role
from fangkong.notify.models import Message
from fangkong.people.tests.helpers import create_person
from fangkong.reporting.models import UrgentReport
from fangkong.testing.models import Recall, Tube
from fangkong.tests.browser import log_in, no_horizontal_overflow, shot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("migration_seeds"),
]


def test_a_testing_day_from_point_to_recall(
    live_server, district, command_user, new_context, tmp_path, settings
):
    settings.SMS_BACKEND = "locmem"
    make_user("jiance", Role.TESTING_STAFF, district.county)
    people = [create_person(district.grid_a, f"受检者{i}", phone=f"1370000{i:04d}") for i in range(14)]

    desk = new_context().new_page()
    log_in(desk, live_server.url, "jiance")
    desk.goto(f"{live_server.url}/testing/points/new")
    desk.select_option("#id_region", label="— 王助镇")
    desk.fill("#id_name", "王助镇卫生院采样点")
    desk.fill("#id_address", "卫生院门诊楼前")
    desk.fill("#id_opening_hours", "08:00–12:00")
    desk.get_by_role("button", name="开放采样点").click()
    expect(desk.get_by_role("heading", level=1)).to_contain_text("王助镇卫生院采样点")
    shot(desk, "testing-point-desktop")
    desk.goto(f"{live_server.url}/testing/rounds/new")
    desk.fill("#id_name", "王助镇第一轮全员核酸")
    desk.select_option("#id_units", label="— 王助镇")
    desk.get_by_role("button", name="开始轮次").click()
    expect(desk.get_by_test_id("coverage")).to_contain_text("0 / 应检 14")

    phone = new_context(phone=True).new_page()
    log_in(phone, live_server.url, "jiance")
    phone.goto(f"{live_server.url}/testing/collect")
    # The only open point and the only running round are chosen already; 10-in-1 is the default tube.
    for n, person in enumerate(people[:10]):
        if n == 0:
            phone.fill("#id_barcode", "WZ0001")
            phone.press("#id_barcode", "Enter")  # a scanner's Enter moves to the ID number
        phone.fill("#id_id_number", person.document_number)
        phone.press("#id_id_number", "Enter")
        expect(phone.get_by_test_id("last-sample")).to_contain_text(f"（{n + 1}/10）")
    expect(phone.get_by_test_id("last-sample")).to_contain_text("已满并封管")
    shot(phone, "testing-collect-phone")
    no_horizontal_overflow(phone)
    phone.fill("#id_barcode", "WZ0002")
    phone.press("#id_barcode", "Enter")
    phone.fill("#id_id_number", people[10].document_number)
    phone.press("#id_id_number", "Enter")
    phone.get_by_role("button", name="封管").click()
    assert Tube.objects.get(barcode="WZ0001").status == "closed"
    assert Tube.objects.get(barcode="WZ0002").status == "closed"

    lab = tmp_path / "lab.csv"
    lab.write_text("条码,结果,ORF1ab,N\nWZ0001,阳性,30.1,31.5\nWZ0002,阴性,,\n", encoding="utf-8")
    desk.goto(f"{live_server.url}/testing/results/")
    desk.set_input_files("#id_file", str(lab))
    desk.get_by_role("button", name="导入").click()
    expect(desk.get_by_role("heading", level=1)).to_contain_text("已导入")
    assert UrgentReport.objects.filter(kind="positive_result").exists()
    desk.goto(f"{live_server.url}/testing/recalls/")
    expect(desk.get_by_test_id("recall-row")).to_have_count(10)
    desk.get_by_role("button", name="标记已联系").first.click()
    shot(desk, "testing-recalls-desktop")
    assert Recall.objects.filter(reached_at__isnull=False).count() == 1

    office = new_context().new_page()
    log_in(office, live_server.url, "zhihuibu")
    office.goto(f"{live_server.url}/testing/")
    office.get_by_role("link", name="王助镇第一轮全员核酸").click()
    expect(office.get_by_test_id("coverage")).to_contain_text("11 / 应检 14")
    office.once("dialog", lambda dialog: dialog.accept())
    office.get_by_role("button", name="短信提醒未检人员").click()
    expect(office.get_by_test_id("message-row")).to_have_count(3)
    message = Message.objects.order_by("id").first()
    assert message is not None and message.status == "sent"
    receipt = [
        {"out_id": str(message.uuid), "success": True, "err_code": "DELIVERED", "biz_id": message.provider_id}
    ]
    answer = Client().post(
        f"/notify/receipts/aliyun?secret={settings.SMS_RECEIPT_SECRET}",
        data=json.dumps(receipt),
        content_type="application/json",
    )
    assert answer.json() == {"code": 0, "msg": "成功"}
    office.reload()
    expect(office.get_by_test_id("campaign-counts")).to_contain_text("已送达 1")
    shot(office, "testing-campaign-desktop")
