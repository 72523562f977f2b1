import pytest

from conftest import make_user
from fangkong.accounts.models import User
from fangkong.accounts.permissions import Role
from fangkong.audit.models import AuditAction, AuditEvent


def create(client, **overrides):
    data = {
        "username": "new-grid",
        "full_name": "新网格员",
        "phone": "",
        "role": "grid_worker",
        "password": "a-long-enough-pass-2021",
    }
    data.update(overrides)
    return client.post("/accounts/users/new", data)


def test_a_township_opens_an_account_for_a_grid_worker(district, cadre_a, client_for):
    response = create(client_for(cadre_a), region=district.grid_a.pk)
    user = User.objects.get(username="new-grid")
    assert response.status_code == 302 and str(user.uuid) in response["Location"]
    assert (user.role, user.region) == (Role.GRID_WORKER, district.grid_a)
    assert user.check_password("a-long-enough-pass-2021")
    event = AuditEvent.objects.get(action=AuditAction.CREATE, object_uuid=user.uuid)
    assert "a-long-enough-pass-2021" not in str(event.changes) + event.note


def test_a_township_cannot_make_a_command_office_user(district, cadre_a, client_for):
    response = create(client_for(cadre_a), role="command_office", region=district.county.pk)
    assert response.status_code == 200
    assert not User.objects.filter(username="new-grid").exists()


def test_a_township_cannot_staff_another_township(district, cadre_a, client_for):
    response = create(client_for(cadre_a), region=district.grid_b.pk)
    assert response.status_code == 200
    assert not User.objects.filter(username="new-grid").exists()


def test_a_role_must_sit_at_its_level(district, cadre_a, client_for):
    response = create(client_for(cadre_a), region=district.village_a.pk)
    assert response.status_code == 200 and "网格" in response.content.decode()
    assert not User.objects.filter(username="new-grid").exists()


@pytest.mark.parametrize("password", ["short", "password123"])
def test_weak_passwords_are_refused(district, cadre_a, client_for, password):
    create(client_for(cadre_a), region=district.grid_a.pk, password=password)
    assert not User.objects.filter(username="new-grid").exists()


def test_usernames_are_unique_whatever_the_case(district, cadre_a, client_for):
    make_user("New-Grid", Role.GRID_WORKER, district.grid_a)
    create(client_for(cadre_a), region=district.grid_a.pk)
    assert User.objects.filter(username__iexact="new-grid").count() == 1


def test_deactivation_needs_a_reason_and_revokes_tokens(district, cadre_a, grid_worker_a, client_for):
    from fangkong.accounts.actions import do_create_token

    do_create_token(grid_worker_a, "phone")
    client = client_for(cadre_a)
    url = f"/accounts/users/{grid_worker_a.uuid}/"
    client.post(url, {"form": "active", "active": "0", "reason": ""})
    grid_worker_a.refresh_from_db()
    assert grid_worker_a.is_active
    client.post(url, {"form": "active", "active": "0", "reason": "调离"})
    grid_worker_a.refresh_from_db()
    assert not grid_worker_a.is_active
    assert not grid_worker_a.api_tokens.filter(revoked_at__isnull=True).exists()
    assert AuditEvent.objects.filter(action=AuditAction.DEACTIVATE, object_uuid=grid_worker_a.uuid).exists()


def test_a_role_change_moves_a_worker_between_grids(district, cadre_a, grid_worker_a, client_for):
    client_for(cadre_a).post(
        f"/accounts/users/{grid_worker_a.uuid}/",
        {"form": "role", "role": "grid_worker", "region": district.grid_a2.pk},
    )
    grid_worker_a.refresh_from_db()
    assert grid_worker_a.region == district.grid_a2


def test_nobody_changes_their_own_role(district, command_user, client_for):
    client_for(command_user).post(
        f"/accounts/users/{command_user.uuid}/",
        {"form": "role", "role": "grid_worker", "region": district.grid_a.pk},
    )
    command_user.refresh_from_db()
    assert command_user.role == Role.COMMAND_OFFICE


def test_another_townships_accounts_are_404(district, cadre_a, cadre_b, client_for):
    client = client_for(cadre_a)
    assert client.get(f"/accounts/users/{cadre_b.uuid}/").status_code == 404
    assert (
        client.post(
            f"/accounts/users/{cadre_b.uuid}/", {"form": "password", "password": "x-long-pass-2021"}
        ).status_code
        == 404
    )
    assert "xinxi" not in client.get("/accounts/users/").content.decode()


def test_grid_workers_do_not_manage_accounts(district, grid_worker_a, client_for):
    assert client_for(grid_worker_a).get("/accounts/users/").status_code == 404


def test_the_list_has_a_fixed_query_count(district, command_user, client_for, django_assert_max_num_queries):
    for n in range(20):
        make_user(f"u{n}", Role.GRID_WORKER, district.grid_a)
    client = client_for(command_user)
    with django_assert_max_num_queries(10):
        assert client.get("/accounts/users/").status_code == 200


def test_a_township_cannot_take_over_an_inspector_or_a_fellow_cadre(district, cadre_a, client_for):
    inspector = make_user("ducha-a", Role.INSPECTOR, district.township_a)
    peer = make_user("wangzhu-2", Role.TOWNSHIP_CADRE, district.township_a)
    client = client_for(cadre_a)
    for target in (inspector, peer):
        url = f"/accounts/users/{target.uuid}/"
        assert client.get(url).status_code == 404
        assert (
            client.post(url, {"form": "password", "password": "a-long-enough-pass-2021"}).status_code == 404
        )
        assert client.post(url, {"form": "active", "active": "0", "reason": "x"}).status_code == 404
        target.refresh_from_db()
        assert target.is_active and target.check_password("pw-" + target.username)
    assert "ducha-a" not in client.get("/accounts/users/").content.decode()


def test_the_actions_refuse_unmanageable_accounts_too(district, cadre_a):
    from django.core.exceptions import ValidationError

    from fangkong.accounts.actions import do_change_role, do_set_active, do_set_password

    peer = make_user("wangzhu-2", Role.TOWNSHIP_CADRE, district.township_a)
    with pytest.raises(ValidationError):
        do_set_password(cadre_a, peer, "a-long-enough-pass-2021")
    with pytest.raises(ValidationError):
        do_set_active(cadre_a, peer, False, "x")
    with pytest.raises(ValidationError):
        do_change_role(cadre_a, peer, Role.GRID_WORKER, district.grid_a)
    peer.refresh_from_db()
    assert peer.role == Role.TOWNSHIP_CADRE and peer.is_active
