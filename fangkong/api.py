"""The JSON API root (/api/v1/): django-ninja, OpenAPI at /api/v1/openapi.json, docs at /api/v1/docs.

Browsers authenticate with the session (CSRF-checked); devices and scripts with a personal token:
`Authorization: Bearer fk_…`. Each app adds its router here.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import NinjaAPI
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer, django_auth

from fangkong.accounts.models import ApiToken, User, hash_token
from fangkong.lib.schemas import too_long_message
from fangkong.security import docs_guard


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        api_token = (
            ApiToken.objects.live()
            .select_related("user", "user__region")
            .filter(token_hash=hash_token(token))
            .first()
        )
        if api_token is None:
            return None
        ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=timezone.now())
        request.user = api_token.user
        return api_token.user


api = NinjaAPI(
    title="Fangkong API",
    version="1",
    urls_namespace="api",
    auth=[TokenAuth(), django_auth],
    docs_decorator=docs_guard,  # behind login in production (fangkong/security.py)
)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Exception) -> Any:
    from django.utils.translation import gettext as _

    return api.create_response(request, {"detail": _("Not found.")}, status=404)


def _worded(error: dict[str, Any]) -> dict[str, Any]:
    """A validation error, its message in the user's language where the project words that error."""
    ctx = error.get("ctx") or {}
    if error.get("type") == "string_too_long" and isinstance(ctx.get("max_length"), int):
        return {**error, "msg": too_long_message(ctx["max_length"])}
    return error


@api.exception_handler(NinjaValidationError)
def invalid(request: HttpRequest, exc: NinjaValidationError) -> Any:
    return api.create_response(request, {"detail": [_worded(e) for e in exc.errors]}, status=422)


def _register_routers() -> None:
    from fangkong.accounts.api import router as accounts_router
    from fangkong.briefing.api import router as briefing_router
    from fangkong.checkpoints.api import router as checkpoints_router
    from fangkong.duty.api import router as duty_router
    from fangkong.people.api import router as people_router
    from fangkong.pushlists.api import router as pushlists_router
    from fangkong.reporting.api import router as reporting_router
    from fangkong.screening.api import router as screening_router

    api.add_router("/auth/", accounts_router)
    api.add_router("/people/", people_router)
    api.add_router("/screening/", screening_router)
    api.add_router("/push-lists/", pushlists_router)
    api.add_router("/duty/", duty_router)
    api.add_router("/reports/", reporting_router)
    api.add_router("/checkpoints/", checkpoints_router)
    api.add_router("/briefings/", briefing_router)


_register_routers()
