"""The supervision demo: the district's 边巡边改 so far — 79 items found, 78 fixed (98.7%) as in the seed — made
through the real actions, a published notice, and today's work: 王助镇 has one item to fix (`wangzhu` reports
the fix), the inspector (`ducha`) then accepts it, inspects a checkpoint and publishes the next notice.

Everything is dated relative to `now`.
"""

from __future__ import annotations

import datetime
import io
import random
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from fangkong.accounts.models import User
from fangkong.accounts.permissions import Role
from fangkong.lib.reporting_day import local_date
from fangkong.regions.models import Level, Region
from fangkong.supervision.actions import do_accept_fix, do_open_item, do_record_inspection, do_report_fix
from fangkong.supervision.models import Checklist, RectificationKind
from fangkong.supervision.notices import do_publish_notice

FOUND, FIXED = 79, 78
FINDINGS = [
    ("checkpoint", "卡口", "值守人员未逐人查验健康码、行程码", RectificationKind.IMMEDIATE),
    ("checkpoint", "卡口", "夜间值守人员脱岗", RectificationKind.IMMEDIATE),
    ("checkpoint", "卡口", "出入登记台账信息不全", RectificationKind.DEADLINE),
    ("village", "村委会", "宣传横幅悬挂不到位", RectificationKind.IMMEDIATE),
    ("village", "村委会", "返乡人员登记造册不完整", RectificationKind.DEADLINE),
    ("venue", "网吧", "未按通知停业", RectificationKind.SPECIAL),
    ("testing_point", "核酸采样点", "“一米线”间隔未落实", RectificationKind.IMMEDIATE),
    ("isolation_site", "隔离点", "消杀记录不完整", RectificationKind.DEADLINE),
]


def _photo(rng: random.Random) -> SimpleUploadedFile:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (320, 240), (rng.randrange(256), rng.randrange(256), rng.randrange(256))).save(
        out, "PNG"
    )
    return SimpleUploadedFile("demo.png", out.getvalue(), content_type="image/png")


