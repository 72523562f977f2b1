"""An isolation site's staff and their shifts of today (the duty app's roster), with the hours nobody covers."""

from __future__ import annotations

import datetime

import time_machine

from conftest import make_user
from fangkong.accounts.permissions import Role
from fangkong.audit.models import AuditEvent
from fangkong.control.actions import do_create_site
from fangkong.control.tests.helpers import at
from fangkong.duty.actions import do_create_shift

D = datetime.date
TODAY = D(2021, 8, 2)


def test_the_site_page_shows_its_staff_on_duty_and_the_gaps(district, command_user, cadre_a, client_for):
    site = do_create_site(
        command_user, region=district.township_a, name="隔离酒店", address="", rooms=["101"]
    )
    nurse = make_user("hushi", Role.VILLAGE_CADRE, district.village_a)
    guard = make_user("baoan", Role.VILLAGE_CADRE, district.village_a)
    outsider = make_user("xinxi", Role.VILLAGE_CADRE, district.village_b)
    client = client_for(cadre_a)
    with time_machine.travel(at(TODAY, 9), tick=False):
        page = client.get(f"/control/sites/{site.uuid}/").content.decode()
        assert "hushi" in page and "xinxi" not in page  # only users of the site's unit are offered
        assert "00:00–24:00" in page  # no staff yet: the whole day is a gap
        response = client.post(
            f"/control/sites/{site.uuid}/", {"form": "staff", "staff": [nurse.pk, guard.pk]}
        )
        assert response.status_code == 302
        assert set(site.staff.all()) == {nurse, guard}
        do_create_shift(
            cadre_a,
            region=district.township_a,
            starts_at=at(TODAY, 8),
            ends_at=at(TODAY, 16),
            person_on_duty=nurse,
        )
        do_create_shift(
            cadre_a,
            region=district.township_a,
            starts_at=at(TODAY, 16),
            ends_at=at(TODAY, 20),
            person_on_duty=guard,
        )
        page = client.get(f"/control/sites/{site.uuid}/").content.decode()
    assert "08:00–16:00" not in page or "hushi" in page
    assert "00:00–08:00、20:00–24:00" in page
    staff_section = page[page.index('data-testid="site-staff"') :]
    on_duty = staff_section[: staff_section.index("</p>")]
    assert "hushi" in on_duty and "baoan" not in on_duty
    assert AuditEvent.objects.filter(object_type="control.isolationsite", changes__has_key="staff").exists()
    bad = client.post(f"/control/sites/{site.uuid}/", {"form": "staff", "staff": [outsider.pk]})
    assert bad.status_code == 400 and set(site.staff.all()) == {nurse, guard}


def test_a_grid_worker_cannot_set_the_staff(district, command_user, grid_worker_a, client_for):
    site = do_create_site(
        command_user, region=district.township_a, name="隔离酒店", address="", rooms=["101"]
    )
    response = client_for(grid_worker_a).post(f"/control/sites/{site.uuid}/", {"form": "staff", "staff": []})
    assert response.status_code == 404
