"""今日态势 on the home page: today's reporting before and after 12:00 Beijing time, the module sections with their
7-day figures and links, role-first order, jurisdiction, and the bell whose count drops on acknowledgement."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.cache import cache

from conftest import make_user
from fangkong.accounts.permissions import Role
from fangkong.lib.reporting_day import SHANGHAI
from fangkong.regions.models import Region
from fangkong.reporting.actions import do_acknowledge_urgent, do_file_report, do_send_urgent
from fangkong.reporting.models import UrgentKind
from fangkong.screening.tests.helpers import register, valid_id
from fangkong.today import sections_for

DAY = datetime.date(2021, 8, 3)


def bj(hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(DAY, datetime.time(hour, minute), tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def seeded(district):
    from fangkong.tests.conftest import ensure_migration_seeds

    ensure_migration_seeds()
    cache.clear()
    # The units report from the day after they were created.
    Region.objects.update(created_at=bj(0) - datetime.timedelta(days=10))
    return district


@pytest.mark.parametrize(
    "hour, minute, shown, hidden",
    [
        (9, 0, "today-pending", "today-missing"),
        (11, 59, "today-pending", "today-missing"),
        (12, 1, "today-missing", "today-pending"),
    ],
)
def test_todays_reporting_before_and_after_the_deadline(
    district, command_user, cadre_a, client_for, hour, minute, shown, hidden
):
    do_file_report(cadre_a, district.township_a, DAY, {}, now=bj(8), is_zero=True)
    with time_machine.travel(bj(hour, minute), tick=False):
        page = client_for(command_user).get("/").content.decode()
    assert f'data-testid="{shown}"' in page and f'data-testid="{hidden}"' not in page
    filed = page.split('data-testid="today-filed">')[1].split("<")[0]
    expected = Region.objects.filter(level__in=["township", "village"]).count()
    assert filed.split("/")[0].strip() == "1" and filed.split("/")[1].strip() == str(expected)
    if hour >= 12:  # every unit but the one that filed is missing
        missing = page.split('data-testid="today-missing">')[1].split("<")[0]
        assert int(missing) == expected - 1


def test_a_section_shows_the_published_figures_with_links_and_7_days(district, cadre_a, client_for):
    with time_machine.travel(bj(9), tick=False):
        response = client_for(cadre_a).get("/today/control/")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-source="control.central_isolation"' in body
    assert 'href="/control/orders/"' in body
    assert body.count("<polyline") >= 4  # one 7-day line per figure


def test_the_sections_put_the_roles_work_first_and_hide_what_it_may_not_see(district):
    kakou = make_user("kakou-t", Role.CHECKPOINT_STAFF, district.township_a)
    grid = make_user("grid-t", Role.GRID_WORKER, district.grid_a)
    assert sections_for(kakou)[0].key == "checkpoints"
    assert sections_for(grid)[0].key == "control"
    leader = make_user("lingdao-t", Role.LEADER, district.county)
    for section in sections_for(leader):
        assert leader.has_role_perm(section.perm)
    assert "supplies" not in [s.key for s in sections_for(kakou)]  # not a checkpoint's business


def figure(body: str, source: str) -> int:
    return int(body.split(f'data-testid="figure-{source}">')[1].split("<")[0])


def test_figures_count_only_the_users_jurisdiction(district, cadre_a, cadre_b, client_for):
    with time_machine.travel(bj(9), tick=False):
        for seed, name in ((11, "乙镇返乡一"), (12, "乙镇返乡二")):
            register(district.grid_b, name=name, document_number=valid_id(seed))
        a = client_for(cadre_a).get("/today/screening/").content.decode()
        b = client_for(cadre_b).get("/today/screening/").content.decode()
    assert figure(a, "screening.returnees_registered") == 0
    assert figure(b, "screening.returnees_registered") == 2
    assert "乙镇返乡" not in b  # figures only, never names


def test_an_unknown_section_is_not_found(district, cadre_a, client_for):
    assert client_for(cadre_a).get("/today/nothing/").status_code == 404


def test_the_bell_counts_drop_when_the_urgent_report_is_acknowledged(
    district, command_user, cadre_a, client_for
):
    with time_machine.travel(bj(10), tick=False):
        report = do_send_urgent(
            cadre_a, district.township_a, UrgentKind.ABNORMAL, "发现一名发热人员", now=bj(10)
        )
        client = client_for(command_user)
        before = client.get("/bell/").content.decode()
        assert 'data-testid="bell-urgent"' in before
        count_before = int(before.split('data-testid="bell-count">')[1].split("<")[0])
        do_acknowledge_urgent(command_user, report, now=bj(10, 5))
        after = client.get("/bell/").content.decode()
    assert 'data-testid="bell-urgent"' not in after
    count_after = (
        int(after.split('data-testid="bell-count">')[1].split("<")[0]) if "bell-count" in after else 0
    )
    assert count_after < count_before


def test_a_dashboard_drills_down_from_the_district_to_a_village_and_back(
    district, command_user, cadre_a, client_for
):
    with time_machine.travel(bj(9), tick=False):
        register(district.grid_a, name="甲镇返乡", document_number=valid_id(21))
        office = client_for(command_user)
        top = office.get("/dashboards/screening/", {"figure": "screening.returnees_registered"})
        assert top.status_code == 200
        units = top.context["by_unit"]
        assert {u.code: v for u, v in units} == {district.township_a.code: 1, district.township_b.code: 0}
        down = office.get(
            "/dashboards/screening/",
            {"unit": district.township_a.code, "figure": "screening.returnees_registered"},
        )
        assert [u.code for u, _v in down.context["by_unit"]] == [district.village_a.code]
        assert [r.code for r in down.context["trail"]] == [district.county.code, district.township_a.code]
        assert f"?unit={district.county.code}" in down.content.decode()  # the way back up
        assert down.context["by_day"][-1][1] == 1 and len(down.context["by_day"]) == 30
        # A township cadre cannot look into the other township, and starts from their own.
        mine = client_for(cadre_a)
        assert mine.get("/dashboards/screening/", {"unit": district.township_b.code}).status_code == 404
        assert mine.get("/dashboards/screening/").context["trail"] == [district.township_a]
        assert mine.get("/dashboards/nothing/").status_code == 404


@pytest.mark.parametrize("role", list(Role))
def test_every_link_of_the_command_view_opens_for_its_reader(district, client_for, role):
    """A walk found readers (health bureau, inspectors, leaders) sent from a figure to a worker's page that is 404
    for them: every link a section shows must open for the user it is shown to."""
    import re

    region = district.grid_a if role in (Role.GRID_WORKER, Role.FACILITY_STAFF) else district.county
    user = make_user(f"reader-{role}", role, region)
    client = client_for(user)
    broken = []
    with time_machine.travel(bj(9), tick=False):
        for section in sections_for(user):
            body = client.get(f"/today/{section.key}/").content.decode()
            for href in sorted(set(re.findall(r'href="(/[^"]*)"', body))):
                status = client.get(href.replace("&amp;", "&")).status_code
                if status >= 400:
                    broken.append(f"{section.key}: {href} -> {status}")
    assert not broken, "\n".join(broken)
