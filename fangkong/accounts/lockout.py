"""What a locked-out login attempt gets back: a JSON error for the API, the Chinese page otherwise."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def lockout_response(
    request: HttpRequest, original_response: Any = None, credentials: Any = None
) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"detail": _("Too many failed attempts; this account is locked for a while.")}, status=429
        )
    return render(request, "accounts/locked_out.html", status=429)
