"""The checkpoint part of the demo (issue 14): a checkpoint of 王助镇 with `kakou` on duty, the day's crossings
(green cars, a yellow code from a starred city passed on to the grid, a febrile traveller referred, one turned
back), a second checkpoint in 新习镇 not yet started, and an inspector's spot check with a finding."""

from __future__ import annotations

import datetime
import random

from fangkong.accounts.models import User
from fangkong.checkpoints.actions import (
    CrossingInput,
    SpotCheckInput,
    TravellerInput,
    do_create_checkpoint,
    do_record_spot_check,
    do_register_crossing,
    do_start_shift,
)
from fangkong.checkpoints.models import DEFAULT_EQUIPMENT, CheckpointKind
from fangkong.duty.actions import do_create_shift
from fangkong.lib.idnumbers import make as make_id
from fangkong.regions.models import Level, Region

SURNAMES = "王李张刘陈杨赵黄周吴"
GIVEN = ["伟", "芳", "娜", "敏", "静", "磊", "洋", "勇", "军", "杰"]
ORIGINS = ["河南省郑州市金水区", "河南省安阳市", "山东省聊城市", "河北省邯郸市", "北京市朝阳区"]


def _traveller(rng: random.Random, n: int, **kw: object) -> TravellerInput:
    values: dict[str, object] = {
        "name": rng.choice(SURNAMES) + rng.choice(GIVEN),
        "document_number": make_id("410928", datetime.date(1970 + n % 40, 1 + n % 12, 1 + n % 27), 500 + n),
        "phone": f"1390000{n:04d}",
        "health_code": "green",
        "vaccination": "full",
        "temperature": f"36.{rng.randrange(2, 9)}",
        "disposition": "pass",
    }
    values.update(kw)
    return TravellerInput(**values)  # type: ignore[arg-type]


def build_checkpoints(now: datetime.datetime, *, seed: int = 2021) -> dict[str, int]:
    rng = random.Random(seed)
    cadre = User.objects.get(username="wangzhu")
    kakou = User.objects.get(username="kakou")
    township = cadre.region
    if township is None:  # pragma: no cover - the demo accounts are built first
        return {}
    checkpoint = do_create_checkpoint(
        cadre,
        name="濮渠路王助卡口",
        kind=CheckpointKind.TOWNSHIP_BORDER,
        road="濮渠路",
        location="王助镇西入口",
        region=township,
        supervising_unit=township,
        equipment=DEFAULT_EQUIPMENT,
        staff=[kakou],
        now=now,
    )
    xinxi = User.objects.get(username="xinxi")
    if xinxi.region is not None:
        do_create_checkpoint(
            xinxi,
            name="新习高速出口卡口",
            kind=CheckpointKind.HIGHWAY_EXIT,
            road="大广高速",
            region=xinxi.region,
            supervising_unit=xinxi.region,
            equipment=DEFAULT_EQUIPMENT,
            now=now,
        )
    # kakou is on the duty roster now; the shift started two hours ago with the disinfectant missing.
    started = now - datetime.timedelta(hours=2)
    do_create_shift(
        cadre,
        region=township,
        starts_at=started,
        ends_at=started + datetime.timedelta(hours=12),
        person_on_duty=kakou,
    )
    present = [item for item in DEFAULT_EQUIPMENT if item != "消毒用品"]
    do_start_shift(kakou, checkpoint, items_present=present, now=started)
    village = Region.objects.within(township).filter(level=Level.VILLAGE).order_by("path").first()
    crossings = 0
    for n in range(18):
        at = started + datetime.timedelta(minutes=6 * n + 1)
        kind = "vehicle" if n % 3 else "person"
        people = [
            _traveller(rng, n * 10 + k, is_driver=k == 0)
            for k in range(1 + (n % 4 if kind == "vehicle" else 0))
        ]
        extra: dict[str, object] = {}
        if n == 5:
            people[0] = _traveller(
                rng, 905, health_code="yellow", trip_star=True, trip_cities="南京市*", disposition="register"
            )
            extra = {"destination_region": village}
        elif n == 9:
            people[0] = _traveller(
                rng,
                909,
                temperature="37.9",
                temperature_again="37.8",
                disposition="refer",
                clinic="区人民医院发热门诊",
            )
        elif n == 13:
            people[0] = _traveller(rng, 913, health_code="yellow", disposition="turn_back")
        origin = "江苏省南京市江宁区禄口街道" if n == 5 else ORIGINS[n % len(ORIGINS)]
        data = CrossingInput(
            kind=kind,
            plate=f"豫J{rng.randrange(10000, 99999)}" if kind == "vehicle" else "",
            origin=origin,
            destination="王助镇",
            travellers=people,
            **extra,  # type: ignore[arg-type]
        )
        do_register_crossing(kakou, checkpoint, data, now=at)
        crossings += 1
    inspector = User.objects.get(username="ducha")
    do_record_spot_check(
        inspector,
        checkpoint,
        SpotCheckInput(staff_present=1, equipment_complete=False, note="消毒用品未到位（演示）"),
        now=now - datetime.timedelta(minutes=30),
    )
    return {"checkpoints": 2, "crossings": crossings}


