import pytest

from fangkong.audit.actions import record
from fangkong.audit.models import AuditAction, AuditEvent, AuditImmutableError
from fangkong.people.tests.helpers import create_person


def test_events_cannot_be_changed_or_deleted(district):
    event = record(None, AuditAction.OTHER, note="x")
    event.note = "y"
    with pytest.raises(AuditImmutableError):
        event.save()
    with pytest.raises(AuditImmutableError):
        event.delete()
    assert AuditEvent.objects.get(pk=event.pk).note == "x"


def test_the_command_office_browses_and_filters_the_log(district, command_user, cadre_a, client_for):
    person = create_person(district.grid_a, "张三")
    client_for(cadre_a).post(f"/people/{person.uuid}/reveal")
    client = client_for(command_user)
    body = client.get("/audit/", {"action": "reveal"}).content.decode()
    assert "wangzhu" in body and "张三" in body
    assert "wangzhu" not in client.get("/audit/", {"action": "export"}).content.decode()


def test_the_log_records_the_client_address(district, cadre_a, client_for):
    person = create_person(district.grid_a)
    client_for(cadre_a).post(f"/people/{person.uuid}/reveal", REMOTE_ADDR="10.1.2.3")
    assert AuditEvent.objects.get(action=AuditAction.REVEAL).ip == "10.1.2.3"


def test_township_cadres_cannot_open_the_log(district, cadre_a, client_for):
    assert client_for(cadre_a).get("/audit/").status_code == 404


def test_there_is_no_way_to_edit_the_log(district, command_user, client_for):
    assert client_for(command_user).post("/audit/").status_code == 405


def test_an_inspector_of_a_township_sees_only_its_events(district, client_for):
    from conftest import make_user
    from fangkong.accounts.permissions import Role

    inspector = make_user("ducha-a", Role.INSPECTOR, district.township_a)
    record(None, AuditAction.OTHER, region=district.village_a, label="甲镇事件")
    record(None, AuditAction.OTHER, region=district.village_b, label="乙镇事件")
    record(None, AuditAction.LOCKOUT, label="全区事件")
    body = client_for(inspector).get("/audit/").content.decode()
    assert "甲镇事件" in body
    assert "乙镇事件" not in body and "全区事件" not in body


def test_a_day_filter_at_the_end_of_the_calendar_is_ignored(district, command_user, client_for):
    record(None, AuditAction.OTHER, label="全区事件")
    client = client_for(command_user)
    for params in ({"until": "9999-12-31"}, {"since": "0001-01-01"}, {"since": "9999-12-31"}):
        response = client.get("/audit/", params)
        assert response.status_code == 200
        assert "全区事件" in response.content.decode()
