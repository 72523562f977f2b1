"""The demo's testing and SMS day (issue 13), made through the real actions: testing points in 王助镇 and 新习镇,
a running round over 王助镇 with 10-in-1 pools taken this morning (one still open at the desk), this morning's
lab file with one positive pool (urgent report, recall board), two closed pools still waiting for their
results (for `jiance` to import), cold-chain workers on a 3-day cycle (some overdue), and an SMS campaign to
the untested of a grid, sent with the file backend, some receipts in."""

from __future__ import annotations

import datetime
import tempfile
from pathlib import Path

from django.db import transaction

from fangkong.accounts.access import within
from fangkong.accounts.models import User
from fangkong.lib.reporting_day import local_date
from fangkong.notify.actions import do_create_campaign, do_record_receipts, do_send_campaign
from fangkong.notify.backends import FileBackend
from fangkong.notify.models import CampaignKind, Message, SmsTemplate
from fangkong.people.models import Person
from fangkong.regions.models import Level, Region
from fangkong.reporting.actions import do_acknowledge_urgent
from fangkong.reporting.models import UrgentReport
from fangkong.testing.actions import (
    do_add_key_group_member,
    do_create_point,
    do_create_round,
    do_import_results,
    do_register_sample,
)
from fangkong.testing.figures import untested_people
from fangkong.testing.models import KeyGroup


def build_testing(now: datetime.datetime) -> dict[str, int]:
    staff = User.objects.get(username="jiance")
    office = User.objects.get(username="zhihuibu")
    wangzhu = Region.objects.get(code="410972100")
    xinxi = Region.objects.filter(code="410972101").first()
    today = local_date(now)
    # "This morning" is three hours ago; built just after midnight that is yesterday evening, so the round runs
    # from the day its first sample was taken.
    morning = now - datetime.timedelta(hours=3)
    point = do_create_point(
        staff,
        region=wangzhu,
        name="王助镇卫生院采样点",
        address="王助镇卫生院门诊楼前",
        opening_hours="07:30–12:00，14:30–18:30",
        desks=4,
        now=morning,
    )
    do_create_point(
        staff,
        region=wangzhu,
        name="王助镇政府广场流动采样点",
        address="王助镇政府广场",
        opening_hours="08:00–11:30",
        desks=2,
        kind="mobile",
        now=morning,
    )
    if xinxi is not None:
        do_create_point(
            staff,
            region=xinxi,
            name="新习镇中心学校采样点",
            address="新习镇中心学校操场",
            opening_hours="08:00–12:00",
            desks=3,
            now=morning,
        )
    rnd = do_create_round(
        staff,
        name=f"{today:%-m月%-d日}王助镇全员核酸检测（第一轮）",
        units=[wangzhu],
        starts_on=local_date(morning),
        ends_on=today + datetime.timedelta(days=1),
        now=morning,
    )
    # Sixty-odd people sampled this morning, leaving some of a small township untested for the SMS reminder.
    everyone = Person.objects.active().filter(within(wangzhu)).order_by("region__path", "id")
    people = list(everyone[: min(63, max(everyone.count() - 10, 1))])
    barcodes: list[str] = []
    for n, person in enumerate(people):
        barcode = f"WZ{today:%m%d}{n // 10 + 1:04d}"
        do_register_sample(
            staff,
            point=point,
            barcode=barcode,
            person=person,
            capacity=10,
            rnd=rnd,
            now=morning + datetime.timedelta(minutes=n),
        )
        if barcode not in barcodes:
            barcodes.append(barcode)
    closed = [b for b in barcodes[:-1]]  # the last pool is still open at the desk
    # This morning's lab file: the first pools negative, one positive; the last two closed pools wait for jiance.
    resulted = closed[:-2] if len(closed) > 2 else closed[:1]
    if resulted:
        lines = ["条码,结果,ORF1ab,N,检测时间,检测机构"]
        for i, b in enumerate(resulted):
            positive = i == len(resulted) - 1 and len(resulted) > 1
            lines.append(
                f"{b},{'阳性' if positive else '阴性'},{'31.2' if positive else ''},"
                f"{'32.8' if positive else ''},{now - datetime.timedelta(hours=1):%Y-%m-%d %H:%M},濮阳市疾控中心实验室"
            )
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "lab.csv"
            path.write_text("\n".join(lines) + "\n", encoding="utf-8")
            with transaction.atomic():
                do_import_results(
                    staff,
                    path,
                    f"濮阳市疾控中心{today:%m%d}第1批.csv",
                    now=now - datetime.timedelta(minutes=30),
                )
    # The command office has already taken the positive pool's alert (the demo's one waiting report is 新习镇's).
    for report in UrgentReport.objects.filter(kind="positive_result", acknowledged_at__isnull=True):
        do_acknowledge_urgent(office, report, now=now - datetime.timedelta(minutes=20))
    # Cold-chain workers: joined on different days, so some are overdue.
    cold = KeyGroup.objects.filter(code="cold_chain").first()
    members = 0
    if cold is not None:
        for n, person in enumerate(Person.objects.active().filter(within(wangzhu)).order_by("-id")[:8]):
            do_add_key_group_member(staff, cold, person, now=now - datetime.timedelta(days=n % 5))
            members += 1
    # An SMS campaign to the untested of the first grid, through the file backend, with receipts.
    template = SmsTemplate.objects.filter(code="round_untested").first()
    # The first grid where someone is still untested (the first grids were sampled this morning).
    grid = next(
        (
            g
            for g in Region.objects.active().within(wangzhu).filter(level=Level.GRID).order_by("path")
            if untested_people(rnd, g).exists()
        ),
        None,
    )
    sms = 0
    if template is not None and grid is not None:
        untested = list(untested_people(rnd, grid)[:20])
        campaign = do_create_campaign(
            office,
            region=grid,
            kind=CampaignKind.ROUND_UNTESTED,
            title=f"{rnd.name}：{grid.name}未检人员提醒",
            template=template,
            people=untested,
            params={
                "round": rnd.name,
                "until": rnd.ends_on.isoformat(),
                "link": f"/testing/open/{wangzhu.code}/",
            },
            per_person={p.pk: {"name": p.name} for p in untested},
            now=now,
        )
        sms = do_send_campaign(campaign, now=now, backend=FileBackend())
        sent = list(Message.objects.filter(campaign=campaign).order_by("id"))
        do_record_receipts(
            [
                {
                    "out_id": str(m.uuid),
                    "success": i % 6 != 5,
                    "err_code": "DELIVERED" if i % 6 != 5 else "MK:0012",
                }
                # the last two still waiting for their receipt, when there are more than two
                for i, m in enumerate(sent[: len(sent) - 2] if len(sent) > 2 else sent)
            ],
            now=now,
        )
    open_tubes = sum(1 for b in barcodes if b not in closed)
    return {
        "testing_points": 3,
        "samples": len(people),
        "pools": len(barcodes),
        "open_pools": open_tubes,
        "key_group_members": members,
        "sms_sent": sms,
    }
