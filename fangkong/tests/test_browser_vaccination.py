"""Issue 15 (first half) in a real browser: the command office imports a vaccination export (a background job
with a progress page) and reads coverage by township and age band; the grid worker opens the unvaccinated list
of the grid on a phone and records a reason; the township cadre manages key-group members and sites, and
records supplies in and out until the threshold warning shows."""

from __future__ import annotations

import csv
import io
import re

import pytest
from playwright.sync_api import expect

from fangkong.supplies.tests.helpers import item, warehouse
from fangkong.tests.browser import log_in, no_horizontal_overflow, shot
from fangkong.vaccination.models import KeyGroupMember, MobilisationNote, VaccinationRecord, VaccinationSite
from fangkong.vaccination.tests.helpers import BEIJING, INACTIVATED, person_aged

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("migration_seeds"),
]


def test_import_coverage_and_the_unvaccinated_list(
    live_server, district, command_user, grid_worker_a, new_context, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path
    base = live_server.url
    teen = person_aged(district.grid_a, 14, "王小明")
    waiting = person_aged(district.grid_a, 15, "李小红")
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["姓名", "身份证号", "疫苗名称", "生产企业", "剂次", "接种日期", "接种单位", "疫苗批号"])
    writer.writerow(
        [teen.name, teen.document_number, INACTIVATED, BEIJING, "1", "2021-08-01", "王助镇", "A1"]
    )
    writer.writerow(
        [teen.name, teen.document_number, INACTIVATED, BEIJING, "第二剂", "2021-08-29", "王助镇", "A2"]
    )
    export = tmp_path / "export.csv"
    export.write_bytes(out.getvalue().encode("utf-8-sig"))

    office = new_context().new_page()
    office.set_default_timeout(60_000)
    log_in(office, base, command_user.username)
    office.goto(f"{base}/vaccination/imports/")
    office.set_input_files("#id_file", str(export))
    office.get_by_role("button", name="导入", exact=True).click()
    expect(office).to_have_url(re.compile(r"/vaccination/imports/[0-9a-f-]{36}$"))
    expect(office.get_by_test_id("import-progress").locator(".alert-success")).to_be_visible()
    assert VaccinationRecord.objects.filter(person=teen).count() == 2
    shot(office, "vaccination-import-done")
    office.goto(f"{base}/vaccination/")
    expect(office.locator("body")).to_contain_text("王助镇")
    expect(office.locator("body")).to_contain_text("12–17岁")
    shot(office, "vaccination-coverage")

    phone = new_context(phone=True).new_page()
    phone.set_default_timeout(60_000)
    log_in(phone, base, grid_worker_a.username)
    phone.goto(f"{base}/vaccination/unvaccinated")
    rows = phone.get_by_test_id("unvaccinated")
    expect(rows).to_contain_text("李小红")
    expect(rows).not_to_contain_text("王小明")
    no_horizontal_overflow(phone)
    card = phone.locator(f"#p-{waiting.uuid}")
    card.locator("select[name=reason]").select_option("away")
    card.get_by_role("button", name="保存").click()
    expect(phone.locator(f"#p-{waiting.uuid}").get_by_test_id("reason")).to_be_visible()
    shot(phone, "vaccination-unvaccinated-phone")
    assert MobilisationNote.objects.get(person=waiting).reason == "away"


def test_key_groups_sites_and_supplies(live_server, district, cadre_a, new_context, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    base = live_server.url
    staff = person_aged(district.grid_a, 40, "赵公务")
    page = new_context(phone=True).new_page()
    page.set_default_timeout(60_000)
    log_in(page, base, cadre_a.username)

    page.goto(f"{base}/vaccination/groups/")
    page.fill("#id_document_number", staff.document_number)
    page.get_by_role("button", name="加入该人群").click()
    expect(page.get_by_test_id("members")).to_contain_text("赵公务")
    expect(page.get_by_test_id("members")).not_to_contain_text(staff.document_number)
    no_horizontal_overflow(page)
    shot(page, "vaccination-key-groups-phone")
    assert KeyGroupMember.objects.filter(person=staff).exists()

    page.goto(f"{base}/vaccination/sites/")
    page.select_option("#id_region", str(district.village_a.pk))
    page.fill("#id_name", "王助村卫生室接种点")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_test_id("sites")).to_contain_text("王助村卫生室接种点")
    no_horizontal_overflow(page)
    assert VaccinationSite.objects.filter(name="王助村卫生室接种点", region=district.village_a).exists()

    store = warehouse(district.township_a)
    masks = str(item("n95_mask").pk)
    page.goto(f"{base}/supplies/warehouses/{store.uuid}/")
    page.select_option("#id_th-item", masks)
    page.fill("#id_th-threshold", "100")
    page.locator("form[action$='/threshold']").get_by_role("button").click()
    page.select_option("#id_in-item", masks)
    page.fill("#id_in-quantity", "120")
    page.fill("#id_in-reason", "区指挥部调拨")
    page.locator("form[action$='/receive']").get_by_role("button").click()
    expect(page.get_by_test_id("stock")).to_contain_text("120")
    page.select_option("#id_out-item", masks)
    page.fill("#id_out-quantity", "40")
    page.fill("#id_out-reason", "卡口领用")
    page.locator("form[action$='/issue']").get_by_role("button").click()
    expect(page.get_by_test_id("stock")).to_contain_text("80")
    expect(page.get_by_test_id("stock")).to_contain_text("低于")
    page.goto(f"{base}/supplies/")
    expect(page.get_by_test_id("supply-warnings")).to_contain_text("N95")
    no_horizontal_overflow(page)
    shot(page, "supplies-threshold-warning-phone")
