"""A day of work in the demo district, made through the real actions of each app: published risk areas,
returnees reported by themselves and by grid workers, today's duty roster, yesterday's daily reports (some
late, some missing, so accountability records open), and an urgent report waiting for acknowledgement.

Everything is dated relative to `now`, so the demo looks alive whenever it is loaded.
"""

from __future__ import annotations

import csv
import datetime
import random
import tempfile
from pathlib import Path

from fangkong.accounts.models import User
from fangkong.duty.actions import do_create_shift
from fangkong.lib.idnumbers import make as make_id
from fangkong.lib.phones import national
from fangkong.lib.reporting_day import SHANGHAI, local_date
from fangkong.people.models import Person
from fangkong.pushlists.actions import do_assign, do_dispatch, do_import_push_list
from fangkong.pushlists.models import PushItem
from fangkong.regions.models import Level, Region
from fangkong.reporting.actions import do_deadline_sweep, do_file_report, do_send_urgent, prefill
from fangkong.reporting.models import ReportForm, UrgentKind
from fangkong.screening.actions import AreaRow, ReturneeInput, do_publish_risk_areas, do_register_returnee
from fangkong.screening.models import Channel, RiskLevel

RISK_AREAS = [
    ("南京市江宁区禄口街道", RiskLevel.HIGH),
    ("郑州市二七区", RiskLevel.MEDIUM),
    ("扬州市邗江区", RiskLevel.MEDIUM),
]
ORIGINS = [
    ("江苏省", "南京市", "江宁区", "禄口街道"),
    ("河南省", "郑州市", "二七区", ""),
    ("江苏省", "扬州市", "邗江区", ""),
    ("河南省", "郑州市", "金水区", ""),
    ("北京市", "北京市", "朝阳区", ""),
]


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=SHANGHAI)


