"""Assigning grid workers: the same-village rule lives in the action, so every caller is held to it."""

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from conftest import make_region, make_user
from fangkong.accounts.access import access_grid_worker
from fangkong.accounts.actions import check_assign_grid_worker
from fangkong.accounts.permissions import Role
from fangkong.audit.models import AuditAction, AuditEvent
from fangkong.regions.models import Level


@pytest.fixture
def other_village_worker(district):
    village = make_region("410972100202", "王助二村", Level.VILLAGE, district.township_a)
    grid = make_region("G41097210020201", "第1网格", Level.GRID, village)
    return make_user("w-other", Role.GRID_WORKER, grid)


def test_it_assigns_a_worker_of_the_village_and_audits_it(district, cadre_a):
    worker = make_user("w2", Role.GRID_WORKER, district.grid_a)
    check_assign_grid_worker(cadre_a, district.grid_a2, worker)
    worker.refresh_from_db()
    assert worker.region == district.grid_a2
    assert AuditEvent.objects.filter(action=AuditAction.UPDATE, object_uuid=worker.uuid).exists()


def test_it_refuses_a_worker_of_another_village(district, cadre_a, other_village_worker):
    home = other_village_worker.region
    with pytest.raises(ValidationError, match="属于其他村"):
        check_assign_grid_worker(cadre_a, district.grid_a2, other_village_worker)
    other_village_worker.refresh_from_db()
    assert other_village_worker.region == home
    assert not AuditEvent.objects.filter(object_uuid=other_village_worker.uuid).exists()


def test_it_assigns_only_to_a_grid(district, cadre_a):
    worker = make_user("w2", Role.GRID_WORKER, district.grid_a)
    with pytest.raises(ValidationError, match="只能分配到网格"):
        check_assign_grid_worker(cadre_a, district.village_a, worker)
    worker.refresh_from_db()
    assert worker.region == district.grid_a


def test_the_page_refuses_a_worker_of_another_village(district, cadre_a, client_for, other_village_worker):
    response = client_for(cadre_a).post(
        f"/regions/{district.grid_a2.code}/workers", {"user": str(other_village_worker.uuid)}, follow=True
    )
    assert "该网格员属于其他村" in response.content.decode()
    other_village_worker.refresh_from_db()
    assert other_village_worker.region.code == "G41097210020201"


def test_an_outsider_does_not_find_the_worker(district, cadre_b):
    worker = make_user("w2", Role.GRID_WORKER, district.grid_a)
    with pytest.raises(Http404):
        access_grid_worker(cadre_b, worker.uuid)
    with pytest.raises(Http404):
        access_grid_worker(cadre_b, "not-a-uuid")


def test_only_active_grid_workers_are_found(district, cadre_a):
    cadre = make_user("c2", Role.VILLAGE_CADRE, district.village_a)
    with pytest.raises(Http404):
        access_grid_worker(cadre_a, cadre.uuid)
    worker = make_user("w2", Role.GRID_WORKER, district.grid_a)
    assert access_grid_worker(cadre_a, worker.uuid) == worker
