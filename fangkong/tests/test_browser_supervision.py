"""Issue 15 (second half) in a real browser: the inspector inspects a checkpoint and records two findings (one
立行立改, one 限期整改), the township cadre reports the fix with a photo on a phone, the inspector accepts it and
sees the rate, publishes a notice and opens its PDF; a grid worker registers a wedding over the guest limit on a
phone and sees it refused with the rule named."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from fangkong.supervision.models import Notice, RectificationItem, RectificationStatus
from fangkong.supervision.tests.helpers import make_inspector, png_bytes
from fangkong.tests.browser import log_in, no_horizontal_overflow, shot
from fangkong.venues.models import EventStatus, FamilyEvent

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("migration_seeds"),
]


def test_inspect_fix_accept_and_notice(live_server, district, cadre_a, new_context, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    inspector = make_inspector(district.county)
    base = live_server.url
    photo_path = tmp_path / "fix.png"
    photo_path.write_bytes(png_bytes((640, 480)))

    ducha = new_context().new_page()
    ducha.set_default_timeout(60_000)  # the machine may be busy; the steps, not the speed, are under test
    log_in(ducha, base, inspector.username)
    ducha.goto(f"{base}/supervision/inspections/new")
    ducha.get_by_role("link", name="卡口", exact=True).click()
    ducha.select_option("#id_region", str(district.village_a.pk))
    ducha.fill("#id_place_name", "王助镇东卡口")
    ducha.locator("input[name=failed_points]").nth(0).check()
    ducha.locator("input[name=failed_points]").nth(1).check()
    shot(ducha, "supervision-inspection-form")
    ducha.get_by_role("button", name="保存检查记录").click()
    expect(ducha.get_by_test_id("checklist")).to_contain_text("值守人员在岗在位")

    ducha.fill("#id_description", "夜间值守人员脱岗")
    ducha.get_by_label("立行立改").check()
    ducha.get_by_role("button", name="交办整改").click()
    expect(ducha.locator(".alert-success")).to_contain_text("问题已交办")
    ducha.fill("#id_description", "未逐人查验健康码、行程码")
    ducha.get_by_label("限期整改").check()
    ducha.fill("#id_due_on", (timezone.localdate() + datetime.timedelta(days=3)).isoformat())
    ducha.set_input_files("#id_photos", str(photo_path))
    ducha.get_by_role("button", name="交办整改").click()
    expect(ducha.get_by_test_id("item-row")).to_have_count(2)
    shot(ducha, "supervision-inspection-detail")
    item = RectificationItem.objects.get(kind="deadline")
    assert item.evidence.count() == 1

    phone = new_context(phone=True).new_page()
    phone.set_default_timeout(60_000)
    log_in(phone, base, cadre_a.username)
    phone.goto(f"{base}/supervision/")
    phone.get_by_test_id("item-row").filter(has_text="健康码").click()
    phone.fill("#id_note", "已安排专人逐人查验，并张贴提示牌")
    phone.set_input_files("#id_photos", str(photo_path))
    no_horizontal_overflow(phone)
    shot(phone, "supervision-report-fix-phone")
    phone.get_by_test_id("report-fix").click()
    expect(phone.get_by_test_id("fix-card")).to_contain_text("已安排专人")
    item.refresh_from_db()
    assert item.status == RectificationStatus.REPORTED

    ducha.goto(f"{base}/supervision/items/{item.uuid}/")
    expect(ducha.get_by_test_id("fix-card").locator("img")).to_have_count(1)
    ducha.get_by_test_id("accept-fix").click()
    expect(ducha.get_by_test_id("item-card")).to_contain_text("已销号")
    ducha.goto(f"{base}/supervision/")
    expect(ducha.get_by_test_id("rate-total")).to_have_text("50.0%")
    shot(ducha, "supervision-home")

    ducha.goto(f"{base}/supervision/notices/new")
    ducha.fill("#id_title", "关于王助镇卡口值守问题的通报")
    ducha.fill("#id_body", "经查，王助镇东卡口存在值守人员脱岗等问题，现予通报。")
    ducha.locator("input[name=items]").first.check()
    ducha.get_by_label("同时在公示栏公开").check()
    ducha.once("dialog", lambda dialog: dialog.accept())
    ducha.get_by_role("button", name="发布", exact=True).click()
    expect(ducha.locator("h1")).to_contain_text("关于王助镇卡口值守问题的通报")
    shot(ducha, "supervision-notice")
    notice = Notice.objects.get()
    pdf = ducha.request.get(f"{base}/supervision/notices/{notice.uuid}/pdf")
    assert pdf.body()[:5] == b"%PDF-"
    (tmp_path / "notice.pdf").write_bytes(pdf.body())
    anonymous = new_context().new_page()
    anonymous.set_default_timeout(60_000)
    anonymous.goto(f"{base}/supervision/public/notices/{notice.uuid}/")
    expect(anonymous.locator("body")).to_contain_text("王助村")
    expect(anonymous.locator("body")).not_to_contain_text(inspector.username)


def test_a_wedding_over_the_limit_is_refused_naming_the_rule(
    live_server, district, grid_worker_a, new_context
):
    base = live_server.url
    phone = new_context(phone=True).new_page()
    phone.set_default_timeout(60_000)
    log_in(phone, base, grid_worker_a.username)
    phone.goto(f"{base}/venues/events/new")
    expect(phone.get_by_test_id("event-rules")).to_contain_text("喜事缓办")
    phone.select_option("#id_region", str(district.grid_a.pk))
    phone.get_by_label("喜事").check()
    phone.fill("#id_host_name", "李四")
    phone.fill("#id_day", (timezone.localdate() + datetime.timedelta(days=7)).isoformat())
    phone.fill("#id_place", "王助村李四家")
    phone.fill("#id_expected_guests", "60")
    no_horizontal_overflow(phone)
    phone.get_by_role("button", name="保存").click()
    expect(phone.get_by_test_id("refusal")).to_contain_text("喜事缓办")
    expect(phone.get_by_test_id("refusal")).to_contain_text("不超过 10 人")
    shot(phone, "venues-wedding-refused-phone")
    assert FamilyEvent.objects.get().status == EventStatus.REFUSED