def build_activity(now: datetime.datetime, *, seed: int = 2021) -> dict[str, int]:
    rng = random.Random(seed)
    today = local_date(now)
    yesterday = today - datetime.timedelta(days=1)
    office = User.objects.get(username="zhihuibu")
    county = office.region
    assert county is not None  # noqa: S101 - the demo accounts are built first

    do_publish_risk_areas(
        office,
        [AreaRow(name=n, level=lvl) for n, lvl in RISK_AREAS],
        effective_from=today - datetime.timedelta(days=10),
        source="演示：省卫健委公告",
    )

    # Returnees: grid workers find people in their grids; some also reported themselves (双报告).
    returnees = 0
    grid_worker = User.objects.get(username="wangzhu-grid")
    grid = grid_worker.region
    assert grid is not None  # noqa: S101
    for n, person in enumerate(Person.objects.filter(region=grid).order_by("id")[:6]):
        province, city, county_name, township = ORIGINS[n % len(ORIGINS)]
        data = ReturneeInput(
            name=person.name,
            document_number=person.document_number,
            phone=person.phone,
            origin_province=province,
            origin_city=city,
            origin_county=county_name,
            origin_township=township,
            status="returned",
            return_date=today - datetime.timedelta(days=n % 4),
            transport_mode="train",
            transport_number=f"G{1800 + n}",
            reason="探亲",
        )
        do_register_returnee(grid_worker, channel=Channel.GRID, region=grid, data=data, now=now)
        if n % 2 == 0:
            do_register_returnee(None, channel=Channel.SELF, region=grid.parent or grid, data=data, now=now)
        returnees += 1

    # Today's duty: the command office and 王助镇 are covered around the clock, 新习镇 has a gap at night.
    day_start = _at(today, 0)
    cadres = {
        u.username: u for u in User.objects.filter(username__in=["zhihuibu", "weijian", "wangzhu", "xinxi"])
    }
    shifts = [
        (county, cadres["zhihuibu"], 0, 12, cadres["weijian"]),
        (county, cadres["weijian"], 12, 24, cadres["zhihuibu"]),
        (cadres["wangzhu"].region, cadres["wangzhu"], 0, 24, None),
        (cadres["xinxi"].region, cadres["xinxi"], 8, 20, None),
    ]
    for unit, on_duty, start, end, leader in shifts:
        assert unit is not None  # noqa: S101
        do_create_shift(
            office,
            region=unit,
            starts_at=day_start + datetime.timedelta(hours=start),
            ends_at=day_start + datetime.timedelta(hours=end),
            person_on_duty=on_duty,
            leader_on_call=leader,
            phone="13900000001",
        )

    # Yesterday's daily reports: most units on time, a few late, a few never filed; today's so far.
    form = ReportForm.current()
    filed = 0
    # The demo district has been reporting for a while: a unit is held to the deadline only from the day after
    # it is created, so its units are dated back a week to make yesterday's silent and late units count.
    Region.objects.filter(created_at__gt=now - datetime.timedelta(days=7)).update(
        created_at=now - datetime.timedelta(days=7)
    )
    if form is not None:
        codes = [i.code for i in form.active_indicators()]
        units = list(form.units().order_by("path"))
        silent = {u.pk for u in rng.sample(units, k=max(2, len(units) // 25))}
        late = {u.pk for u in rng.sample(units, k=max(2, len(units) // 20))} - silent
        for unit in units:
            if unit.pk in silent:
                continue
            times = [
                _at(yesterday, 14, 30)
                if unit.pk in late
                else _at(yesterday, 9 + rng.randrange(3), rng.randrange(60))
            ]
            this_morning = _at(today, 8 + rng.randrange(3), rng.randrange(60))
            if this_morning < now:
                times.append(this_morning)
            for when in times:
                # Figures the system holds are reported as they are (no false 瞒报 flags in the demo).
                known = prefill(unit, local_date(when), now=when)
                if rng.random() < 0.3 and not any(known.values()):
                    do_file_report(office, unit, local_date(when), {}, now=when, is_zero=True)
                else:
                    values = {code: rng.randrange(1, 5) for code in codes} | known
                    # Results come from the samples taken, and a positive would alert the command office.
                    if "nat_samples" not in known:  # (the testing app knows them once it is installed)
                        values |= {
                            "nat_positive": 0,
                            "nat_samples": values.get("nat_negative", 0) + rng.randrange(5),
                        }
                    if not any(values.values()):  # every figure is the system's, all 0 (issue 17)
                        do_file_report(office, unit, local_date(when), {}, now=when, is_zero=True)
                    else:
                        do_file_report(office, unit, local_date(when), values, now=when)
                filed += 1
        do_deadline_sweep(now)

    pushed = _push_list(office, now, rng)

    urgent_unit = Region.objects.filter(level=Level.TOWNSHIP, name="新习镇").first() or county
    do_send_urgent(
        cadres["xinxi"],
        urgent_unit,
        UrgentKind.ABNORMAL,
        "演示：某村发现一名自郑州返乡人员体温37.8℃，已送定点医院发热门诊，结果待出。",
        now=now,
    )
    controlled = _control_demo(office, now)
    return {
        "risk_areas": len(RISK_AREAS),
        "returnees": returnees,
        "shifts": len(shifts),
        "reports": filed,
        "push_items": pushed,
        "control_orders": controlled,
    }


def _push_list(office: User, now: datetime.datetime, rng: random.Random) -> int:
    """A pushed list from the big-data centre: residents the system knows and strangers, a few bad rows; 王助镇
    hands some of its items to a village and to the grid worker."""
    townships = list(Region.objects.filter(level=Level.TOWNSHIP).order_by("path"))
    known = list(Person.objects.order_by("?")[:60])
    rows = [["姓名", "身份证号", "手机号", "来源地", "到达时间", "所属乡镇"]]
    # Leads with a bad or absent secondary field import flagged (issue 11): the grid worker gets two of them.
    day = now.strftime("%Y-%m-%d")
    rows += [
        ["线索甲", make_id("410928", datetime.date(1988, 3, 9), 901), "暂无", "郑州市", day, "王助镇"],
        ["线索乙", "410928198803091230", "13912300901", "南京市", day, "王助镇"],
    ]
    for n, person in enumerate(known):
        town = person.region.ancestor_at(Level.TOWNSHIP)
        rows.append(
            [
                person.name,
                person.document_number,
                national(person.phone),
                ORIGINS[n % 5][1],
                (now - datetime.timedelta(days=n % 5)).strftime("%Y-%m-%d"),
                town.name if town else "",
            ]
        )
    for n in range(120):
        birth = datetime.date(1960, 1, 1) + datetime.timedelta(days=rng.randrange(40 * 365))
        town_name = rng.choice(townships).name if n % 10 else ""
        rows.append(
            [
                f"推送{n:03d}号",
                make_id("410928", birth, 500 + n),
                f"139{rng.randrange(10**8):08d}",
                ORIGINS[n % 5][1],
                (now - datetime.timedelta(days=n % 7)).strftime("%Y-%m-%d"),
                town_name,
            ]
        )
    # Rows that identify no one go to the error file.
    rows += [
        ["坏行一", "410928199001011230", "暂无", "南京市", "2021-02-30", "王助镇"],
        ["", "", "", "", "", ""],
    ]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "大数据推送名单.csv"
        with path.open("w", encoding="utf-8-sig", newline="") as fh:
            csv.writer(fh).writerows(rows)
        batch = do_import_push_list(office, path, "演示：大数据中心推送名单", now)
    cadre = User.objects.get(username="wangzhu")
    worker = User.objects.get(username="wangzhu-grid")
    if cadre.region and worker.region and worker.region.parent:
        mine = list(
            PushItem.objects.filter(batch=batch, outcome="").within(cadre.region).order_by("row_number")[:6]
        )
        do_dispatch(cadre, mine, worker.region.parent, now)
        do_assign(cadre, mine[:4], worker, now)
    return PushItem.objects.filter(batch=batch).count()


def _control_demo(office: User, now: datetime.datetime) -> int:
    """Control (issue 12): orders in every stage for 王助镇's first grid (wangzhu-grid has follow-ups to do
    today), a release held for a missing test, one ready, a transfer due tomorrow, a site with rooms and a small
    contact chain."""
    from fangkong.control.actions import (
        do_add_contact,
        do_check_in,
        do_create_site,
        do_record_follow_up,
        do_record_test_results,
        do_start_order,
    )
    from fangkong.control.models import ControlOrder, OrderStatus, Protocol, Reason

    today = local_date(now)
    worker = User.objects.get(username="wangzhu-grid")
    grid = worker.region
    township = Region.objects.get(code="410972100")
    assert grid is not None  # noqa: S101
    site = do_create_site(
        office,
        region=township,
        name="王助镇集中隔离点（演示）",
        address="王助镇政府东 200 米",
        rooms=[str(n) for n in range(101, 111)],
    )
    do_create_site(
        office,
        region=Region.objects.get(code="410972101"),
        name="新习镇隔离酒店（演示）",
        address="",
        rooms=[str(n) for n in range(201, 206)],
    )
    busy = set(ControlOrder.objects.filter(status=OrderStatus.ACTIVE).values_list("person_id", flat=True))
    # The grid's own people first (wangzhu-grid follows them up), then the rest of the township.
    nearby = Person.objects.filter(region__parent=grid.parent).exclude(region=grid).order_by("id")
    people = [
        p for p in [*Person.objects.filter(region=grid).order_by("id"), *nearby[:40]] if p.pk not in busy
    ]
    plans = [
        # (protocol, days since the start, reason): central, tomorrow's transfer, home ×2, monitoring, releases
        ("2021-14-7-7", 3, Reason.CLOSE_CONTACT),
        ("2021-14-7-7", 13, Reason.RETURNEE),
        ("2021-14-7-7", 16, Reason.CLOSE_CONTACT),
        ("2021-7-7", 2, Reason.SECONDARY_CONTACT),
        ("2021-14-7-7", 23, Reason.RETURNEE),
        ("2021-monitoring-7", 1, Reason.PUSH_LIST),
        ("v9-close-contact", 10, Reason.CLOSE_CONTACT),
        ("v9-close-contact", 10, Reason.CLOSE_CONTACT),
    ]

    class _Result:
        def __init__(self, person_id: int, day: datetime.date) -> None:
            self.person_id, self.sampled_on, self.result = person_id, day, "negative"
            self.resulted_at, self.sample_uuid = _at(day, 18), None

    orders = []
    for (code, back, reason), person in zip(plans, people, strict=False):
        protocol = Protocol.objects.filter(code=code).order_by("version").first()
        assert protocol is not None  # noqa: S101
        start_day = today - datetime.timedelta(days=back)
        # Started on its start day: an order whose protocol is already over (a release due) cannot start now.
        started = min(now, _at(start_day, 10))
        orders.append(
            do_start_order(office, person, reason=reason, protocol=protocol, start_day=start_day, now=started)
        )
    for n, order in enumerate(orders):
        past = [t.day for t in order.tests.filter(day__lt=today)]
        if n == 6 and past:
            past = past[:-1]  # one result missing: this release is held
        do_record_test_results([_Result(order.subject_id, d) for d in past], now)
    if orders:
        do_check_in(office, orders[0], site, now=now)
    if len(orders) > 2:
        do_record_follow_up(worker, orders[2], temperature="36.6", symptoms=[], at_home=True, now=now)
    if len(people) > len(plans):
        index = people[len(plans)]
        for n, (kind, name) in enumerate([("close", "演示密接甲"), ("close", "演示密接乙")]):
            link = do_add_contact(
                office,
                index,
                name=name,
                document_number=make_id("410928", datetime.date(1990, 6, 1), 800 + n),
                phone="",
                region=grid,
                kind=kind,
                last_exposure=today - datetime.timedelta(days=1),
                place="农贸市场",
                now=now,
            )
            if n == 0:
                do_add_contact(
                    office,
                    link.contact,
                    name="演示次密接",
                    phone="",
                    region=grid,
                    kind="secondary",
                    document_number=make_id("410928", datetime.date(1990, 6, 1), 810),
                    last_exposure=today,
                    place="家中",
                    now=now,
                )
    return ControlOrder.objects.filter(status=OrderStatus.ACTIVE).count()
