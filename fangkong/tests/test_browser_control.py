"""Issue 12's "Done means" walk in Chromium: the command office publishes a high-risk area and sees a returnee of
the past 14 days found again and handed down; wangzhu-grid on a 390×844 phone does today's follow-ups, records
37.8 °C and the township and command office are alerted; the command office checks the returnee into a site
room, the clock (time-machine) crosses the stage boundaries 集中隔离 → 居家隔离 → 健康监测, the release is held
for a missing test and goes through once it is negative; a two-level contact graph opens.

The clock of this process (Django and the live server's thread) travels; sessions last 10 hours of that clock,
so each leap logs in again in a fresh browser context.
"""

from __future__ import annotations

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from playwright.sync_api import expect

from fangkong.control.actions import do_add_contact, do_record_test_results, do_start_order
from fangkong.control.models import ControlOrder, FollowUp, OrderStatus, Protocol, Reason, Stay
from fangkong.lib.idnumbers import make
from fangkong.people.tests.helpers import create_person
from fangkong.reporting.models import UrgentReport
from fangkong.screening.tests.helpers import register
from fangkong.tests.browser import log_in, no_horizontal_overflow, shot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("migration_seeds"),
]

BJ = ZoneInfo("Asia/Shanghai")
D = datetime.date
RETURNED = D(2021, 8, 2)  # 14+7+7: 集中隔离 08-02..08-15, 居家隔离 08-16..08-22, 健康监测 08-23..08-29
PUBLISHED = D(2021, 8, 3)


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, tzinfo=BJ)


class Result:
    """A lab result as the testing app hands it over (duck-typed like testing.public.PersonResult)."""

    def __init__(self, person_id: int, day: datetime.date) -> None:
        self.person_id, self.sampled_on, self.result = person_id, day, "negative"
        self.resulted_at, self.sample_uuid = at(day, 18), None


