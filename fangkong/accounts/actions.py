"""Changes to accounts: API tokens and role assignments, each audited."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fangkong.accounts.models import ApiToken, User
from fangkong.accounts.permissions import Role, grantable_roles
from fangkong.audit.actions import record
from fangkong.audit.models import AuditAction
from fangkong.regions.models import Level, Region


@transaction.atomic
def do_create_token(user: User, name: str = "") -> tuple[ApiToken, str]:
    """Create a token; the raw value is returned once and never stored."""
    raw, digest = ApiToken.generate()
    token = ApiToken.objects.create(
        user=user,
        name=name.strip()[:100],
        token_hash=digest,
        expires_at=timezone.now() + datetime.timedelta(days=settings.API_TOKEN_DAYS),
    )
    record(user, AuditAction.TOKEN_CREATE, obj=token, label=token.name or str(token.uuid), region=user.region)
    return token, raw


@transaction.atomic
def do_revoke_token(user: User, token: ApiToken) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record(
            user, AuditAction.TOKEN_REVOKE, obj=token, label=token.name or str(token.uuid), region=user.region
        )
    return token


@transaction.atomic
def do_assign_role(actor: User | None, user: User, role: Role, region: Region) -> User:
    """Give `user` a role in a region; grid workers are assigned to a grid."""
    if role == Role.GRID_WORKER and region.level != Level.GRID:
        raise ValidationError({"region": _("A grid worker is assigned to a grid.")})
    before = {"role": user.role, "region": user.region.code if user.region else None}
    user.role, user.region = role, region
    user.save(update_fields=["role", "region"])
    record(
        actor,
        AuditAction.UPDATE,
        obj=user,
        region=region,
        changes={
            k: [before[k], v]
            for k, v in {"role": role.value, "region": region.code}.items()
            if before[k] != v
        },
    )
    return user


def check_assign_grid_worker(actor: User | None, grid: Region, worker: User) -> User:
    """Put a grid worker on a grid of their own village (网格员分配).

    Moving a worker between villages is the township's call, made from the township's page, so a village's page
    cannot take a worker of another village even when the actor's jurisdiction holds both.
    """
    village = grid.parent
    if grid.level != Level.GRID or village is None:
        raise ValidationError({"region": _("Grid workers are assigned to grids.")})
    if worker.region is None or not village.contains(worker.region):
        raise ValidationError({"user": _("This grid worker belongs to another village.")})
    return do_assign_role(actor, worker, Role.GRID_WORKER, grid)


# Which region level each role works at (None: any level inside the jurisdiction).
ROLE_LEVEL: dict[Role, Level | None] = {
    Role.COMMAND_OFFICE: Level.COUNTY,
    Role.HEALTH_BUREAU: Level.COUNTY,
    Role.TOWNSHIP_CADRE: Level.TOWNSHIP,
    Role.VILLAGE_CADRE: Level.VILLAGE,
    Role.GRID_WORKER: Level.GRID,
    Role.CHECKPOINT_STAFF: None,
    Role.TESTING_STAFF: None,
    Role.INSPECTOR: None,
    Role.LEADER: None,
}


def check_grant(actor: User, role: Role, region: Region) -> None:
    """`actor` may give `role` in `region`: a grantable role, inside their jurisdiction, at the right level."""
    from fangkong.accounts.access import in_jurisdiction

    if role not in grantable_roles(actor.role):
        raise ValidationError({"role": _("You cannot give this role.")})
    if not in_jurisdiction(actor, region):
        raise ValidationError({"region": _("This unit is outside your jurisdiction.")})
    level = ROLE_LEVEL[role]
    if level is not None and region.level != level:
        raise ValidationError(
            {"region": _("This role works at the level: %(level)s.") % {"level": level.label}}
        )


@transaction.atomic
def do_create_user(
    actor: User, *, username: str, full_name: str, role: Role, region: Region, password: str, phone: str = ""
) -> User:
    """Open an account with a role in a region. The password is checked by Django's validators."""
    from django.contrib.auth.password_validation import validate_password

    username = (username or "").strip()
    try:
        User.username_validator(username)
    except ValidationError:
        raise ValidationError({"username": _("A username has letters, digits and @ . + - _ only.")}) from None
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("This username is taken.")})
    check_grant(actor, role, region)
    user = User(username=username, full_name=full_name.strip(), role=role, region=region, phone=phone.strip())
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from None
    user.set_password(password)
    user.save()
    record(
        actor,
        AuditAction.CREATE,
        obj=user,
        region=region,
        changes={"username": [None, username], "role": [None, role.value], "region": [None, region.code]},
    )
    return user


def check_manage(actor: User, user: User) -> None:
    """`actor` may manage `user`'s account: not their own, and only accounts holding a role the actor could
    have given (a township cadre manages its grid workers, not a fellow cadre or an inspector)."""
    if user.pk == actor.pk:
        raise ValidationError({"__all__": _("You cannot manage your own account here.")})
    if user.role not in grantable_roles(actor.role):
        raise ValidationError({"__all__": _("You cannot manage an account with this role.")})


@transaction.atomic
def do_change_role(actor: User, user: User, role: Role, region: Region) -> User:
    check_manage(actor, user)
    check_grant(actor, role, region)
    return do_assign_role(actor, user, role, region)


@transaction.atomic
def do_set_active(actor: User, user: User, active: bool, reason: str) -> User:
    """Deactivate (or reactivate) an account; accounts are never deleted, their history stays."""
    check_manage(actor, user)
    if not reason.strip():
        raise ValidationError({"reason": _("Give a reason.")})
    if user.is_active != active:
        user.is_active = active
        user.save(update_fields=["is_active"])
        _revoke_tokens(user)
        record(
            actor,
            AuditAction.UPDATE if active else AuditAction.DEACTIVATE,
            obj=user,
            region=user.region,
            changes={"is_active": [not active, active]},
            note=reason.strip(),
        )
    return user


def _revoke_tokens(user: User) -> int:
    return user.api_tokens.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())


def _check_new_password(user: User, password: str) -> None:
    from django.contrib.auth.password_validation import validate_password

    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from None


@transaction.atomic
def do_set_password(actor: User, user: User, password: str) -> User:
    """A manager resets a user's password: the user's API tokens are revoked, their sessions end (Django ties a
    session to the password hash), and they must choose their own password at their next login."""
    check_manage(actor, user)
    return _replace_password(actor, user, password, must_change=True, note="password reset")


@transaction.atomic
def do_change_own_password(user: User, old_password: str, password: str, repeat: str) -> User:
    """A user changes their own password. Their API tokens are revoked and their other sessions end; the
    caller keeps the current session (`update_session_auth_hash`)."""
    if not user.check_password(old_password):
        raise ValidationError({"old_password": _("The current password is wrong.")})
    if password != repeat:
        raise ValidationError({"repeat": _("The two new passwords differ.")})
    if old_password == password:
        raise ValidationError({"password": _("Choose a password different from the current one.")})
    return _replace_password(user, user, password, must_change=False, note="password changed")


def _replace_password(actor: User, user: User, password: str, *, must_change: bool, note: str) -> User:
    """The one way a password is replaced: checked, saved (which ends the user's other sessions: Django ties a
    session to the password hash), the user's API tokens revoked, and the change audited."""
    _check_new_password(user, password)
    user.set_password(password)
    user.must_change_password = must_change
    user.save(update_fields=["password", "must_change_password"])
    revoked = _revoke_tokens(user)
    record(actor, AuditAction.UPDATE, obj=user, region=user.region, note=f"{note}; tokens revoked: {revoked}")
    return user
