"""Key-group members and vaccination sites are managed on pages: added and removed by the township's people
(audited), listed inside the jurisdiction only, and counted by the coverage by key group."""

from __future__ import annotations

import pytest
from django.utils import timezone

from fangkong.audit.models import AuditEvent
from fangkong.vaccination import coverage as cov
from fangkong.vaccination.actions import do_add_to_key_group, do_create_site
from fangkong.vaccination.models import KeyGroup, KeyGroupMember, VaccinationSite
from fangkong.vaccination.tests.helpers import give_doses, person_aged

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff() -> KeyGroup:
    return KeyGroup.objects.get_or_create(code="public_staff", defaults={"name": "机关事业单位人员"})[0]


def test_a_cadre_adds_a_person_to_a_key_group_by_document_number(district, cadre_a, client_for, staff):
    person = person_aged(district.grid_a, 40, "李四")
    client = client_for(cadre_a)
    response = client.post(
        "/vaccination/groups/", {"group": staff.pk, "document_number": person.document_number.lower()}
    )
    assert response.status_code == 302
    assert KeyGroupMember.objects.filter(group=staff, person=person).exists()
    assert AuditEvent.objects.filter(object_uuid=person.uuid, actor=cadre_a).exists()
    page = client.get(f"/vaccination/groups/?group={staff.code}").content.decode()
    assert "李四" in page and person.document_number not in page  # masked


def test_a_person_of_another_township_cannot_be_added(district, cadre_a, client_for, staff):
    other = person_aged(district.grid_b, 40, "外镇人")
    response = client_for(cadre_a).post(
        "/vaccination/groups/", {"group": staff.pk, "document_number": other.document_number}
    )
    assert response.status_code == 400
    assert "辖区内没有" in response.content.decode() or "No active person" in response.content.decode()
    assert not KeyGroupMember.objects.exists()


def test_the_list_shows_only_members_inside_the_jurisdiction(district, cadre_a, client_for, staff):
    do_add_to_key_group(None, staff, person_aged(district.grid_a, 40, "甲镇职工"))
    do_add_to_key_group(None, staff, person_aged(district.grid_b, 40, "乙镇职工"))
    page = client_for(cadre_a).get(f"/vaccination/groups/?group={staff.code}").content.decode()
    assert "甲镇职工" in page and "乙镇职工" not in page


def test_removing_a_member_changes_the_group_coverage(district, cadre_a, command_user, client_for, staff):
    done = person_aged(district.grid_a, 40, "已接种")
    give_doses(done, 2)
    waiting = person_aged(district.grid_a, 41, "未接种")
    do_add_to_key_group(None, staff, done)
    do_add_to_key_group(None, staff, waiting)
    today = timezone.localdate()

    def group_cell() -> tuple[int, int]:
        table = cov.coverage(district.township_a, today)
        cell = table.total.groups[table.groups.index(staff)]
        return cell.population, cell.completed

    assert group_cell() == (2, 1)
    response = client_for(cadre_a).post(
        f"/vaccination/groups/people/{waiting.uuid}/remove", {"group": staff.code}
    )
    assert response.status_code == 302
    assert not KeyGroupMember.objects.filter(person=waiting).exists()
    assert group_cell() == (1, 1)
    assert AuditEvent.objects.filter(object_uuid=waiting.uuid, actor=cadre_a).exists()


def test_removing_a_member_of_another_township_is_404(district, cadre_a, client_for, staff):
    other = person_aged(district.grid_b, 40)
    do_add_to_key_group(None, staff, other)
    response = client_for(cadre_a).post(
        f"/vaccination/groups/people/{other.uuid}/remove", {"group": staff.code}
    )
    assert response.status_code == 404
    assert KeyGroupMember.objects.filter(person=other).exists()


def test_a_grid_worker_reads_but_cannot_change_members(district, grid_worker_a, client_for, staff):
    person = person_aged(district.grid_a, 40)
    client = client_for(grid_worker_a)
    assert client.get("/vaccination/groups/").status_code == 200
    assert (
        client.post(
            "/vaccination/groups/", {"group": staff.pk, "document_number": person.document_number}
        ).status_code
        == 404
    )
    assert (
        client.post(f"/vaccination/groups/people/{person.uuid}/remove", {"group": staff.code}).status_code
        == 404
    )


def test_a_cadre_adds_and_closes_a_site(district, cadre_a, client_for):
    client = client_for(cadre_a)
    response = client.post("/vaccination/sites/", {"region": district.village_a.pk, "name": "村卫生室接种点"})
    assert response.status_code == 302
    site = VaccinationSite.objects.get(name="村卫生室接种点")
    assert site.region == district.village_a
    again = client.post("/vaccination/sites/", {"region": district.village_a.pk, "name": "村卫生室接种点"})
    assert again.status_code == 400
    assert client.post(f"/vaccination/sites/{site.uuid}/deactivate").status_code == 302
    site.refresh_from_db()
    assert not site.is_active
    page = client.get("/vaccination/sites/").content.decode()
    assert "村卫生室接种点" not in page.split('data-testid="sites"')[1].split("</table>")[0]
    assert AuditEvent.objects.filter(object_uuid=site.uuid).count() == 2


def test_sites_of_another_township_are_neither_listed_nor_closed(district, cadre_a, cadre_b, client_for):
    site_b = do_create_site(cadre_b, district.township_b, "乙镇接种点")
    client = client_for(cadre_a)
    assert "乙镇接种点" not in client.get("/vaccination/sites/").content.decode()
    assert client.post(f"/vaccination/sites/{site_b.uuid}/deactivate").status_code == 404
    bad = client.post("/vaccination/sites/", {"region": district.township_b.pk, "name": "越界"})
    assert bad.status_code == 400
    assert not VaccinationSite.objects.filter(name="越界").exists()


def test_wrong_methods_are_refused(district, cadre_a, client_for):
    client = client_for(cadre_a)
    assert client.get(f"/vaccination/sites/{district.township_a.pk}/deactivate").status_code in (404, 405)
    assert client.put("/vaccination/groups/").status_code == 405