def test_the_control_walk(live_server, district, command_user, cadre_a, grid_worker_a, new_context):
    base = live_server.url
    with time_machine.travel(at(PUBLISHED, 9), tick=True):
        returnee = register(district.grid_a, return_date=RETURNED, name="赵返乡")
        assert not ControlOrder.objects.filter(person=returnee.person).exists()  # 无需管控, for now
        home = do_start_order(
            None,
            create_person(district.grid_a, name="钱居家"),
            reason=Reason.CLOSE_CONTACT,
            protocol=Protocol.objects.get(code="2021-14-7-7", version=1),
            start_day=PUBLISHED - datetime.timedelta(days=15),  # day 16: 居家隔离, two follow-ups a day
            now=at(PUBLISHED, 9),
        )

        # 1. zhihuibu publishes 禄口街道 as high risk: the returnee of yesterday is found again.
        office = new_context().new_page()
        log_in(office, base, "zhihuibu")
        office.goto(f"{base}/screening/risk-areas/")
        office.get_by_label(re.compile("公布名单")).fill("高风险 江苏省南京市江宁区禄口街道")
        office.get_by_role("button", name="录入名单").click()
        expect(office.get_by_role("row", name=re.compile("禄口街道"))).to_contain_text("高风险")
        order = ControlOrder.objects.get(person=returnee.person)
        assert order.reason == Reason.RETURNEE and order.start_day == RETURNED
        office.goto(f"{base}/control/")
        expect(office.get_by_test_id("township-row").filter(has_text="王助镇")).to_contain_text("1")
        shot(office, "control-overview-found-again")

        # 2. wangzhu-grid on a phone: today's follow-ups, 37.8 °C, the alert.
        phone = new_context(phone=True).new_page()
        log_in(phone, base, "wangzhu-grid")
        phone.goto(f"{base}/control/follow-ups/")
        card = phone.get_by_test_id("follow-up").filter(has_text="钱居家")
        expect(card).to_contain_text("0/2")  # 居家隔离 of 14+7+7: twice a day
        expect(phone.get_by_text("赵返乡 · 江苏省南京市江宁区禄口街道")).to_be_visible()  # handed down
        no_horizontal_overflow(phone)
        card.get_by_label("体温（℃）").fill("37.8")
        card.get_by_role("button", name="记录").click()
        expect(phone.get_by_text("已向乡镇和指挥部报告异常")).to_be_visible()
        expect(phone.get_by_test_id("follow-up").filter(has_text="钱居家")).to_contain_text("1/2")
        shot(phone, "control-follow-ups-phone")
        assert FollowUp.objects.get(order=home).alert
        urgent = UrgentReport.objects.get()
        assert urgent.region == district.township_a and str(home.uuid) in urgent.text
        office.goto(f"{base}/control/")
        expect(office.get_by_test_id("alert")).to_contain_text("37.8")

        # 3. The returnee goes to a site room.
        office.goto(f"{base}/control/sites/")
        office.locator("#id_region").select_option(label="— 王助镇")
        office.locator("#id_name").fill("王助镇隔离酒店")
        office.locator("#id_rooms").fill("101-102")
        office.get_by_role("button", name="保存隔离点").click()
        expect(office.get_by_role("heading", level=1)).to_contain_text("王助镇隔离酒店")
        office.goto(f"{base}/control/orders/{order.uuid}/")
        expect(office.get_by_test_id("stage")).to_have_text("集中隔离")
        office.locator("#id_checkin_site").select_option(label="王助镇隔离酒店")
        office.get_by_role("button", name="入住", exact=True).click()
        expect(office.get_by_text("已入住 101 房间")).to_be_visible()
        shot(office, "control-order-checked-in")
    # Lab results of the centralized stage arrive from the testing app.
    do_record_test_results(
        [
            Result(returnee.person_id, d)
            for d in (D(2021, 8, 2), D(2021, 8, 5), D(2021, 8, 8), D(2021, 8, 15))
        ],
        at(D(2021, 8, 15), 20),
    )

    # 4. The clock crosses the stage boundaries.
    for day, stage in (
        (D(2021, 8, 15), "集中隔离"),
        (D(2021, 8, 16), "居家隔离"),
        (D(2021, 8, 23), "健康监测"),
    ):
        with time_machine.travel(at(day), tick=True):
            page = new_context().new_page()
            log_in(page, base, "zhihuibu")
            page.goto(f"{base}/control/orders/{order.uuid}/")
            expect(page.get_by_test_id("stage")).to_have_text(stage)
            if day == D(2021, 8, 15):
                page.goto(f"{base}/control/")  # tomorrow the returnee moves home
                expect(page.get_by_test_id("transfer-tomorrow")).to_contain_text("赵返乡")
            page.context.close()
    do_record_test_results([Result(returnee.person_id, D(2021, 8, 17))], at(D(2021, 8, 17), 20))

    # 5. Day 29 is over: the release is held for the missing test of 08-22, then goes through.
    with time_machine.travel(at(D(2021, 8, 30)), tick=True):
        page = new_context().new_page()
        log_in(page, base, "zhihuibu")
        page.goto(f"{base}/control/orders/{order.uuid}/")
        page.get_by_role("button", name="期满解除").click()
        expect(page.get_by_role("alert")).to_contain_text("缺少阴性检测结果：2021-08-22")
        expect(page.get_by_text("暂缓解除")).to_be_visible()
        order.refresh_from_db()
        assert order.status == OrderStatus.ACTIVE and order.held
        page.locator("#id_test_sampled_on").fill("2021-08-22")
        page.locator("#id_test_result").select_option(label="阴性")
        page.get_by_role("button", name="登记结果").click()
        expect(page.get_by_text("检测结果已登记")).to_be_visible()
        page.get_by_role("button", name="期满解除").click()
        expect(page.get_by_text("已解除管控")).to_be_visible()
        order.refresh_from_db()
        assert order.status == OrderStatus.RELEASED
        assert Stay.objects.get(order=order).checked_out_at is not None
        shot(page, "control-order-released")

        # 6. A two-level contact graph from an index case.
        index = create_person(district.grid_a, name="病例甲")
        first = do_add_contact(
            command_user,
            index,
            name="密接乙",
            document_number=make("410928", D(1985, 5, 5), 801),
            phone="",
            region=district.grid_a,
            kind="close",
            last_exposure=D(2021, 8, 29),
            place="超市",
            now=at(D(2021, 8, 30)),
        )
        do_add_contact(
            command_user,
            first.contact,
            name="次密丙",
            document_number=make("410928", D(1985, 5, 5), 802),
            phone="",
            region=district.grid_a,
            kind="secondary",
            last_exposure=D(2021, 8, 30),
            place="家中",
            now=at(D(2021, 8, 30)),
        )
        with page.expect_response(re.compile("graph.json")) as answer:
            page.goto(f"{base}/control/contacts/{index.uuid}/")
        data = answer.value.json()
        assert {n["name"] for n in data["nodes"]} == {"病例甲", "密接乙", "次密丙"}
        assert len(data["links"]) == 2
        expect(page.locator("#contact-graph canvas")).to_have_count(1)
        shot(page, "control-contact-graph")
