"""A user whose password a manager set must choose their own before using anything else."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

ALLOWED_PREFIXES = ("/static/", "/accounts/logout/", "/accounts/login/", "/i18n/")


class PasswordChangeRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if getattr(user, "must_change_password", False) and getattr(user, "is_authenticated", False):
            target = reverse("accounts:password")
            if request.path != target and not request.path.startswith(ALLOWED_PREFIXES):
                if request.path.startswith("/api/"):
                    return JsonResponse({"detail": _("Change your password first.")}, status=403)
                return redirect(target)
        return self.get_response(request)
