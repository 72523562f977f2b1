"""Builds the demo district: 濮阳经济技术开发区 from the statistical tables, two local sub-districts, grids,
a few thousand clearly synthetic residents in households, and one account per role.

Names are the placeholder names every Chinese form uses (张三, 李四, 王五 …); ID numbers and phones are
valid in form but generated.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from fangkong.accounts.models import User
from fangkong.accounts.permissions import Role
from fangkong.audit.actions import record
from fangkong.audit.models import AuditAction
from fangkong.lib.idnumbers import make as make_id
from fangkong.lib.names import full_pinyin, initials
from fangkong.people.models import Household, Person
from fangkong.regions.actions import do_create_region, do_import_regions, next_grid_code
from fangkong.regions.models import Level, Region

REGIONS_CSV = Path(__file__).parent / "data" / "regions-410972.csv"
DEMO_PASSWORD = "fangkong-demo"  # noqa: S105 - documented demo password
COUNTY = "410972"

LOCAL_UNITS = [
    ("L41097201", "华安办", ["华安社区", "华兴社区", "安居社区"]),
    ("L41097202", "幸福办", ["幸福社区", "福安社区", "和谐社区"]),
]

SURNAMES = "张王李赵刘陈杨黄周吴徐孙马朱胡郭何林高罗"
GIVEN = [
    "三",
    "四",
    "五",
    "六",
    "七",
    "八",
    "九",
    "十",
    "小三",
    "小四",
    "小五",
    "某",
    "某某",
    "甲",
    "乙",
    "丙",
    "丁",
]
ID_PREFIXES = ["410928", "410902", "410922", "410923", "410926", "410927"]
PHONE_PREFIXES = ["139", "138", "137", "136", "135", "158", "186", "189", "133", "177"]


@dataclass(frozen=True)
class DemoAccount:
    username: str
    full_name: str
    role: Role
    region_code: str


def demo_accounts(first_grid_code: str, first_village_code: str) -> list[DemoAccount]:
    return [
        DemoAccount("zhihuibu", "指挥部值班员", Role.COMMAND_OFFICE, COUNTY),
        DemoAccount("weijian", "卫生健康局", Role.HEALTH_BUREAU, COUNTY),
        DemoAccount("wangzhu", "王助镇干部", Role.TOWNSHIP_CADRE, "410972100"),
        DemoAccount("xinxi", "新习镇干部", Role.TOWNSHIP_CADRE, "410972101"),
        DemoAccount("huangfu", "皇甫办干部", Role.TOWNSHIP_CADRE, "410972061"),
        DemoAccount("wangzhu-cun", "王助镇村干部", Role.VILLAGE_CADRE, first_village_code),
        DemoAccount("wangzhu-grid", "王助镇网格员", Role.GRID_WORKER, first_grid_code),
        DemoAccount("kakou", "卡口值守", Role.CHECKPOINT_STAFF, "410972100"),
        DemoAccount("jiance", "核酸检测点", Role.TESTING_STAFF, COUNTY),
        DemoAccount("ducha", "督导组", Role.INSPECTOR, COUNTY),
        DemoAccount("lingdao", "区领导", Role.LEADER, COUNTY),
    ]


def _phone(rng: random.Random) -> str:
    return f"+86{rng.choice(PHONE_PREFIXES)}{rng.randrange(10**8):08d}"


@transaction.atomic
def build(*, people_per_village: int = 24, seed: int = 2021) -> dict[str, int]:
    rng = random.Random(seed)
    do_import_regions(None, REGIONS_CSV.read_text(encoding="utf-8"))
    county = Region.objects.get(code=COUNTY)
    for code, name, communities in LOCAL_UNITS:
        unit = do_create_region(None, parent=county, code=code, name=name, level=Level.TOWNSHIP)
        for i, community in enumerate(communities, start=1):
            do_create_region(None, parent=unit, code=f"{code}{i:03d}", name=community, level=Level.VILLAGE)

    villages = list(Region.objects.filter(level=Level.VILLAGE).order_by("path"))
    grids: dict[int, list[Region]] = {}
    new_grids = []
    for village in villages:
        base = next_grid_code(village)[:-2]
        for n in range(1, 4):
            new_grids.append(
                Region(
                    code=f"{base}{n:02d}",
                    name=f"第{n}网格",
                    level=Level.GRID,
                    parent=village,
                    path=Region.path_for(f"{base}{n:02d}", village),
                    is_local=True,
                )
            )
    Region.objects.bulk_create(new_grids, batch_size=500)
    for grid in Region.objects.filter(level=Level.GRID).order_by("path"):
        grids.setdefault(grid.parent_id or 0, []).append(grid)

    households: list[Household] = []
    plans: list[tuple[Household, Region, int]] = []
    for village in villages:
        remaining = people_per_village
        house_no = 1
        while remaining > 0:
            size = min(remaining, rng.randint(1, 5))
            grid = rng.choice(grids[village.pk])
            hh = Household(
                region=village, number=f"{house_no:04d}", address=f"{village.name}{house_no}号（演示地址）"
            )
            households.append(hh)
            plans.append((hh, grid, size))
            remaining -= size
            house_no += 1
    Household.objects.bulk_create(households, batch_size=1000)

    people: list[Person] = []
    # The canonical 张三 lives in 王助镇's first village, so searching `zs` there always finds someone.
    zhang_birth = datetime.date(1985, 3, 1)
    zhang_number = make_id("410928", zhang_birth, 999)
    used: set[str] = {zhang_number}
    wangzhu_first = next(v for v in villages if v.path.startswith(f"/{COUNTY}/410972100/"))
    first_grid = grids[wangzhu_first.pk][0]
    for hh, grid, size in plans:
        surname = rng.choice(SURNAMES)
        for _ in range(size):
            name = surname + rng.choice(GIVEN)
            number = ""
            while not number or number in used:
                birth = datetime.date(1940, 1, 1) + datetime.timedelta(days=rng.randrange(80 * 365))
                number = make_id(rng.choice(ID_PREFIXES), birth, rng.randrange(1000))
            used.add(number)
            people.append(
                Person(
                    name=name,
                    name_initials=initials(name),
                    name_pinyin=full_pinyin(name),
                    document_number=number,
                    sex="M" if int(number[16]) % 2 else "F",
                    birth_date=birth,
                    phone=_phone(rng),
                    address=hh.address,
                    household=hh,
                    region=grid,
                )
            )
    people.append(
        Person(
            name="张三",
            name_initials="zs",
            name_pinyin="zhangsan",
            document_number=zhang_number,
            sex="M",
            birth_date=zhang_birth,
            phone="+8613900000000",
            address=f"{wangzhu_first.name}1号（演示地址）",
            region=first_grid,
        )
    )
    Person.objects.bulk_create(people, batch_size=1000)

    for account in demo_accounts(first_grid.code, wangzhu_first.code):
        user = User(
            username=account.username,
            full_name=account.full_name,
            role=account.role,
            region=Region.objects.get(code=account.region_code),
        )
        user.set_password(DEMO_PASSWORD)
        user.save()
    summary = {
        "regions": Region.objects.count(),
        "households": len(households),
        "people": len(people),
        "users": User.objects.count(),
    }
    record(
        None,
        AuditAction.IMPORT,
        label="demo district",
        note=", ".join(f"{k}={v}" for k, v in summary.items()),
    )
    return summary
