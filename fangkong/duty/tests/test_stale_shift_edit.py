"""Two managers edit the same shift: a save from a form opened before the other's save is refused with a
message showing what changed."""

from __future__ import annotations

from collections.abc import Callable

from django.test import Client

from conftest import District
from fangkong.accounts.models import User
from fangkong.duty.models import DutyShift

from .conftest import bj, make_shift


def test_a_stale_roster_save_is_refused(
    district: District,
    cadre_a: User,
    cadre_a2: User,
    grid_worker_a: User,
    client_for: Callable[[User], Client],
) -> None:
    shift = make_shift(cadre_a, district.township_a, bj(2030, 3, 5, 8), bj(2030, 3, 5, 20), grid_worker_a)
    opened = {
        "starts_at": "2030-03-05T08:00",
        "ends_at": "2030-03-05T20:00",
        "person_on_duty": grid_worker_a.pk,
        "leader_on_call": "",
        "phone": "",
        "version": shift.version,
    }
    url = f"/duty/shifts/{shift.uuid}/edit"
    first = client_for(cadre_a).post(url, {**opened, "ends_at": "2030-03-05T22:00"})
    assert first.status_code == 302
    second = client_for(cadre_a2).post(url, {**opened, "leader_on_call": cadre_a2.pk})
    assert second.status_code == 200
    body = second.content.decode()
    assert "22:00" in body  # the first save, shown in the message
    shift.refresh_from_db()
    assert shift.ends_at == bj(2030, 3, 5, 22) and shift.leader_on_call is None
    assert DutyShift.objects.get(pk=shift.pk).version == 2
