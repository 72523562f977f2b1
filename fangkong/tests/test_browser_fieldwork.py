"""Issue 17 in a real browser on a 390×844 phone as `wangzhu-grid`: the field page installs its service worker,
goes offline, reloads from the cache, records three disinfections (“3 unsent”), comes back online and each is
stored exactly once; a task changed on the server meanwhile shows both versions; logging out clears the caches
and the outbox."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from conftest import make_user
from fangkong.accounts.permissions import Role
from fangkong.fieldwork.actions import (
    do_add_member,
    do_assign_task,
    do_complete_task,
    do_create_place,
    do_create_team,
)
from fangkong.fieldwork.models import DisinfectionRecord, FieldTask, Submission, TaskStatus
from fangkong.tests.browser import log_in, no_horizontal_overflow, shot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("migration_seeds"),
]


def test_offline_records_are_sent_once_conflicts_shown_and_logout_clears(live_server, district, new_context):
    now = timezone.now()
    worker = make_user("wangzhu-grid", Role.GRID_WORKER, district.grid_a)
    cadre = make_user("wangzhu-cun", Role.VILLAGE_CADRE, district.village_a)
    do_create_place(cadre, region=district.grid_a, kind="market", name="王助集贸市场", now=now)
    team = do_create_team(cadre, region=district.village_a, kind="inquiry", name="王助村问询队", now=now)
    member = do_add_member(cadre, team, user=worker, now=now)
    task = do_assign_task(
        cadre, team, kind="inquiry", title="入户问询", assignee=member, due_on=timezone.localdate(), now=now
    )
    base = live_server.url
    context = new_context(phone=True)
    context.set_default_timeout(60_000)  # a busy machine: the steps, not the speed, are under test
    page = context.new_page()
    log_in(page, base, "wangzhu-grid")
    page.goto(f"{base}/field/offline/")
    assert page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()  # now controlled by the worker, which caches the shell and the reference data
    expect(page.locator("#f-place option")).to_have_count(1)
    expect(page.get_by_test_id("offline-tasks")).to_contain_text("入户问询")

    context.set_offline(True)
    page.reload()  # the app shell and the grid's reference data come from the cache
    expect(page.get_by_test_id("network")).to_have_text("离线")
    expect(page.locator("#f-place option")).to_contain_text(["王助集贸市场 · 第1网格"])
    for n, area in enumerate(("100", "200", "300"), start=1):
        page.get_by_label("面积（平方米）").fill(area)
        page.get_by_role("button", name="保存到本机").click()
        expect(page.get_by_test_id("unsent")).to_have_text(str(n))
    expect(page.get_by_test_id("unsent")).to_have_text("3")
    shot(page, "fieldwork-offline-phone")
    no_horizontal_overflow(page)
    assert DisinfectionRecord.objects.count() == 0

    context.set_offline(False)
    page.get_by_role("button", name="立即发送").click()
    expect(page.get_by_test_id("unsent")).to_have_text("0")
    expect(page.get_by_test_id("sent").locator("li")).to_have_count(3)
    page.get_by_role("button", name="立即发送").click()  # nothing left to send: nothing stored twice
    assert sorted(DisinfectionRecord.objects.values_list("area_m2", flat=True)) == [100, 200, 300]
    assert Submission.objects.count() == 3

    # Offline again: the task is done on the phone while the cadre finishes it on the server.
    context.set_offline(True)
    page.get_by_label("入户问询").fill("已问询，无异常")
    # The list the first send refreshed may be drawn again now: what was typed stays (CI once lost it).
    expect(page.get_by_label("入户问询")).to_have_value("已问询，无异常")
    page.get_by_role("button", name="已完成").click()
    expect(page.get_by_test_id("unsent")).to_have_text("1")
    do_complete_task(cadre, task, note="村干部已电话问询", now=timezone.now())
    context.set_offline(False)
    page.get_by_role("button", name="立即发送").click()
    expect(page.get_by_test_id("unsent")).to_have_text("0")
    conflict = page.get_by_test_id("conflicts")
    expect(conflict).to_contain_text("村干部已电话问询")
    expect(conflict).to_contain_text("已问询，无异常")
    shot(page, "fieldwork-conflict-phone")
    assert FieldTask.objects.get(pk=task.pk).note == "村干部已电话问询"
    assert FieldTask.objects.get(pk=task.pk).status == TaskStatus.DONE

    # Logging out clears the caches and the outbox of this phone.
    assert page.evaluate("caches.keys().then((k) => k.length)") > 0
    page.locator(".navbar-toggler").click()  # the phone's menu holds the logout button
    page.get_by_role("button", name="退出登录").click()
    page.wait_for_url("**/accounts/login/**")
    assert page.evaluate("caches.keys().then((k) => k.length)") == 0
    names = page.evaluate("indexedDB.databases().then((d) => d.map((x) => x.name))")
    assert "fk-field-wangzhu-grid" not in names


def test_three_follow_ups_and_a_verification_recorded_offline_are_stored_once_and_a_conflict_shows_both(
    live_server, district, new_context, tmp_path
):
    """The issue's walk as `wangzhu-grid`: offline, three follow-ups of the grid's home-isolated people and one
    push-item verification (“4 unsent”), online, each stored once; a push item verified on the server while the
    phone verified it too shows both outcomes."""
    import datetime

    from fangkong.control.models import FollowUp
    from fangkong.control.tests.helpers import start
    from fangkong.pushlists.actions import do_assign, do_import_push_list, do_verify
    from fangkong.pushlists.models import PushItem
    from fangkong.pushlists.tests.conftest import NOW, item, sample_rows, write_csv

    worker = make_user("wangzhu-grid", Role.GRID_WORKER, district.grid_a)
    cadre = make_user("wangzhu", Role.TOWNSHIP_CADRE, district.township_a)
    command = make_user("zhihuibu", Role.COMMAND_OFFICE, district.county)
    isolated_since = timezone.localdate() - datetime.timedelta(days=16)  # home isolation today
    orders = [start(district.grid_a, isolated_since, name=name) for name in ("张三", "李四", "王五")]
    start(district.grid_a2, isolated_since, name="邻格人")  # another grid of the village: not on this phone
    path = write_csv(tmp_path / "list.csv", sample_rows())
    batch = do_import_push_list(command, path, path.name, NOW, 24)
    first, second = item(batch, "张三"), item(batch, "王五")
    do_assign(cadre, [first, second], worker, timezone.now())

    base = live_server.url
    context = new_context(phone=True)
    context.set_default_timeout(60_000)
    page = context.new_page()
    log_in(page, base, "wangzhu-grid")
    page.goto(f"{base}/field/offline/")
    assert page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()  # controlled by the service worker: the shell and the grid's reference data are cached
    expect(page.get_by_test_id("follow-up")).to_have_count(3)

    context.set_offline(True)
    page.reload()  # from the cache
    expect(page.get_by_test_id("network")).to_have_text("离线")
    cards = page.get_by_test_id("follow-up")
    expect(cards).to_have_count(3)
    expect(page.get_by_test_id("offline-follow-ups")).not_to_contain_text("邻格人")
    for name, temperature in (("张三", "36.5"), ("李四", "37.8"), ("王五", "36.7")):
        card = cards.filter(has_text=name)
        card.get_by_label(f"体温（°C） · {name}").fill(temperature)
        if name == "李四":
            card.get_by_text("症状", exact=True).click()
            card.get_by_label("咳嗽").check()
        card.get_by_role("button", name="保存随访").click()
        expect(card).to_contain_text("已保存到本机，尚未发送")
    items = page.get_by_test_id("push-item")
    expect(items).to_have_count(2)
    zhang = items.filter(has_text="张三")
    zhang.get_by_role(
        "button", name="漏排/新排查（已管控）"
    ).click()  # needs the measure first: refused on the phone
    expect(page.locator("#send-message")).to_contain_text("请选择已采取的管控措施")
    zhang.get_by_label("已采取的管控措施").select_option(index=1)
    zhang.get_by_role("button", name="漏排/新排查（已管控）").click()
    expect(page.get_by_test_id("unsent")).to_have_text("4")
    shot(page, "fieldwork-offline-follow-ups-phone")
    no_horizontal_overflow(page)
    page.reload()  # still offline: the unsent records stay marked
    expect(page.get_by_test_id("unsent")).to_have_text("4")
    expect(page.get_by_test_id("follow-up").filter(has_text="已保存到本机，尚未发送")).to_have_count(3)
    assert FollowUp.objects.count() == 0 and not PushItem.objects.get(pk=first.pk).outcome

    context.set_offline(False)
    page.get_by_role("button", name="立即发送").click()
    expect(page.get_by_test_id("unsent")).to_have_text("0")
    expect(page.get_by_test_id("sent").locator("li")).to_have_count(4)
    page.get_by_role("button", name="立即发送").click()  # nothing left: nothing stored twice
    # The lists are reloaded from the server: the follow-ups are done, the verified item is gone.
    expect(page.get_by_test_id("push-item")).to_have_count(1)
    expect(page.get_by_test_id("follow-up").filter(has_text="1/2")).to_have_count(3)
    for order in orders:
        assert FollowUp.objects.filter(order=order).count() == 1
    assert FollowUp.objects.get(order=orders[1]).alert  # control's own rule: a fever alerts
    assert PushItem.objects.get(pk=first.pk).outcome == "new_found"

    # Offline again: the phone verifies 王五 while the township verifies the same item on the server.
    context.set_offline(True)
    wang = page.get_by_test_id("push-item").filter(has_text="王五")
    wang.get_by_label("备注 · 王五").fill("已外出务工")
    wang.get_by_role("button", name="不在本地居住").click()
    expect(page.get_by_test_id("unsent")).to_have_text("1")
    do_verify(cadre, second, outcome="passed_through", note="途经", now=timezone.now())
    context.set_offline(False)
    page.get_by_role("button", name="立即发送").click()
    expect(page.get_by_test_id("unsent")).to_have_text("0")
    conflict = page.get_by_test_id("conflicts")
    expect(conflict).to_contain_text("服务器上: 核查结果: 途经/停留")
    expect(conflict).to_contain_text("已外出务工")
    expect(conflict).to_contain_text("不在本地居住")
    shot(page, "fieldwork-verification-conflict-phone")
    no_horizontal_overflow(page)
    assert PushItem.objects.get(pk=second.pk).outcome == "passed_through"


def test_a_village_cadre_sets_up_a_disinfection_team_and_the_volunteer_records_the_markets_disinfection(
    live_server, district, new_context
):
    """The issue's second walk: the market is overdue; the village cadre creates a disinfection team, adds the
    volunteer `zhiyuan` and assigns the market's daily disinfection; the volunteer records it on a phone; the
    overdue list clears and 消杀面积 — on the field-work page and the daily report's system figure — counts it."""
    from fangkong.lib.reporting_day import local_date
    from fangkong.reporting.sources import source_value

    now = timezone.now()
    cadre = make_user("wangzhu-cun", Role.VILLAGE_CADRE, district.village_a)
    make_user("zhiyuan", Role.VOLUNTEER, district.village_a)
    do_create_place(cadre, region=district.grid_a, kind="market", name="王助集贸市场", now=now)
    today = local_date(now)
    assert source_value("fieldwork.disinfection_area", district.township_a, today, now) == 0

    base = live_server.url
    c = new_context(phone=True).new_page()
    c.context.set_default_timeout(60_000)
    log_in(c, base, "wangzhu-cun")
    c.goto(f"{base}/field/")
    expect(c.get_by_test_id("overdue")).to_contain_text("王助集贸市场")
    expect(c.get_by_test_id("total-area")).to_have_text("0")
    c.goto(f"{base}/field/teams/")
    c.locator("[name=region]").select_option(str(district.village_a.pk))
    c.locator("[name=kind]").select_option("disinfection")
    c.locator("[name=name]").fill("王助村消杀队")
    c.get_by_role("button", name="新建队伍").click()
    expect(c.get_by_role("heading", level=1)).to_contain_text("王助村消杀队")
    c.locator("[name=member-username]").fill("zhiyuan")
    c.get_by_role("button", name="添加队员").click()
    expect(c.get_by_test_id("members")).to_contain_text("zhiyuan")
    c.locator("[name=task-kind]").select_option("disinfection")
    c.locator("[name=task-title]").fill("集贸市场每日消杀")
    c.locator("[name=task-assignee]").select_option(index=1)
    c.locator("[name=task-place]").select_option(label="王助集贸市场")
    c.locator("[name=task-due_on]").fill(today.isoformat())
    c.get_by_role("button", name="分派任务").click()
    expect(c.get_by_test_id("tasks")).to_contain_text("集贸市场每日消杀")
    no_horizontal_overflow(c)

    v = new_context(phone=True).new_page()
    v.context.set_default_timeout(60_000)
    log_in(v, base, "zhiyuan")
    v.goto(f"{base}/field/tasks/")
    v.get_by_role("link", name="集贸市场每日消杀").click()
    v.locator("[name=d-area_m2]").fill("1500")
    v.locator("[name=d-done_at]").fill(timezone.localtime().strftime("%Y-%m-%dT%H:%M"))
    v.locator("[name=note]").fill("市场内外全面消杀")
    shot(v, "fieldwork-volunteer-task-phone")
    no_horizontal_overflow(v)
    v.get_by_role("button", name="已完成").click()
    v.wait_for_url("**/field/tasks/**")
    assert DisinfectionRecord.objects.get().area_m2 == 1500
    assert FieldTask.objects.get(title="集贸市场每日消杀").status == TaskStatus.DONE

    c.goto(f"{base}/field/")
    expect(c.get_by_test_id("overdue")).not_to_contain_text("王助集贸市场")
    expect(c.get_by_test_id("total-area")).to_have_text("1500")
    assert source_value("fieldwork.disinfection_area", district.township_a, today, timezone.now()) == 1500
