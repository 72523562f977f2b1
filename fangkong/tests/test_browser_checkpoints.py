"""Issue 14 in a real browser: `kakou` on a phone starts a shift with the equipment checklist, registers a green
car with three passengers, a yellow-code driver from a starred city (he appears in screening) and a 37.9 °C
traveller (re-measure, referral); `ducha` records a spot check with an off-post finding; a pharmacy registers a
fever-medicine buyer and the task reaches the grid worker; the command office sees the checkpoint figures in
the daily report's prefill."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from conftest import make_user
from fangkong.accounts.permissions import Role
from fangkong.checkpoints.models import Checkpoint, Referral, SpotCheck
from fangkong.checkpoints.tests.helpers import create_checkpoint
from fangkong.clinics.models import FollowUp
from fangkong.clinics.tests.helpers import create_pharmacy
from fangkong.people.tests.helpers import create_person
from fangkong.screening.models import Channel, ReturneeReport, RiskLevel
from fangkong.screening.tests.helpers import publish, valid_id
from fangkong.tests.browser import log_in, no_horizontal_overflow, shot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("migration_seeds"),
]


def fill_person(
    page: Page, n: int, *, name: str, phone: str = "13900000000", temperature: str = "36.5"
) -> None:
    page.locator(f"#id_t-{n}-name").fill(name)
    page.locator(f"#id_t-{n}-phone").fill(phone)
    page.locator(f"#id_t-{n}-temperature").fill(temperature)


def test_a_day_at_the_checkpoint(live_server, district, cadre_a, command_user, grid_worker_a, new_context):
    base = live_server.url
    kakou = make_user("kakou", Role.CHECKPOINT_STAFF, district.township_a)
    make_user("ducha", Role.INSPECTOR, district.county)
    checkpoint = create_checkpoint(
        cadre_a, district.township_a, staff=[kakou], supervising_unit=district.county
    )
    publish("江苏省南京市江宁区禄口街道", RiskLevel.HIGH, timezone.localdate() - datetime.timedelta(days=2))

    phone = new_context(phone=True).new_page()
    log_in(phone, base, "kakou")
    phone.goto(f"{base}/checkpoints/")
    phone.get_by_role("link", name="上岗（物资检查）").click()
    for item in ["标示牌", "登记本", "值班表", "测温仪"]:
        phone.get_by_label(item).check()
    shot(phone, "cp-01-shift-start")
    phone.get_by_role("button", name="上岗检查").click()
    expect(phone.locator(".alert")).to_contain_text("消毒用品")

    # A green car with its driver and three passengers.
    phone.get_by_test_id("count-4").click()
    phone.get_by_label("车牌号").fill("豫J12345")
    phone.get_by_label(re.compile("^来源地")).fill("河南省郑州市")
    for n, name in enumerate(["司机甲", "乘客乙", "乘客丙", "乘客丁"]):
        fill_person(phone, n, name=name)
    no_horizontal_overflow(phone)
    shot(phone, "cp-02-car-with-passengers")
    phone.get_by_test_id("register-submit").click()
    expect(phone.locator(".alert-success")).to_contain_text("4")

    # A yellow-code driver from a starred city, passed and registered with the grid.
    phone.goto(f"{base}/checkpoints/{checkpoint.uuid}/register?kind=vehicle")
    phone.get_by_label("车牌号").fill("苏A88888")
    phone.get_by_label(re.compile("^来源地")).fill("江苏省南京市江宁区禄口街道")
    phone.get_by_label(re.compile("^目的村")).select_option(label="王助村")
    fill_person(phone, 0, name="黄码司机")
    phone.locator("#id_t-0-document_number").fill(valid_id(88))
    phone.get_by_test_id("health_code-0").get_by_text("黄码").click()
    phone.get_by_label("行程卡带星（*）").check()
    phone.get_by_test_id("disposition-0").get_by_text("放行并推送网格登记").click()
    phone.get_by_test_id("register-submit").click()
    expect(phone.locator(".alert-success")).to_contain_text("高风险")
    report = ReturneeReport.objects.get(person__document_number=valid_id(88))
    assert report.channel == Channel.GRID and report.origin_risk_level == RiskLevel.HIGH

    # A 37.9 °C traveller: first asked to re-measure, then referred.
    phone.get_by_label(re.compile("^来源地")).fill("河南省安阳市")
    fill_person(phone, 0, name="发热旅客", temperature="37.9")
    phone.get_by_test_id("register-submit").click()
    expect(phone.locator("#id_t-0-temperature_again_error")).to_contain_text("复测")
    shot(phone, "cp-03-re-measure")
    phone.locator("#id_t-0-temperature_again").fill("37.8")
    phone.get_by_test_id("disposition-0").get_by_text("转送发热门诊").click()
    phone.get_by_test_id("register-submit").click()
    expect(phone.locator(".alert-success")).to_be_visible()
    assert Referral.objects.get().traveller.name == "发热旅客"

    # The inspector's spot check, with an off-post finding.
    desk = new_context().new_page()
    log_in(desk, base, "ducha")
    desk.goto(f"{base}/checkpoints/{checkpoint.uuid}/")
    desk.get_by_role("link", name="登记督查").click()
    desk.get_by_label(re.compile("^在岗人数")).fill("1")
    desk.get_by_label("人员脱岗").check()
    desk.get_by_role("button", name="登记督查").click()
    expect(desk.get_by_test_id("spot-checks")).to_contain_text("脱岗")
    assert SpotCheck.objects.get().finding_codes() == ["off_post"]
    assert Checkpoint.objects.get().findings_count == 1
    shot(desk, "cp-04-checkpoint-page")

    # A pharmacy registers a fever-medicine buyer; the task reaches the buyer's grid worker.
    buyer = create_person(district.grid_a, "购药人")
    _pharmacy, _yaodian = create_pharmacy(cadre_a, district.village_a, "yaodian")
    ph = new_context(phone=True).new_page()
    log_in(ph, base, "yaodian")
    ph.goto(f"{base}/clinics/")
    ph.get_by_role("link", name="实名购药登记").click()
    ph.get_by_label(re.compile("^姓名")).fill("购药人")
    ph.get_by_label(re.compile("^证件号码")).fill(buyer.document_number)
    ph.get_by_label(re.compile("^药品类别")).select_option(label="退烧药")
    no_horizontal_overflow(ph)
    ph.get_by_role("button", name="登记").click()
    expect(ph.locator(".alert-success")).to_contain_text("wangzhu-grid")
    assert FollowUp.objects.get().assigned_to == grid_worker_a
    grid = new_context(phone=True).new_page()
    log_in(grid, base, "wangzhu-grid")
    grid.goto(f"{base}/clinics/follow-ups/")
    expect(grid.get_by_test_id("follow-up")).to_contain_text("购药人")
    shot(grid, "cp-05-grid-follow-up")

    # The command office's daily report is prefilled with the checkpoint figures.
    office = new_context().new_page()
    log_in(office, base, "zhihuibu")
    office.goto(f"{base}/reports/file/?unit={district.township_a.code}")
    expect(office.get_by_label(re.compile("^在岗卡口数"))).to_have_value("1")
    expect(office.get_by_label(re.compile("^卡口查验人数"))).to_have_value("6")
    shot(office, "cp-06-report-prefill")
