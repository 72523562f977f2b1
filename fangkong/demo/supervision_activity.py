"""The supervision demo: the district's 边巡边改 so far — 79 items found, 78 fixed (98.7%) as in the seed — made
through the real actions, a published notice, and today's work: 王助镇 has one item to fix (`wangzhu` reports
the fix), the inspector (`ducha`) then accepts it, inspects a checkpoint and publishes the next notice.

Everything is dated relative to `now`.
"""

from __future__ import annotations

import datetime
import io
import random

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
