"""One place has one risk level at a time: a new entry ends or splits the entries of the same place it
overlaps, and every row stays (history kept). The three examples of issue 18."""

from __future__ import annotations

import datetime

from fangkong.accounts.models import User
from fangkong.screening.actions import AreaRow, do_lift_risk_area, do_publish_risk_areas
from fangkong.screening.models import RiskArea, RiskLevel
from fangkong.screening.risk import risk_level_at

D = datetime.date
PLACE = "南京市江宁区禄口街道"


def publish(actor: User, level: RiskLevel, day: datetime.date) -> None:
    do_publish_risk_areas(actor, [AreaRow(PLACE, level)], effective_from=day)


def in_force(day: datetime.date) -> list[str]:
    return [a.level for a in RiskArea.objects.current_on(day).filter(name=PLACE)]


def test_listing_again_with_an_earlier_start_does_not_add_a_second_row_in_force(command_user):
    publish(command_user, RiskLevel.HIGH, D(2021, 8, 5))
    publish(command_user, RiskLevel.HIGH, D(2021, 8, 1))
    for day in (D(2021, 8, 1), D(2021, 8, 4), D(2021, 8, 5), D(2021, 8, 9)):
        assert in_force(day) == [RiskLevel.HIGH], day
    # Lifting the place on Aug 10 lifts it: nothing else keeps it high on Aug 12.
    open_row = RiskArea.objects.get(name=PLACE, lifted_on__isnull=True)
    do_lift_risk_area(command_user, open_row, D(2021, 8, 10))
    assert risk_level_at(PLACE, D(2021, 8, 12)) is None
    assert risk_level_at(PLACE, D(2021, 8, 3)) == RiskLevel.HIGH
    assert RiskArea.objects.filter(name=PLACE).count() == 2  # history kept


def test_a_level_entered_between_two_entries_splits_the_earlier_one(command_user):
    publish(command_user, RiskLevel.HIGH, D(2021, 8, 1))
    publish(command_user, RiskLevel.LOW, D(2021, 8, 10))
    publish(command_user, RiskLevel.MEDIUM, D(2021, 8, 5))
    assert risk_level_at(PLACE, D(2021, 8, 3)) == RiskLevel.HIGH
    assert risk_level_at(PLACE, D(2021, 8, 7)) == RiskLevel.MEDIUM
    assert risk_level_at(PLACE, D(2021, 8, 12)) == RiskLevel.LOW
    for day in (D(2021, 8, 1), D(2021, 8, 5), D(2021, 8, 9), D(2021, 8, 10), D(2021, 8, 30)):
        assert len(in_force(day)) == 1, day
    periods = list(
        RiskArea.objects.filter(name=PLACE)
        .order_by("effective_from")
        .values_list("level", "effective_from", "lifted_on")
    )
    assert periods == [
        (RiskLevel.HIGH, D(2021, 8, 1), D(2021, 8, 5)),
        (RiskLevel.MEDIUM, D(2021, 8, 5), D(2021, 8, 10)),
        (RiskLevel.LOW, D(2021, 8, 10), None),
    ]


def test_a_new_level_from_a_later_day_ends_the_current_one(command_user):
    publish(command_user, RiskLevel.HIGH, D(2021, 8, 1))
    publish(command_user, RiskLevel.MEDIUM, D(2021, 8, 8))
    assert risk_level_at(PLACE, D(2021, 8, 7)) == RiskLevel.HIGH
    assert risk_level_at(PLACE, D(2021, 8, 8)) == RiskLevel.MEDIUM
    assert in_force(D(2021, 8, 20)) == [RiskLevel.MEDIUM]


def test_a_new_level_from_the_same_day_supersedes_the_entry_and_keeps_it(command_user):
    publish(command_user, RiskLevel.HIGH, D(2021, 8, 1))
    publish(command_user, RiskLevel.MEDIUM, D(2021, 8, 1))
    assert in_force(D(2021, 8, 1)) == [RiskLevel.MEDIUM]
    assert RiskArea.objects.filter(name=PLACE).count() == 2
