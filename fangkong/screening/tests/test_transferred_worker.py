"""A grid worker moved to another township no longer sees the returnees assigned to them before."""

from conftest import make_user
from fangkong.accounts.actions import do_assign_role
from fangkong.accounts.permissions import Role
from fangkong.screening.models import Channel
from fangkong.screening.tests.helpers import register, valid_id


def test_a_transferred_worker_loses_the_old_villages_reports(district, command_user, client_for):
    worker = make_user("mover", Role.GRID_WORKER, district.grid_a)
    report = register(district.village_a, Channel.SELF, document_number=valid_id(77))
    report.assigned_to = worker
    report.save(update_fields=["assigned_to"])
    client = client_for(worker)
    assert client.get(f"/screening/returnees/{report.uuid}/").status_code == 200
    do_assign_role(command_user, worker, Role.GRID_WORKER, district.grid_b)
    worker.refresh_from_db()
    client = client_for(worker)
    assert client.get(f"/screening/returnees/{report.uuid}/").status_code == 404
    assert str(report.uuid) not in client.get("/api/v1/screening/returnees").content.decode()