def build_clinics(now: datetime.datetime) -> dict[str, int]:
    """A pharmacy of 王助镇's first village with its account `yaodian`, a fever clinic, and registrations whose
    follow-up tasks reach `wangzhu-grid` (one of them already overdue)."""
    from fangkong.accounts.permissions import Role
    from fangkong.clinics.actions import RecordInput, do_create_facility, do_register_record
    from fangkong.demo.builder import DEMO_PASSWORD
    from fangkong.people.models import Person

    grid_worker = User.objects.get(username="wangzhu-grid")
    grid = grid_worker.region
    cadre = User.objects.get(username="wangzhu")
    if grid is None or grid.parent is None:  # pragma: no cover
        return {}
    village = grid.parent
    yaodian = User(username="yaodian", full_name="王助村药店", role=Role.FACILITY_STAFF, region=village)
    yaodian.set_password(DEMO_PASSWORD)
    yaodian.save()
    pharmacy = do_create_facility(
        cadre, name="王助村康民大药房", kind="pharmacy", region=village, staff=[yaodian], now=now
    )
    do_create_facility(cadre, name="王助镇卫生院发热门诊", kind="fever_clinic", region=village, now=now)
    people = list(Person.objects.filter(region=grid).order_by("id")[6:8])
    for n, person in enumerate(people):
        do_register_record(
            yaodian,
            pharmacy,
            RecordInput(
                kind="drug_purchase",
                name=person.name,
                document_number=person.document_number,
                medicine="fever" if n == 0 else "cough",
            ),
            now=now - datetime.timedelta(hours=30 if n == 0 else 3),
        )
    return {"surveillance_records": len(people)}


def build_coldchain(now: datetime.datetime) -> dict[str, int]:
    """A cold store of 王助镇 with a released lot and one waiting for its test, and a delivery point's mail."""
    from fangkong.coldchain.actions import (
        do_create_enterprise,
        do_record_disinfection,
        do_record_lot_test,
        do_register_lot,
        do_register_mail_batch,
        do_release_lot,
    )
    from fangkong.lib.reporting_day import local_date

    cadre = User.objects.get(username="wangzhu")
    village = User.objects.get(username="yaodian").region
    if village is None:  # pragma: no cover
        return {}
    today = local_date(now)
    store = do_create_enterprise(
        cadre, name="王助冷链仓储有限公司", kind="cold_store", region=village, now=now
    )
    released = do_register_lot(
        cadre,
        store,
        product="冻猪肉",
        origin_country="西班牙",
        port="天津港",
        quantity="26吨",
        arrived_on=today - datetime.timedelta(days=2),
        trace_code="HNLL2021080100017",
        now=now,
    )
    do_record_lot_test(cadre, released, result="negative", reference="PY-HS-0801-17", now=now)
    do_record_disinfection(cadre, released, certificate="XD-0801-17", now=now)
    do_release_lot(cadre, released, now=now)
    do_register_lot(
        cadre,
        store,
        product="冻虾仁",
        origin_country="厄瓜多尔",
        port="青岛港",
        quantity="12吨",
        arrived_on=today,
        trace_code="HNLL2021080300031",
        now=now,
    )
    point = do_create_enterprise(cadre, name="王助镇邮政网点", kind="delivery_point", region=village, now=now)
    do_register_mail_batch(
        cadre,
        point,
        received_on=today,
        origin_country="日本",
        pieces=46,
        disinfection_certificate="XD-YJ-0803",
        now=now,
    )
    return {"imported_lots": 2}
