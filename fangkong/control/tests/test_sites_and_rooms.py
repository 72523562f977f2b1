"""Isolation sites: check-in takes a free room, check-out frees it, the last room goes to one check-in only."""

from __future__ import annotations

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from fangkong.control.actions import do_check_in, do_check_out, do_create_site, do_set_site_status
from fangkong.control.models import Stay
from fangkong.control.tests.helpers import at, start

D = datetime.date
NOW = at(D(2021, 8, 2))


def test_check_in_assigns_a_free_room_and_check_out_frees_it(district, command_user):
    site = do_create_site(
        command_user, region=district.township_a, name="隔离酒店", address="", rooms=["101", "102"]
    )
    a = start(district.grid_a, D(2021, 8, 1), name="甲", now=NOW)
    b = start(district.grid_a, D(2021, 8, 1), name="乙", now=NOW)
    c = start(district.grid_a, D(2021, 8, 1), name="丙", now=NOW)
    first = do_check_in(command_user, a, site, now=NOW)
    second = do_check_in(command_user, b, site, now=NOW)
    assert {first.room.number, second.room.number} == {"101", "102"}
    with pytest.raises(ValidationError) as exc:
        do_check_in(command_user, c, site, now=NOW)
    assert "site" in exc.value.message_dict
    do_check_out(command_user, first, now=NOW)
    assert do_check_in(command_user, c, site, now=NOW).room == first.room


def test_a_closed_site_takes_nobody(district, command_user):
    site = do_create_site(
        command_user, region=district.township_a, name="隔离酒店", address="", rooms=["101"]
    )
    do_set_site_status(command_user, site, "disinfection")
    with pytest.raises(ValidationError):
        do_check_in(command_user, start(district.grid_a, D(2021, 8, 1), now=NOW), site, now=NOW)


def test_a_site_needs_rooms_without_duplicates(district, command_user):
    with pytest.raises(ValidationError):
        do_create_site(command_user, region=district.township_a, name="x", address="", rooms=["1", "1"])


@pytest.mark.django_db(transaction=True)
def test_two_check_ins_racing_for_the_last_room_one_wins(district, command_user):
    if connection.vendor != "postgresql":
        pytest.skip("the race needs two real connections (PostgreSQL)")
    from fangkong.tests.conftest import ensure_migration_seeds

    ensure_migration_seeds()
    site = do_create_site(
        command_user, region=district.township_a, name="隔离酒店", address="", rooms=["101"]
    )
    orders = [start(district.grid_a, D(2021, 8, 1), name=n, now=NOW) for n in ("甲", "乙")]
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def check_in(order):
        from django.db import connections

        try:
            barrier.wait()
            do_check_in(command_user, order, site, now=NOW)
            outcomes.append("ok")
        except ValidationError as exc:
            outcomes.append(" ".join(exc.messages))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=check_in, args=(o,)) for o in orders]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(outcomes) == 2 and outcomes.count("ok") == 1
    loser = next(o for o in outcomes if o != "ok")
    # Both messages name the room ("房间" in Chinese): no free room left / the last room was just taken.
    assert "房间" in loser or "room" in loser
    assert Stay.objects.filter(checked_out_at__isnull=True).count() == 1
