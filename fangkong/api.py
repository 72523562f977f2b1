"""The JSON API root (/api/v1/): django-ninja, OpenAPI at /api/v1/openapi.json, docs at /api/v1/docs.

Browsers authenticate with the session (CSRF-checked); devices and scripts with a personal token:
`Authorization: Bearer fk_…`. Each app adds its router here.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.http import Http404, HttpRequest
from django.utils import timezone, translation
from ninja import NinjaAPI
from ninja.errors import ValidationError as NinjaValidationError
from ninja.openapi.schema import OpenAPISchema
from ninja.security import HttpBearer, django_auth

from fangkong.accounts.models import ApiToken, User, hash_token
from fangkong.lib.schemas import too_long_message
from fangkong.security import docs_guard

# How stale a token's `last_used_at` may be: reads do not write more often than this.
TOKEN_USE_EVERY = datetime.timedelta(minutes=1)


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
        now = timezone.now()
        last = api_token.last_used_at
        if last is None or now - last >= TOKEN_USE_EVERY:
            # At most once a minute: a read must not queue behind a bulk import for SQLite's one write lock.
            ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=now)
        request.user = api_token.user
        return api_token.user


class FangkongAPI(NinjaAPI):
    """The API, its OpenAPI schema built once per path and language: building it walks every operation
    and schema (about 0.3 s a request), and it changes only with the code."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._schemas: dict[tuple[Any, ...], OpenAPISchema] = {}

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        key = (path_prefix, tuple(sorted((path_params or {}).items())), translation.get_language())
        if key not in self._schemas:
            self._schemas[key] = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        return self._schemas[key]


api = FangkongAPI(
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
    from fangkong.testing.api import router as testing_router

    api.add_router("/testing/", testing_router)
    from fangkong.interop.api import router as fhir_router

    api.add_router("/fhir/", fhir_router)
    from fangkong.clinics.api import router as clinics_router
    from fangkong.coldchain.api import router as coldchain_router

    api.add_router("/clinics/", clinics_router)
    api.add_router("/coldchain/", coldchain_router)
    from fangkong.supervision.api import router as supervision_router
    from fangkong.supplies.api import router as supplies_router
    from fangkong.vaccination.api import router as vaccination_router

    api.add_router("/vaccination/", vaccination_router)
    api.add_router("/supplies/", supplies_router)
    api.add_router("/supervision/", supervision_router)
    from fangkong.fieldwork.api import router as fieldwork_router

    api.add_router("/field/", fieldwork_router)
    from fangkong.control.api import router as control_router

    api.add_router("/control/", control_router)


_register_routers()
