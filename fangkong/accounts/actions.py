"""Changes to accounts: API tokens and role assignments, each audited."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fangkong.accounts.models import ApiToken, User
from fangkong.accounts.permissions import Role
from fangkong.audit.actions import record
from fangkong.audit.models import AuditAction
from fangkong.regions.models import Level, Region


@transaction.atomic
def do_create_token(user: User, name: str = "") -> tuple[ApiToken, str]:
    """Create a token; the raw value is returned once and never stored."""
    raw, digest = ApiToken.generate()
    token = ApiToken.objects.create(user=user, name=name.strip()[:100], token_hash=digest)
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
