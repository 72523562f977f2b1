"""Vaccination and supplies in the demo district, made through the real actions.

Doses arrive as the vaccination system's export (imported by the health bureau through the real importer), a few
are registered by hand at a township's site, key groups and targets are set, and the grid worker of 王助镇's
first grid finds a list to mobilise with some reasons already recorded. A second export, of today's doses, is left
in `var/demo/vaccination-export-today.csv` for the command office to import in the browser. Each township keeps a
warehouse; 王助镇's is short of N95 masks and holds sampling tubes that expire within 30 days.
"""

from __future__ import annotations

import csv
import datetime
import random
from decimal import Decimal
from pathlib import Path

from django.conf import settings

from fangkong.accounts.models import User
from fangkong.lib.reporting_day import local_date
from fangkong.people.models import Person
from fangkong.regions.models import Level, Region
from fangkong.supplies.actions import do_create_warehouse, do_issue, do_receive, do_set_threshold, do_transfer
from fangkong.supplies.models import SupplyItem, Warehouse
from fangkong.vaccination.actions import (
    do_add_to_key_group,
    do_create_site,
    do_import_vaccinations,
    do_register_dose,
    do_set_reason,
    do_set_target,
)
from fangkong.vaccination.models import (
    AgeBand,
    KeyGroup,
    NotVaccinatedReason,
    VaccinationRecord,
    VaccineProduct,
)

HEADER = ["姓名", "身份证号", "疫苗名称", "生产企业", "剂次", "接种日期", "接种单位", "疫苗批号"]
# Share of each band with a completed course, and with a first dose only (the rest: none yet).
BAND_SHARES = {"3-11": (0.55, 0.15), "12-17": (0.88, 0.05), "18-59": (0.9, 0.04), "60+": (0.72, 0.06)}


def _age(person: Person, day: datetime.date) -> int | None:
    return person.age_on(day)


def _band(age: int | None) -> str | None:
    if age is None or age < 3:
        return None
    if age <= 11:
        return "3-11"
    if age <= 17:
        return "12-17"
    return "18-59" if age <= 59 else "60+"


def export_path() -> Path:
    path = Path(settings.VAR_DIR) / "demo"
    path.mkdir(parents=True, exist_ok=True)
    return path / "vaccination-export-today.csv"


def _write(path: Path, rows: list[list[str]]) -> bytes:
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path.read_bytes()


def build_vaccination(now: datetime.datetime, rng: random.Random) -> dict[str, int]:
    today = local_date(now)
    office = User.objects.get(username="zhihuibu")
    bureau = User.objects.get(username="weijian")
    county = office.region
    assert county is not None  # noqa: S101 - the demo accounts are built first
    inactivated = list(VaccineProduct.objects.filter(course_doses=2).order_by("id"))
    single = VaccineProduct.objects.filter(course_doses=1).first()
    townships = list(Region.objects.filter(level=Level.TOWNSHIP).order_by("code"))
    sites = {t.pk: do_create_site(office, t, f"{t.name}卫生院接种点") for t in townships}

    earlier: list[list[str]] = []
    later: list[list[str]] = []  # today's second doses, for the command office to import
    people = list(Person.objects.active().select_related("region").order_by("id"))
    path_to_township = {t.path: t for t in townships}
    # The grid worker's grid lags behind, so its mobilisation list has work on it.
    lagging = User.objects.get(username="wangzhu-grid").region_id
    for person in people:
        band = _band(_age(person, today))
        if band is None:
            continue
        complete, first_only = (0.35, 0.2) if person.region_id == lagging else BAND_SHARES[band]
        draw = rng.random()
        township = next((t for p, t in path_to_township.items() if person.region.path.startswith(p)), None)
        site = sites[township.pk].name if township else "区疾控接种点"
        lot = f"2021{rng.randrange(1, 13):02d}{rng.randrange(100):03d}"
        first_day = today - datetime.timedelta(days=rng.randrange(60, 200))
        if draw < complete:
            if single is not None and band == "18-59" and rng.random() < 0.08:
                earlier.append(
                    [
                        person.name,
                        person.document_number,
                        single.name,
                        single.manufacturer,
                        "1",
                        first_day.isoformat(),
                        site,
                        lot,
                    ]
                )
                continue
            product = rng.choice(inactivated)
            second = first_day + datetime.timedelta(days=rng.randrange(21, 56))
            earlier.append(
                [
                    person.name,
                    person.document_number,
                    product.name,
                    product.manufacturer,
                    "1",
                    first_day.isoformat(),
                    site,
                    lot,
                ]
            )
            if draw < complete - 0.04:
                earlier.append(
                    [
                        person.name,
                        person.document_number,
                        product.name,
                        product.manufacturer,
                        "2",
                        min(second, today - datetime.timedelta(days=1)).isoformat(),
                        site,
                        lot,
                    ]
                )
            else:
                later.append(
                    [
                        person.name,
                        person.document_number,
                        product.name,
                        product.manufacturer,
                        "2",
                        today.isoformat(),
                        site,
                        lot,
                    ]
                )
        elif draw < complete + first_only:
            product = rng.choice(inactivated)
            earlier.append(
                [
                    person.name,
                    person.document_number,
                    product.name,
                    product.manufacturer,
                    "1",
                    first_day.isoformat(),
                    site,
                    lot,
                ]
            )

    first = _write(export_path().with_name("vaccination-export-earlier.csv"), earlier)
    batch = do_import_vaccinations(
        bureau, county, "疫苗接种系统导出-截至昨日.csv", first, now - datetime.timedelta(hours=2)
    )
    _write(export_path(), later)

    # Key groups (机关事业单位 staff, cold-chain workers, teachers) among the adults, and the district's targets.
    adults = [p for p in people if _band(_age(p, today)) == "18-59"]
    groups = {g.code: g for g in KeyGroup.objects.all()}
    for person in rng.sample(adults, min(len(adults), 120)):
        do_add_to_key_group(office, groups["public_staff"], person)
    for person in rng.sample(adults, min(len(adults), 25)):
        do_add_to_key_group(office, groups["cold_chain"], person)
    for person in rng.sample(adults, min(len(adults), 60)):
        do_add_to_key_group(office, groups["teachers"], person)
    do_set_target(office, county, band=None, group=None, rate=Decimal("90"))
    bands = {b.code: b for b in AgeBand.objects.all()}
    for code, rate in [("3-11", "80"), ("12-17", "95"), ("18-59", "95"), ("60+", "85")]:
        do_set_target(office, county, band=bands[code], group=None, rate=Decimal(rate))
    do_set_target(office, county, band=None, group=groups["public_staff"], rate=Decimal("96.45"))
    do_set_target(office, county, band=None, group=groups["cold_chain"], rate=Decimal("100"))

    # The grid worker's list: a few reasons already recorded, the rest still to ask.
    grid_worker = User.objects.get(username="wangzhu-grid")
    assert grid_worker.region is not None  # noqa: S101
    from fangkong.vaccination.coverage import unvaccinated

    todo = list(unvaccinated(grid_worker.region, today)[:6])
    reasons = [NotVaccinatedReason.CONTRAINDICATION, NotVaccinatedReason.AWAY]
    for person, reason in zip(todo, reasons, strict=False):
        do_set_reason(grid_worker, person, reason=reason, scheduled_on=None, note="演示", now=now)
    cadre = User.objects.get(username="wangzhu")
    assert cadre.region is not None  # noqa: S101
    wangzhu_site = sites.get(cadre.region.pk)
    never = unvaccinated(cadre.region, today).exclude(pk__in=VaccinationRecord.objects.values("person_id"))
    walk_in = list(never[10:13])
    for person in walk_in:
        do_register_dose(
            cadre,
            person,
            product=inactivated[0],
            dose_number=1,
            vaccinated_on=today,
            site=wangzhu_site,
            lot="20210801A",
            now=now,
        )
    return {"vaccination_doses": batch.created + len(walk_in), "vaccination_export_rows_left": len(later)}


