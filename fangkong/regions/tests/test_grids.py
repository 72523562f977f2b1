import pytest

from conftest import make_user
from fangkong.accounts.permissions import Role
from fangkong.audit.models import AuditAction, AuditEvent
from fangkong.regions.models import Level, Region


def test_a_cadre_creates_a_grid_under_a_village(district, cadre_a, client_for):
    response = client_for(cadre_a).post(f"/regions/{district.village_a.code}/grids", {"name": "第3网格"})
    assert response.status_code == 302
    grid = Region.objects.get(parent=district.village_a, name="第3网格")
    assert grid.level == Level.GRID
    assert grid.path.startswith(district.village_a.path)
    assert AuditEvent.objects.filter(action=AuditAction.CREATE, object_uuid=grid.uuid).exists()


def test_a_grid_needs_a_name(district, cadre_a, client_for):
    client_for(cadre_a).post(f"/regions/{district.village_a.code}/grids", {"name": " "})
    assert (
        not Region.objects.filter(parent=district.village_a, level=Level.GRID)
        .exclude(pk__in=[district.grid_a.pk, district.grid_a2.pk])
        .exists()
    )


def test_another_township_cannot_add_grids_or_see_the_village(district, cadre_b, client_for):
    client = client_for(cadre_b)
    assert client.post(f"/regions/{district.village_a.code}/grids", {"name": "x"}).status_code == 404
    assert client.get(f"/regions/{district.village_a.code}/").status_code == 404


def test_a_grid_worker_is_assigned_to_a_grid(district, cadre_a, client_for):
    worker = make_user("w2", Role.GRID_WORKER, district.grid_a)
    response = client_for(cadre_a).post(
        f"/regions/{district.grid_a2.code}/workers", {"user": str(worker.uuid)}
    )
    assert response.status_code == 302
    worker.refresh_from_db()
    assert worker.region == district.grid_a2


def test_a_worker_of_another_township_cannot_be_taken(district, cadre_a, client_for):
    worker = make_user("wb", Role.GRID_WORKER, district.grid_b)
    response = client_for(cadre_a).post(
        f"/regions/{district.grid_a2.code}/workers", {"user": str(worker.uuid)}
    )
    assert response.status_code == 404
    worker.refresh_from_db()
    assert worker.region == district.grid_b


@pytest.mark.parametrize("url", ["/regions/{v}/grids", "/regions/{g}/workers"])
def test_the_write_endpoints_refuse_get(district, cadre_a, client_for, url):
    path = url.format(v=district.village_a.code, g=district.grid_a.code)
    assert client_for(cadre_a).get(path).status_code == 405


def test_the_tree_lists_only_the_jurisdiction(district, cadre_a, command_user, client_for):
    body = client_for(command_user).get("/regions/").content.decode()
    assert "王助镇" in body and "新习镇" in body
    response = client_for(cadre_a).get("/regions/")
    assert response.status_code == 200
    assert "新习镇" not in response.content.decode()


def test_the_village_counts_of_a_township_page_do_not_multiply(district, cadre_a, client_for):
    from fangkong.people.tests.helpers import create_person

    for n in range(3):
        create_person(district.grid_a, f"甲{n}")
    children = client_for(cadre_a).get(f"/regions/{district.township_a.code}/").context["children"]
    village = next(c for c in children if c.code == district.village_a.code)
    assert (village.grids, village.people_count) == (2, 3)
    grid_rows = client_for(cadre_a).get(f"/regions/{district.village_a.code}/").context["children"]
    assert {g.code: g.people_count for g in grid_rows}[district.grid_a.code] == 3