def build_supervision(now: datetime.datetime, *, seed: int = 2021) -> dict[str, int]:
    rng = random.Random(seed)
    ducha = User.objects.get(username="ducha")
    villages = list(Region.objects.filter(level=Level.VILLAGE, is_active=True).order_by("path"))
    fixers = {u.region_id: u for u in User.objects.filter(role=Role.TOWNSHIP_CADRE)}
    wangzhu = User.objects.select_related("region").get(username="wangzhu")
    wangzhu_path = wangzhu.region.path if wangzhu.region is not None else "/"
    office = User.objects.get(username="zhihuibu")
    checklists = {c.place_kind: c for c in Checklist.objects.all()}
    today = local_date(now)
    closed_items = []
    for n in range(FOUND):
        kind_place, place, text, kind = FINDINGS[n % len(FINDINGS)]
        found_at = now - datetime.timedelta(days=30 - n * 25 // FOUND, hours=rng.randrange(1, 6))
        village = villages[(n * 7) % len(villages)]
        if n == FOUND - 1:  # the one still open: 王助镇's, for wangzhu to fix today
            village = next(v for v in villages if v.path.startswith(wangzhu_path))
            found_at = now - datetime.timedelta(days=1)
        township = village.parent
        assert township is not None  # noqa: S101 - villages hang under townships
        inspection = do_record_inspection(
            ducha,
            region=village,
            place_kind=kind_place,
            place_name=f"{village.name}{place}",
            inspected_at=found_at,
            checklist=checklists.get(kind_place),
            note="",
            now=found_at,
        )
        due = (
            local_date(found_at) + datetime.timedelta(days=3) if kind != RectificationKind.IMMEDIATE else None
        )
        if n == FOUND - 1:
            kind, due, text = (
                RectificationKind.DEADLINE,
                today + datetime.timedelta(days=1),
                "卡口值守人员未佩戴口罩、未测温",
            )
        item = do_open_item(
            ducha,
            region=village,
            kind=kind,
            description=text,
            due_on=due,
            inspection=inspection,
            now=found_at,
        )
        if n == FOUND - 1:
            break
        # Townships without a demo account report through the command office, which may act for any unit.
        fixer = fixers.get(township.pk, office)
        fixed_at = found_at + datetime.timedelta(hours=rng.randrange(2, 40))
        item = do_report_fix(fixer, item, note="已整改到位。", photos=[_photo(rng)], now=fixed_at)
        item = do_accept_fix(ducha, item, note="复查合格", now=fixed_at + datetime.timedelta(hours=2))
        closed_items.append(item)
    do_publish_notice(
        ducha,
        number=f"督查通报〔{today.year}〕第1号",
        title="关于疫情防控卡口值守问题的通报",
        body="近期，督导组对各乡镇（街道）卡口值守情况进行了督导检查，现将发现的问题通报如下，"
        "请各单位对照问题立行立改、举一反三。",
        items=closed_items[:6],
        is_public=True,
        now=now - datetime.timedelta(days=2),
    )
    return {"supervision_items": FOUND, "supervision_closed": len(closed_items)}


def build_venues_and_publicity(now: datetime.datetime, *, seed: int = 2021) -> dict[str, int]:
    """Venues closed or limited by the command office's notice, family events at every step for 王助镇, and
    the townships' publicity of the last days (皇甫办: 30 banners, 1,000 open letters, 100 posters)."""
    from fangkong.publicity.actions import do_record_tallies
    from fangkong.venues.actions import (
        do_check_event,
        do_decide_event,
        do_issue_venue_notice,
        do_register_event,
        do_register_venue,
    )

    rng = random.Random(seed)
    office = User.objects.get(username="zhihuibu")
    today = local_date(now)
    townships = list(Region.objects.filter(level=Level.TOWNSHIP, is_active=True).order_by("path"))
    venues = 0
    for township in townships:
        village = Region.objects.filter(parent=township, level=Level.VILLAGE).order_by("path").first()
        for kind, name in (("internet_cafe", "网吧"), ("ktv", "KTV"), ("cinema", "影院")):
            do_register_venue(office, region=village or township, kind=kind, name=f"{township.name}{name}")
            venues += 1
    do_issue_venue_notice(
        office,
        number=f"开区防指〔{today.year}〕12号",
        title="关于暂停网吧、KTV等重点场所营业的通知",
        kinds=["internet_cafe", "ktv", "song_hall"],
        status="closed",
        capacity_percent=None,
        starts_on=today - datetime.timedelta(days=7),
        ends_on=today + datetime.timedelta(days=14),
        now=now - datetime.timedelta(days=7),
    )
    do_issue_venue_notice(
        office,
        number=f"开区防指〔{today.year}〕13号",
        title="关于影院限流50%的通知",
        kinds=["cinema"],
        status="limited",
        capacity_percent=50,
        starts_on=today - datetime.timedelta(days=3),
        ends_on=None,
        now=now - datetime.timedelta(days=3),
    )

    grid_worker = User.objects.select_related("region").get(username="wangzhu-grid")
    village_cadre = User.objects.get(username="wangzhu-cun")
    wangzhu = User.objects.get(username="wangzhu")
    grid = grid_worker.region
    assert grid is not None  # noqa: S101 - the demo grid worker has a grid
    earlier = now - datetime.timedelta(days=2)

    def event(kind: str, guests: int, day: datetime.date, host: str, when: datetime.datetime) -> Any:
        return do_register_event(
            grid_worker,
            region=grid,
            kind=kind,
            host_name=host,
            host_phone=f"139{rng.randrange(10**7, 10**8)}",
            day=day,
            place=f"{grid.name}{host}家",
            expected_guests=guests,
            now=when,
        )

    event("wedding", 8, today + datetime.timedelta(days=5), "张三", now)  # waits for the village
    funeral = event("funeral", 15, today + datetime.timedelta(days=1), "李四", earlier)
    do_decide_event(village_cadre, funeral, approve=True, now=earlier)  # waits for 王助镇
    today_event = event("funeral", 12, today, "王五", earlier)
    do_decide_event(village_cadre, today_event, approve=True, now=earlier)
    do_decide_event(wangzhu, today_event, approve=True, now=earlier)  # checked on the day by the village
    done = event(
        "wedding", 6, today - datetime.timedelta(days=1), "赵六", earlier - datetime.timedelta(days=1)
    )
    do_decide_event(village_cadre, done, approve=True, now=earlier)
    do_decide_event(wangzhu, done, approve=True, now=earlier)
    do_check_event(
        village_cadre,
        done,
        actual_guests=6,
        compliant=True,
        note="简办，未设宴",
        now=now - datetime.timedelta(days=1),
    )
    event("banquet", 30, today + datetime.timedelta(days=3), "孙七", earlier)  # refused: 宴会不办
    event("wedding", 60, today + datetime.timedelta(days=10), "周八", earlier)  # refused: over 10 guests

    tallies = 0
    for township in townships:
        for back in range(1, 4):
            day = today - datetime.timedelta(days=back)
            counts = {
                "banner": rng.randrange(2, 12),
                "poster": rng.randrange(10, 40),
                "open_letter": rng.randrange(100, 400),
                "broadcast": rng.randrange(3, 10),
                "wechat": rng.randrange(1, 4),
            }
            if township.name == "皇甫街道" and back == 1:
                counts |= {"banner": 30, "open_letter": 1000, "poster": 100}
            do_record_tallies(office, region=township, day=day, counts=counts, now=now)
            tallies += 1
    return {"venues": venues, "family_events": 6, "publicity_tallies": tallies}
