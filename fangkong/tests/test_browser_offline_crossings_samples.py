"""Issue 17's remaining offline forms in a real browser on a 390×844 phone: checkpoint staff (`kakou`) register
crossings without a connection — a febrile traveller is asked for a second reading on the phone — and a collector
(`jiance`) fills a pool and closes it by hand offline; back online each record is stored exactly once, in order.
A grid worker's disinfection keeps the photo taken on the phone."""

from __future__ import annotations

import datetime
import io

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from conftest import make_user
from fangkong.accounts.permissions import Role
from fangkong.checkpoints.models import Crossing, Referral, Traveller
from fangkong.checkpoints.tests.helpers import create_checkpoint, staff_user
from fangkong.fieldwork.actions import do_create_place
from fangkong.fieldwork.models import DisinfectionRecord, Submission
from fangkong.people.tests.helpers import create_person
from fangkong.testing.actions import do_create_point, do_create_round
from fangkong.testing.models import Tube, TubeMember, TubeStatus
from fangkong.tests.browser import log_in, no_horizontal_overflow, shot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("migration_seeds"),
]


def open_offline(page, base: str) -> None:
    page.goto(f"{base}/field/offline/")
    assert page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()  # now controlled by the worker, which caches the shell and the reference data


def phone_as(new_context, base: str, username: str):
    """A phone signed in as `username` on the offline page, its service worker in control."""
    context = new_context(phone=True)
    context.set_default_timeout(60_000)  # a busy machine: the steps, not the speed, are under test
    page = context.new_page()
    log_in(page, base, username)
    open_offline(page, base)
    return context, page


def send_when_back_online(context, page, unsent: int, name: str) -> None:
    """The screenshot and the layout check while offline with `unsent` records, then online and sent."""
    expect(page.get_by_test_id("unsent")).to_have_text(str(unsent))
    shot(page, name)
    no_horizontal_overflow(page)
    context.set_offline(False)
    page.get_by_role("button", name="立即发送").click()
    expect(page.get_by_test_id("unsent")).to_have_text("0")


def test_checkpoint_staff_register_crossings_offline_and_each_is_stored_once(
    live_server, district, new_context
):
    cadre = make_user("wangzhu", Role.TOWNSHIP_CADRE, district.township_a)
    kakou = staff_user("kakou", district.township_a)
    checkpoint = create_checkpoint(cadre, district.township_a, name="王助收费站卡口", staff=[kakou])
    base = live_server.url
    context, page = phone_as(new_context, base, "kakou")
    form = page.get_by_test_id("crossing-form")
    expect(form).to_be_visible()
    expect(page.locator("#c-checkpoint option")).to_have_text(["王助收费站卡口"])

    context.set_offline(True)
    page.reload()  # the shell and the checkpoint's choices come from the cache
    expect(page.get_by_test_id("network")).to_have_text("离线")
    # A person on foot, well.
    page.get_by_label("来源地").fill("河北省石家庄市")
    page.locator("#c-t0-name").fill("赵六")
    page.locator("#c-t0-phone").fill("13900001234")
    page.locator("#c-t0-temperature").fill("36.6")
    page.get_by_role("button", name="保存查验登记到本机").click()
    expect(page.get_by_test_id("unsent")).to_have_text("1")
    # A vehicle with two people: the passenger is at 37.6 °C and the phone asks for the second reading first.
    page.get_by_label("来源地").fill("河南省郑州市")
    page.get_by_role("button", name="添加车上人员").click()
    expect(page.get_by_test_id("traveller")).to_have_count(2)
    page.locator("#c-plate").fill("豫J12345")
    page.locator("#c-t0-name").fill("钱七")
    page.locator("#c-t0-phone").fill("13900005678")
    page.locator("#c-t0-temperature").fill("36.4")
    page.locator("#c-t0-is_driver").check()
    page.locator("#c-t1-name").fill("孙八")
    page.locator("#c-t1-phone").fill("13900009999")
    page.locator("#c-t1-temperature").fill("37.6")
    page.get_by_role("button", name="保存查验登记到本机").click()
    expect(page.locator("#send-message")).to_contain_text("复测")
    expect(page.get_by_test_id("unsent")).to_have_text("1")
    page.locator("#c-t1-temperature_again").fill("37.8")
    page.get_by_role("button", name="保存查验登记到本机").click()
    expect(page.locator("#send-message")).to_contain_text("发热门诊")  # a fever is referred
    page.locator("#c-t1-disposition").select_option("refer")
    page.locator("#c-t1-clinic").fill("开发区人民医院发热门诊")
    page.get_by_role("button", name="保存查验登记到本机").click()
    assert not Crossing.objects.exists()
    send_when_back_online(context, page, 2, "fieldwork-offline-crossing-phone")
    expect(page.get_by_test_id("sent").locator("li")).to_have_count(2)
    page.get_by_role("button", name="立即发送").click()  # nothing left: nothing stored twice
    assert Crossing.objects.filter(checkpoint=checkpoint).count() == 2
    assert Traveller.objects.count() == 3 and Submission.objects.count() == 2
    assert Referral.objects.get().traveller.name == "孙八"
    vehicle = Crossing.objects.get(kind="vehicle")
    assert vehicle.plate == "豫J12345" and vehicle.registered_by == kakou


