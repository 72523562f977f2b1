"""Urgent reports: every role that is told about one can open it, a notification links only to a page its
reader may open, checkpoint and testing staff have a way in, and the record names people, not logins."""

from __future__ import annotations

import pytest
from django.urls import reverse

from conftest import make_user
from fangkong.accounts.permissions import Role
from fangkong.reporting.actions import do_escalate_urgent, do_send_urgent
from fangkong.reporting.models import Notification, UrgentKind

from .conftest import bj


@pytest.fixture
def leader(district):
    return make_user("lingdao", Role.LEADER, district.county)


@pytest.fixture
def inspector(district):
    return make_user("ducha", Role.INSPECTOR, district.county)


def test_a_leaders_escalation_opens_the_report(district, cadre_a, command_user, leader, client_for):
    report = do_send_urgent(cadre_a, district.township_a, UrgentKind.OTHER, "发热病人", now=bj(15, 0))
    do_escalate_urgent(bj(15, 20))
    notice = Notification.objects.get(user=leader)
    assert notice.link == reverse("reporting:urgent_detail", args=[report.uuid])
    assert client_for(leader).get(notice.link).status_code == 200


@pytest.mark.parametrize("role", [Role.LEADER, Role.INSPECTOR])
def test_leaders_and_inspectors_read_the_urgent_reports(district, cadre_a, client_for, role):
    reader = make_user(f"reader-{role}", role, district.county)
    report = do_send_urgent(cadre_a, district.township_a, UrgentKind.OTHER, "发热病人", now=bj(15, 0))
    client = client_for(reader)
    listing = client.get(reverse("reporting:urgent"))
    assert listing.status_code == 200 and "发热病人" in listing.content.decode()
    assert reverse("reporting:urgent_new") not in listing.content.decode()  # they read, they do not send
    assert client.get(reverse("reporting:urgent_detail", args=[report.uuid])).status_code == 200


def test_a_notification_never_links_to_a_page_its_reader_cannot_open(
    district, cadre_a, client_for, monkeypatch
):
    import fangkong.duty.public

    # The person on duty of the day is a village cadre of township B: told, but the report is not theirs.
    outsider = make_user("duty-b", Role.VILLAGE_CADRE, district.village_b)
    monkeypatch.setattr(fangkong.duty.public, "on_duty", lambda region, now: [outsider])
    report = do_send_urgent(cadre_a, district.township_a, UrgentKind.OTHER, "发热病人", now=bj(15, 0))
    notice = Notification.objects.get(user=outsider)
    assert notice.link == ""
    assert client_for(outsider).get(reverse("reporting:urgent_detail", args=[report.uuid])).status_code == 404


@pytest.mark.parametrize("role", [Role.CHECKPOINT_STAFF, Role.TESTING_STAFF])
def test_checkpoint_and_testing_staff_find_the_urgent_reports(district, client_for, role):
    staff = make_user(f"staff-{role}", role, district.township_a)
    client = client_for(staff)
    home = client.get("/").content.decode()
    assert 'data-testid="nav-urgent"' in home
    page = client.get(reverse("reporting:urgent"))
    assert page.status_code == 200
    body = page.content.decode()
    # The sub-menu offers only what they may open.
    for name in ("reporting:home", "reporting:day", "reporting:completeness", "reporting:accountability"):
        assert f'href="{reverse(name)}"' not in body, name
    assert client.get(reverse("reporting:urgent_new")).status_code == 200


def test_a_cadre_finds_the_urgent_reports_in_the_daily_report_menu_not_twice(district, cadre_a, client_for):
    assert 'data-testid="nav-urgent"' not in client_for(cadre_a).get("/").content.decode()


def test_the_record_lists_peoples_names(district, cadre_a, command_user):
    command_user.full_name = "王主任"
    command_user.save()
    report = do_send_urgent(cadre_a, district.township_a, UrgentKind.OTHER, "发热病人", now=bj(15, 0))
    assert report.notified == ["王主任"]


def test_a_volunteer_is_not_shown_a_link_to_urgent_reports_they_cannot_open(district, client_for):
    """Found walking the demo as zhiyuan: the notifications page's sub-menu linked to a 404."""
    volunteer = make_user("zhiyuan", Role.VOLUNTEER, district.village_a)
    client = client_for(volunteer)
    page = client.get(reverse("reporting:notifications"))
    assert page.status_code == 200
    assert reverse("reporting:urgent") not in page.content.decode()
    assert client.get(reverse("reporting:urgent")).status_code == 404
