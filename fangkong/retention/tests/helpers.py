"""Records of every kind the retention policy covers, made through each app's real actions at a given time."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path

from conftest import District
from fangkong.accounts.models import User
from fangkong.checkpoints.actions import CrossingInput, do_register_crossing
from fangkong.checkpoints.models import Crossing
from fangkong.checkpoints.tests.helpers import create_checkpoint, staff_user, traveller
from fangkong.control.actions import do_record_follow_up
from fangkong.control.models import FollowUp
from fangkong.control.tests.helpers import start
from fangkong.pushlists.actions import do_import_push_list
from fangkong.pushlists.models import PushBatch
from fangkong.pushlists.tests.conftest import id_number, write_csv
from fangkong.screening.actions import do_register_returnee
from fangkong.screening.models import Channel, ReturneeReport
from fangkong.screening.tests.helpers import returnee_input, valid_id


@dataclass
class Records:
    crossing: Crossing
    report: ReturneeReport
    batch: PushBatch
    follow_up: FollowUp


def make_records(
    district: District, manager: User, now: datetime.datetime, tmp: Path, seq: int, name: str
) -> Records:
    """One crossing (a vehicle with a plate), one returnee report, one push list (two rows, one an error row) and
    one follow-up with a symptom and a note, all dated `now`; `seq` keeps numbers and file contents unique."""
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
    return Records(crossing, report, batch, follow_up)