def test_a_collector_fills_a_pool_and_closes_it_offline_and_it_arrives_in_order(
    live_server, district, new_context
):
    now = timezone.now()
    collector = make_user("jiance", Role.TESTING_STAFF, district.county)
    point = do_create_point(
        collector,
        region=district.township_a,
        name="王助镇卫生院采样点",
        address="政府路1号",
        opening_hours="08:00–12:00",
        desks=2,
        now=now,
    )
    today = timezone.localdate()
    rnd = do_create_round(
        collector,
        name="第一轮全员核酸",
        units=[district.township_a],
        starts_on=today,
        ends_on=today + datetime.timedelta(days=1),
        now=now,
    )
    people = [create_person(district.grid_a, f"居民{i}", phone=f"1390000{i:04d}") for i in range(3)]
    base = live_server.url
    context, page = phone_as(new_context, base, "jiance")
    expect(page.get_by_test_id("sample-form")).to_be_visible()
    expect(page.locator("#s-round")).to_have_value(str(rnd.uuid))  # the only round running today

    context.set_offline(True)
    page.reload()
    expect(page.get_by_test_id("network")).to_have_text("离线")
    page.locator("#s-capacity").select_option("5")
    page.get_by_label("采样管条码").fill("WZ-0001")
    page.get_by_label("居民身份证号").fill("410901199001011234")  # a wrong check character
    page.get_by_role("button", name="保存采样到本机").click()
    expect(page.locator("#send-message")).to_contain_text("身份证")
    for n, person in enumerate(people[:2], start=1):
        page.get_by_label("居民身份证号").fill(person.document_number)
        page.get_by_role("button", name="保存采样到本机").click()
        expect(page.get_by_test_id("unsent")).to_have_text(str(n))
    expect(page.get_by_test_id("tube-count")).to_contain_text("2/5")
    page.get_by_role("button", name="封管").click()
    assert not Tube.objects.exists()
    send_when_back_online(context, page, 3, "fieldwork-offline-sampling-phone")
    tube = Tube.objects.get(barcode="WZ-0001")
    assert tube.status == TubeStatus.CLOSED and tube.member_count == 2 and tube.point == point
    assert set(TubeMember.objects.values_list("person_id", flat=True)) == {people[0].pk, people[1].pk}


def test_a_disinfection_photo_taken_on_the_phone_is_kept(live_server, district, new_context, tmp_path):
    from PIL import Image

    now = timezone.now()
    make_user("wangzhu-grid", Role.GRID_WORKER, district.grid_a)
    cadre = make_user("wangzhu-cun", Role.VILLAGE_CADRE, district.village_a)
    do_create_place(cadre, region=district.grid_a, kind="market", name="王助集贸市场", now=now)
    photo = tmp_path / "market.jpg"
    Image.new("RGB", (3000, 2000), (30, 120, 200)).save(photo, format="JPEG")
    _context, page = phone_as(new_context, live_server.url, "wangzhu-grid")
    page.get_by_label("面积（平方米）").fill("1200")
    page.get_by_label("照片（选填）").set_input_files(str(photo))
    page.get_by_role("button", name="保存到本机").click()
    expect(page.get_by_test_id("sent").locator("li")).to_have_count(1)
    record = DisinfectionRecord.objects.get()
    kept = Image.open(io.BytesIO(record.photo.read()))
    assert record.area_m2 == 1200 and kept.format == "JPEG" and max(kept.size) == 1600  # scaled on the phone
