"""Production hardening that Django 5.2 does not ship: the Content-Security-Policy header, and the API
docs behind login in production.

The CSP is strict because it can be: every script and stylesheet is a vendored or own file under
/static/ (no CDN, no inline `<script>` or `style=""`), charts are drawn by ECharts into a canvas, and QR
codes are inline SVG. `img-src data:` covers Bootstrap's SVG icons in its CSS. A page that breaks the
policy shows in the browser console; `fangkong/tests/test_browser_csp.py` walks the pages in Chromium and
fails on any violation. `CSP_REPORT_ONLY=1` sends it as Content-Security-Policy-Report-Only for trying a
change in production without breaking pages.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse

POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        # htmx adds one <style> for its request indicator; its hash admits exactly that text.
        "style-src 'self' 'sha256-faU7yAF8NxuMTNEwVmBz+VcYeIoBQ2EMHW3WaVxCvnk='",
        "img-src 'self' data:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        header = (
            "Content-Security-Policy-Report-Only" if settings.CSP_REPORT_ONLY else "Content-Security-Policy"
        )
        response.headers.setdefault(header, POLICY)
        return response


def docs_guard(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The API docs and schema need a logged-in user unless `API_DOCS_PUBLIC` (off in production)."""

    @wraps(view)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not settings.API_DOCS_PUBLIC and not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return guarded
