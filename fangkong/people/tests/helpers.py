"""Test helpers that create people through the real actions."""

from __future__ import annotations

import datetime
import itertools

from fangkong.lib.idnumbers import make
from fangkong.people.actions import do_register_person
from fangkong.people.models import Person
from fangkong.regions.models import Region

_seq = itertools.count(1)


def new_id(birth: datetime.date = datetime.date(1990, 1, 1)) -> str:
    return make("410928", birth, next(_seq))


def create_person(region: Region, name: str = "张三", **kwargs: object) -> Person:
    kwargs.setdefault("document_number", new_id())
    kwargs.setdefault("phone", "13900000000")
    person, _created = do_register_person(None, name=name, region=region, **kwargs)  # type: ignore[arg-type]
    return person
