"""The origin's risk level comes from screening's published risk areas on the day of the crossing."""

from __future__ import annotations

import datetime

import time_machine

from fangkong.checkpoints.tests.helpers import register, traveller
from fangkong.screening.models import RiskLevel
from fangkong.screening.tests.helpers import publish


def test_the_origin_gets_the_level_of_the_area_in_force(kakou, checkpoint):
    with time_machine.travel(datetime.datetime(2021, 8, 3, 9, 0, tzinfo=datetime.UTC)):
        publish("江苏省南京市江宁区禄口街道", RiskLevel.HIGH, datetime.date(2021, 8, 1))
        high = register(kakou, checkpoint, traveller(), origin="江苏省南京市江宁区禄口街道")
        none = register(kakou, checkpoint, traveller(), origin="河南省郑州市")
    assert high.origin_risk_level == "high"
    assert none.origin_risk_level == ""


def test_an_area_published_later_does_not_change_an_earlier_crossing(kakou, checkpoint):
    with time_machine.travel(datetime.datetime(2021, 8, 3, 9, 0, tzinfo=datetime.UTC)):
        publish("江苏省扬州市", RiskLevel.MEDIUM, datetime.date(2021, 8, 5))
        crossing = register(kakou, checkpoint, traveller(), origin="江苏省扬州市邗江区")
    assert crossing.origin_risk_level == ""


def test_an_area_published_meanwhile_reaches_the_next_crossing_at_once(kakou, checkpoint):
    """The lookup is held in the process, but publishing an area here clears it."""
    with time_machine.travel(datetime.datetime(2021, 8, 3, 9, 0, tzinfo=datetime.UTC)):
        before = register(kakou, checkpoint, traveller(), origin="江苏省南京市江宁区禄口街道")
        publish("江苏省南京市江宁区禄口街道", RiskLevel.HIGH, datetime.date(2021, 8, 1))
        after = register(kakou, checkpoint, traveller(), origin="江苏省南京市江宁区禄口街道")
    assert (before.origin_risk_level, after.origin_risk_level) == ("", "high")