def build_supplies(now: datetime.datetime, rng: random.Random) -> dict[str, int]:
    today = local_date(now)
    office = User.objects.get(username="zhihuibu")
    county = office.region
    assert county is not None  # noqa: S101
    items = {i.code: i for i in SupplyItem.objects.all()}
    week_ago = now - datetime.timedelta(days=7)
    store = do_create_warehouse(
        office, county, name="区防疫物资储备库", address="开发区管委会院内", now=week_ago
    )
    stock = {
        "n95_mask": 20000,
        "surgical_mask": 100000,
        "protective_suit": 3000,
        "gloves": 20000,
        "goggles": 1500,
        "face_shield": 1500,
        "antigen_test_kit": 5000,
        "sampling_tube": 30000,
        "swab": 60000,
        "disinfectant": 2000,
        "thermometer": 300,
    }
    for code, quantity in stock.items():
        do_receive(
            office,
            store,
            items[code],
            quantity=quantity,
            lot_number=f"Q{rng.randrange(1000, 9999)}",
            expires_on=today + datetime.timedelta(days=rng.randrange(200, 700)),
            reason="市级调拨入库",
            now=week_ago,
        )
        do_set_threshold(office, store, items[code], quantity // 5)
    moves = len(stock)
    for township in Region.objects.filter(level=Level.TOWNSHIP).order_by("code"):
        w = do_create_warehouse(office, township, name=f"{township.name}物资库", address="", now=week_ago)
        for code, quantity, threshold in [
            ("n95_mask", 800, 500),
            ("surgical_mask", 5000, 2000),
            ("protective_suit", 120, 50),
            ("sampling_tube", 1500, 600),
            ("disinfectant", 100, 40),
        ]:
            do_transfer(office, store, w, items[code], quantity=quantity, reason="下拨乡镇", now=week_ago)
            do_set_threshold(office, w, items[code], threshold)
            moves += 2
    # 王助镇: N95 masks issued to its checkpoints below the threshold, and a lot of sampling tubes that expires soon.
    cadre = User.objects.get(username="wangzhu")
    wangzhu = Region.objects.get(code="410972100")
    w = Warehouse.objects.get(region=wangzhu)
    do_issue(
        cadre,
        w,
        items["n95_mask"],
        quantity=420,
        reason="发放各卡口值守人员",
        now=now - datetime.timedelta(days=1),
    )
    do_receive(
        cadre,
        w,
        items["sampling_tube"],
        quantity=400,
        lot_number="CG202107",
        expires_on=today + datetime.timedelta(days=18),
        reason="社会捐赠",
        now=now - datetime.timedelta(days=2),
    )
    do_issue(
        cadre,
        w,
        items["sampling_tube"],
        quantity=300,
        reason="全员核酸检测采样点领用",
        now=now - datetime.timedelta(hours=5),
    )
    return {
        "warehouses": Region.objects.filter(level=Level.TOWNSHIP).count() + 1,
        "stock_movements": moves + 3,
    }


def build_vaccsupply(now: datetime.datetime, *, seed: int = 2021) -> dict[str, int]:
    rng = random.Random(seed)
    summary = build_vaccination(now, rng)
    summary.update(build_supplies(now, rng))
    return summary
