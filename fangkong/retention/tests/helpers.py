"""Records of every kind the retention policy covers, made through each app's real actions at a given time."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path

from conftest import District, make_user
from fangkong.accounts.models import User
from fangkong.accounts.permissions import Role
from fangkong.checkpoints.actions import CrossingInput, do_register_crossing
from fangkong.checkpoints.models import Crossing
from fangkong.checkpoints.tests.helpers import create_checkpoint, staff_user, traveller
from fangkong.control.actions import do_cancel, do_record_follow_up
from fangkong.control.models import ControlOrder, FollowUp
from fangkong.control.tests.helpers import start
from fangkong.people.tests.helpers import create_person
from fangkong.pushlists.actions import do_import_push_list
from fangkong.pushlists.models import PushBatch
from fangkong.pushlists.tests.conftest import id_number, write_csv
from fangkong.screening.actions import do_register_returnee
from fangkong.screening.models import Channel, ReturneeReport
from fangkong.screening.tests.helpers import returnee_input, valid_id
from fangkong.testing.actions import (
    ResultRow,
    do_create_point,
    do_create_round,
    do_record_results,
    do_register_sample,
)
from fangkong.testing.models import TubeMember


@dataclass
class Records:
    crossing: Crossing
    report: ReturneeReport
    batch: PushBatch
    follow_up: FollowUp
    closed_order: ControlOrder
    sample: TubeMember


def make_records(
    district: District, manager: User, now: datetime.datetime, tmp: Path, seq: int, name: str
) -> Records:
    """One crossing (a vehicle with a plate), one returnee report, one push list (two rows, one an error row), one
    follow-up with a symptom and a note, one cancelled order and one sample of a one-day round with its result, all
    dated `now`; `seq` keeps numbers and file contents unique."""
    kakou = User.objects.filter(username=f"kakou{seq}").first() or staff_user(
        f"kakou{seq}", district.township_a
    )
    checkpoint = create_checkpoint(manager, district.township_a, name=f"卡口{seq}", staff=[kakou], now=now)
    crossing = do_register_crossing(
        kakou,
        checkpoint,
        CrossingInput(
            kind="vehicle",
            origin="河南省郑州市",
            plate=f"豫J1234{seq}",
            travellers=[
                traveller(name=name, phone=f"1390000000{seq}"),
                traveller(name=name + "乙", is_driver=False),
            ],
        ),
        now=now,
    )
    report = do_register_returnee(
        None,
        channel=Channel.GRID,
        region=district.grid_a,
        data=returnee_input(
            name=name,
            document_number=valid_id(seq),
            phone=f"1370000000{seq}",
            address="王助村3号",
            travel_history="南京—郑州",
            return_date=now.date(),
        ),
        now=now,
    )
    rows = [
        [name, id_number(seq), f"1391234567{seq}", "南京", "2021-08-01 10:00", "王助镇", "王助村5号"],
        [name + "丙", "not-a-number-" + str(seq), "x", "", "", "", ""],
    ]
    path = write_csv(tmp / f"list{seq}.csv", rows)
    batch = do_import_push_list(manager, path, path.name, now)
    order = start(district.village_a, now.date(), now=now, name=name)
    follow_up = do_record_follow_up(
        manager, order, temperature="36.6", symptoms=["cough"], at_home=True, note=f"{name}说咳嗽", now=now
    )
    closed_order = start(district.village_a, now.date(), now=now, name=name + "丁")
    closed_order.source_ref = f"推送{seq}号"
    closed_order.save(update_fields=["source_ref"])
    closed_order = do_cancel(manager, closed_order, f"{name}丁信息有误", now=now)
    sample = _sample(district, now, seq, name)
    return Records(crossing, report, batch, follow_up, closed_order, sample)


def _sample(district: District, now: datetime.datetime, seq: int, name: str) -> TubeMember:
    """A single tube of a one-day round (its day `now`'s), sampled and resulted negative the same day."""
    collector = User.objects.filter(username="jiance").first() or make_user(
        "jiance", Role.TESTING_STAFF, district.county
    )
    point = do_create_point(
        collector,
        region=district.township_a,
        name=f"采样点{seq}",
        address="王助镇政府路1号",
        opening_hours="08:00–12:00",
        desks=1,
        now=now,
    )
    rnd = do_create_round(
        collector,
        name=f"第{seq}轮",
        units=[district.township_a],
        starts_on=now.date(),
        ends_on=now.date(),
        now=now,
    )
    person = create_person(district.grid_a, name + "戊")
    sample = do_register_sample(
        collector, point=point, barcode=f"S{seq:05d}", person=person, rnd=rnd, now=now
    )
    do_record_results(
        collector, [ResultRow(2, f"S{seq:05d}", "negative", now + datetime.timedelta(hours=6))], now=now
    )
    return sample
