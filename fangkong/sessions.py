"""Idle sessions without a write on every read.

A session ends `SESSION_COOKIE_AGE` after the user's last request, but saving the session on every request
(`SESSION_SAVE_EVERY_REQUEST`) would make every page view a database write — on SQLite one more writer
queued behind imports and filings. The expiry is pushed forward at most once per `REFRESH_SECONDS`
instead, so a session ends between AGE - REFRESH and AGE after the last request.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse

REFRESH_SECONDS = 15 * 60
SEEN_KEY = "_fk_seen"


class IdleSessionMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or session.is_empty() or not request.user.is_authenticated:
            return response
        now = int(time.time())
        if now - int(session.get(SEEN_KEY, 0)) >= REFRESH_SECONDS:
            session[SEEN_KEY] = now  # marks the session modified: saved with a fresh expiry and cookie
        return response


@receiver(user_logged_in)
def _seen_at_login(sender: object, request: HttpRequest | None, **kwargs: object) -> None:
    # Logging in saves the session anyway: start the refresh clock there, not on the next page.
    if request is not None and hasattr(request, "session"):
        request.session[SEEN_KEY] = int(time.time())
