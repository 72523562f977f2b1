"""/retention/: the command office of the whole district only; every other role, a command office below the county
and anonymous visitors are kept out; running, declaring and closing are audited; bad input answers in Chinese."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import District, make_user
from fangkong.accounts.models import User
from fangkong.accounts.permissions import Role
from fangkong.audit.models import AuditEvent
from fangkong.retention.models import Outbreak, RetentionRun

pytestmark = pytest.mark.django_db


def test_the_command_office_sees_the_policy(command_user: User, client_for: Callable[[User], Client]) -> None:
    response = client_for(command_user).get(reverse("retention:index"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "数据留存" in page and "卡口查验登记" in page and "匿名化" in page


def test_the_menu_lists_it_under_system_for_the_command_office_only(
    command_user: User, cadre_a: User, client_for: Callable[[User], Client]
) -> None:
    url = reverse("retention:index")
    assert f'href="{url}"' in client_for(command_user).get("/").content.decode()
    assert f'href="{url}"' not in client_for(cadre_a).get("/").content.decode()


@pytest.mark.parametrize("role", [r for r in Role if r != Role.COMMAND_OFFICE])
def test_other_roles_get_404(role: Role, district: District, client_for: Callable[[User], Client]) -> None:
    user = make_user("someone", role, district.county)
    client = client_for(user)
    assert client.get(reverse("retention:index")).status_code == 404
    assert client.post(reverse("retention:run")).status_code == 404
    assert not RetentionRun.objects.exists()


def test_a_command_office_below_the_county_gets_404(
    district: District, client_for: Callable[[User], Client]
) -> None:
    user = make_user("zhb-town", Role.COMMAND_OFFICE, district.township_a)
    assert client_for(user).get(reverse("retention:index")).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(district: District) -> None:
    response = Client().get(reverse("retention:index"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_wrong_method_is_refused(command_user: User, client_for: Callable[[User], Client]) -> None:
    client = client_for(command_user)
    assert client.get(reverse("retention:run")).status_code == 405
    assert client.post(reverse("retention:index")).status_code == 405


def test_a_run_from_the_page_is_recorded_and_audited(
    command_user: User, client_for: Callable[[User], Client]
) -> None:
    response = client_for(command_user).post(reverse("retention:run"))
    assert response.status_code == 302
    run = RetentionRun.objects.get()
    assert run.actor == command_user
    event = AuditEvent.objects.get(object_uuid=run.uuid)
    assert event.actor == command_user and set(event.changes) >= {
        "checkpoints.crossings",
        "control.follow_ups",
    }


def test_declaring_and_closing_an_outbreak(command_user: User, client_for: Callable[[User], Client]) -> None:
    client = client_for(command_user)
    today = timezone.localdate()
    response = client.post(
        reverse("retention:declare"),
        {"name": "本轮疫情", "started_on": (today - datetime.timedelta(days=3)).isoformat()},
    )
    assert response.status_code == 302
    outbreak = Outbreak.objects.get()
    assert AuditEvent.objects.filter(object_uuid=outbreak.uuid).count() == 1
    # A second open outbreak is refused, in Chinese, and nothing is stored.
    again = client.post(reverse("retention:declare"), {"name": "又一轮", "started_on": today.isoformat()})
    assert again.status_code == 200 and "请先结束" in again.content.decode()
    assert Outbreak.objects.count() == 1
    # An end before the start is refused; a good end closes it.
    client.post(
        reverse("retention:close", args=[outbreak.uuid]),
        {"ended_on": (today - datetime.timedelta(days=5)).isoformat()},
    )
    outbreak.refresh_from_db()
    assert outbreak.ended_on is None
    client.post(reverse("retention:close", args=[outbreak.uuid]), {"ended_on": today.isoformat()})
    outbreak.refresh_from_db()
    assert outbreak.ended_on == today and outbreak.closed_by == command_user
    assert AuditEvent.objects.filter(object_uuid=outbreak.uuid).count() == 2


def test_a_declaration_without_a_day_is_refused_in_chinese(
    command_user: User, client_for: Callable[[User], Client]
) -> None:
    response = client_for(command_user).post(
        reverse("retention:declare"), {"name": "本轮疫情", "started_on": "昨天"}
    )
    assert response.status_code == 200 and "日期" in response.content.decode()
    assert not Outbreak.objects.exists()
