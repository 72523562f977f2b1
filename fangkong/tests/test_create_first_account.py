"""`manage.py create_first_account`: the install's first command-office account, with role and county,
audited; refused once one exists, for a region that is not a county, or with a weak password."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from conftest import make_region
from fangkong.accounts.models import User
from fangkong.accounts.permissions import Role
from fangkong.audit.models import AuditAction, AuditEvent
from fangkong.regions.models import Level, Region


@pytest.fixture
def county(db) -> Region:
    return make_region("410972000000", "濮阳经济技术开发区", Level.COUNTY, None)


def _create(monkeypatch, *args: str, password: str = "Zhihuibu-2021-first") -> str:  # noqa: S107
    monkeypatch.setattr("sys.stdin", io.StringIO(password + "\n"))
    out = io.StringIO()
    call_command("create_first_account", *args, "--password-stdin", stdout=out)
    return out.getvalue()


def test_it_creates_a_command_office_account_in_the_county_and_audits_it(county, monkeypatch):
    out = _create(monkeypatch, "zhang", "--region", county.code, "--full-name", "张主任")

    user = User.objects.get(username="zhang")
    assert (user.role, user.region, user.full_name) == (Role.COMMAND_OFFICE, county, "张主任")
    assert user.check_password("Zhihuibu-2021-first")
    event = AuditEvent.objects.get(object_uuid=user.uuid)
    assert event.action == AuditAction.CREATE and event.actor is None
    assert event.changes["role"] == [None, "command_office"]
    assert "created zhang" in out


def test_a_second_first_account_is_refused(county, monkeypatch):
    _create(monkeypatch, "zhang", "--region", county.code)

    with pytest.raises(CommandError, match="exists already"):
        _create(monkeypatch, "li", "--region", county.code)


def test_a_township_or_unknown_region_is_refused(county, monkeypatch):
    township = make_region("410972100000", "王助镇", Level.TOWNSHIP, county)

    with pytest.raises(CommandError, match="county"):
        _create(monkeypatch, "zhang", "--region", township.code)
    with pytest.raises(CommandError, match="import_regions"):
        _create(monkeypatch, "zhang", "--region", "999")
    assert not User.objects.exists()


def test_a_weak_password_is_refused(county, monkeypatch):
    with pytest.raises(CommandError):
        _create(monkeypatch, "zhang", "--region", county.code, password="123")
    assert not User.objects.exists()
