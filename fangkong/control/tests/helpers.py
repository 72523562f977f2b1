"""Helpers for control tests: orders made through the real actions."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from fangkong.accounts.models import User
from fangkong.control.actions import do_start_order
from fangkong.control.models import ControlOrder, Protocol, Reason
from fangkong.people.models import Person
from fangkong.people.tests.helpers import create_person
from fangkong.regions.models import Region

BEIJING = ZoneInfo("Asia/Shanghai")


def at(day: datetime.date, hour: int = 10, minute: int = 0) -> datetime.datetime:
    """An aware instant on the Beijing `day`."""
    return datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=BEIJING)


def protocol(code: str) -> Protocol:
    return Protocol.objects.get(code=code, version=1)


def start(
    region: Region,
    start_day: datetime.date,
    code: str = "2021-14-7-7",
    *,
    person: Person | None = None,
    reason: str = Reason.CLOSE_CONTACT,
    now: datetime.datetime | None = None,
    actor: User | None = None,
    name: str = "张三",
) -> ControlOrder:
    person = person or create_person(region, name=name)
    return do_start_order(
        actor, person, reason=reason, protocol=protocol(code), start_day=start_day, now=now or at(start_day)
    )


class Result:
    """Duck-typed like testing.public.PersonResult."""

    def __init__(self, person_id: int, sampled_on: datetime.date, result: str = "negative") -> None:
        import uuid

        self.person_id = person_id
        self.sampled_on = sampled_on
        self.result = result
        self.resulted_at = at(sampled_on, 18)
        self.sample_uuid = uuid.uuid4()


def kind_on(order: ControlOrder, day: datetime.date) -> str | None:
    stage = order.stage_on(day)
    return stage.kind if stage else None
