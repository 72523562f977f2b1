"""Error pages: Chinese 403/404/500 pages for people, JSON for the API (`/api/…`), never Django's
technical pages (those appear only with DEBUG on, which no served install uses — see docs/operations.md).

Wired as `handler403/404/500` in `fangkong/urls.py` and as `CSRF_FAILURE_VIEW`.
"""

from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.template.exceptions import TemplateDoesNotExist
from django.utils.translation import gettext as _

log = logging.getLogger(__name__)


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def _page(request: HttpRequest, template: str, status: int, context: dict[str, object]) -> HttpResponse:
    return HttpResponse(loader.render_to_string(template, context, request), status=status)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _is_api(request):
        return JsonResponse({"detail": _("Not found.")}, status=404)
    return _page(request, "404.html", 404, {})


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _is_api(request):
        return JsonResponse({"detail": _("You may not do this.")}, status=403)
    return _page(request, "403.html", 403, {"reason": ""})


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    if _is_api(request):
        return JsonResponse({"detail": _("The request was refused: CSRF check failed.")}, status=403)
    # The usual cause is a form left open across a logout or a server restart: say what to do.
    message = _("The form had expired. Go back, reload the page and send it again.")
    return _page(request, "403.html", 403, {"reason": message})


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _is_api(request):
        return JsonResponse({"detail": _("Bad request.")}, status=400)
    return _page(request, "400.html", 400, {})


def server_error(request: HttpRequest) -> HttpResponse:
    """Rendered without the request context: whatever failed (the database, a context processor) must
    not fail the error page too."""
    if _is_api(request):
        return JsonResponse({"detail": _("Server error. The error has been logged.")}, status=500)
    try:
        return HttpResponse(loader.get_template("500.html").render(), status=500)
    except (TemplateDoesNotExist, ValueError):  # ValueError: a static file missing from the manifest
        log.exception("the 500 page could not be rendered")
        return HttpResponse(
            _("Server error. The error has been logged."), status=500, content_type="text/plain"
        )
