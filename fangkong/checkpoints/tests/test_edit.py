"""Editing a checkpoint's status, equipment checklist and staff: the unit's cadres and the command office, audited,
refused for a stale form, 404 for everyone else."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from fangkong.audit.models import AuditAction, AuditEvent
from fangkong.checkpoints.actions import do_update_checkpoint
from fangkong.checkpoints.models import Checkpoint, CheckpointStatus
from fangkong.checkpoints.tests.helpers import register, staff_user


def edit_url(checkpoint: Checkpoint) -> str:
    return f"/checkpoints/{checkpoint.uuid}/edit"


def form_data(checkpoint: Checkpoint, **overrides):
    data = {
        "status": checkpoint.status,
        "equipment": "\n".join(checkpoint.equipment),
        "staff": [u.pk for u in checkpoint.staff.all()],
        "version": checkpoint.version,
    }
    data.update(overrides)
    return data


def test_a_cadre_changes_status_checklist_and_staff(district, cadre_a, kakou, checkpoint, client_for):
    newcomer = staff_user("kakou2", district.township_a)
    client = client_for(cadre_a)
    page = client.get(edit_url(checkpoint))
    assert page.status_code == 200 and "kakou2" in page.content.decode()
    response = client.post(
        edit_url(checkpoint),
        form_data(checkpoint, status="closed", equipment="测温仪\n口罩\n测温仪\n", staff=[newcomer.pk]),
    )
    assert response.status_code == 302, response.content.decode()
    checkpoint.refresh_from_db()
    assert checkpoint.status == CheckpointStatus.CLOSED
    assert checkpoint.equipment == ["测温仪", "口罩"]
    assert list(checkpoint.staff.all()) == [newcomer]
    assert checkpoint.version == 2
    event = AuditEvent.objects.filter(object_uuid=checkpoint.uuid, action=AuditAction.UPDATE).get()
    assert event.changes["status"] == ["open", "closed"]
    assert event.changes["staff"] == [["kakou"], ["kakou2"]]
    assert event.actor == cadre_a


def test_the_command_office_edits_too(command_user, checkpoint, client_for):
    response = client_for(command_user).post(edit_url(checkpoint), form_data(checkpoint, status="closed"))
    assert response.status_code == 302
    checkpoint.refresh_from_db()
    assert checkpoint.status == "closed"


def test_outsiders_and_staff_get_404_and_nothing_changes(cadre_b, kakou, checkpoint, client_for):
    for user in (cadre_b, kakou):
        client = client_for(user)
        assert client.get(edit_url(checkpoint)).status_code == 404
        assert client.post(edit_url(checkpoint), form_data(checkpoint, status="closed")).status_code == 404
    checkpoint.refresh_from_db()
    assert checkpoint.status == "open" and checkpoint.version == 1


def test_an_empty_checklist_is_refused_with_a_message(cadre_a, checkpoint, client_for):
    response = client_for(cadre_a).post(edit_url(checkpoint), form_data(checkpoint, equipment="  \n "))
    assert response.status_code == 200
    checkpoint.refresh_from_db()
    assert checkpoint.equipment and checkpoint.version == 1


def test_a_stale_form_is_refused_and_says_what_changed(cadre_a, command_user, checkpoint, client_for):
    opened = form_data(checkpoint)
    client_for(command_user).post(edit_url(checkpoint), form_data(checkpoint, status="closed"))
    response = client_for(cadre_a).post(edit_url(checkpoint), {**opened, "equipment": "口罩"})
    assert response.status_code == 200
    assert "closed" in response.content.decode() or "关闭" in response.content.decode()
    checkpoint.refresh_from_db()
    assert checkpoint.equipment != ["口罩"] and checkpoint.status == "closed"


def test_staff_of_another_township_cannot_be_added(district, cadre_a, checkpoint):
    stranger = staff_user("kakou-b", district.township_b)
    with pytest.raises(ValidationError) as exc:
        do_update_checkpoint(
            cadre_a,
            checkpoint,
            status="open",
            equipment=["口罩"],
            staff=[stranger],
            now=timezone.now(),
        )
    assert "staff" in exc.value.message_dict


def test_a_closed_checkpoint_registers_no_crossings(cadre_a, kakou, checkpoint):
    do_update_checkpoint(
        cadre_a, checkpoint, status="closed", equipment=["口罩"], staff=[kakou], now=timezone.now()
    )
    checkpoint.refresh_from_db()
    with pytest.raises(ValidationError):
        register(kakou, checkpoint)


def test_the_wrong_method_is_refused(cadre_a, checkpoint, client_for):
    assert client_for(cadre_a).put(edit_url(checkpoint)).status_code == 405
