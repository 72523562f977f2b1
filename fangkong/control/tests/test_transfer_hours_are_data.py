"""The hours after which an unfinished closed-loop transfer is flagged are data the command office sets."""

from __future__ import annotations

import datetime

import time_machine

from fangkong.audit.models import AuditEvent
from fangkong.control.actions import do_record_transfer
from fangkong.control.models import DEFAULT_TRANSFER_HOURS, ControlSettings
from fangkong.control.tests.helpers import at, start

D = datetime.date
TODAY = D(2021, 8, 10)


def test_until_set_the_default_applies(db):
    assert ControlSettings.current().transfer_hours == DEFAULT_TRANSFER_HOURS == 4


def test_the_command_office_sets_the_hours_and_the_order_page_flags_by_them(
    district, command_user, client_for
):
    order = start(district.grid_a, TODAY, now=at(TODAY, 8))
    do_record_transfer(
        command_user,
        order,
        from_place="home",
        to_place="site",
        vehicle="豫J12345",
        escort="李医生",
        left_at=at(TODAY, 8),
        arrived_at=None,
        now=at(TODAY, 8),
    )
    client = client_for(command_user)
    with time_machine.travel(at(TODAY, 11), tick=False):  # 3 hours under way
        assert "超时未完成" not in _order_page(client, order)
        response = client.post("/control/protocols/", {"form": "settings", "transfer_hours": "2"})
        assert response.status_code == 302
        assert ControlSettings.current().transfer_hours == 2
        assert "超时未完成" in _order_page(client, order)
        assert "2 小时" in client.get("/control/protocols/").content.decode()
    event = AuditEvent.objects.get(object_type="control.controlsettings")
    assert event.changes == {"transfer_hours": [None, 2]} and event.actor == command_user


def test_bad_hours_are_refused_and_nothing_changes(district, command_user, client_for):
    client = client_for(command_user)
    for value in ["0", "73", "x", ""]:
        response = client.post("/control/protocols/", {"form": "settings", "transfer_hours": value})
        assert response.status_code == 400
    assert not ControlSettings.objects.exists()


def test_a_township_cadre_cannot_change_the_hours(district, cadre_a, client_for):
    response = client_for(cadre_a).post("/control/protocols/", {"form": "settings", "transfer_hours": "2"})
    assert response.status_code == 404
    assert not ControlSettings.objects.exists()


def _order_page(client, order) -> str:
    return client.get(f"/control/orders/{order.uuid}/").content.decode()
