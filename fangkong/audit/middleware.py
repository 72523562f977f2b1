"""Keeps the client address of the current request where audit records can find it."""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from contextvars import ContextVar

from django.conf import settings
from django.http import HttpRequest, HttpResponse

current_ip: ContextVar[str | None] = ContextVar("current_ip", default=None)


def client_ip(request: HttpRequest) -> str | None:
    """The client's address: REMOTE_ADDR, or behind `TRUSTED_PROXY_COUNT` reverse proxies the address the
    outermost trusted proxy saw (the entry it appended to X-Forwarded-For). Entries further left are written
    by the client and could be forged, so they are never used. Rate limits, lockouts and the audit log all
    take the address from here."""
    remote = request.META.get("REMOTE_ADDR") or None
    hops = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0))
    if hops and remote:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= hops:
            try:
                return str(ipaddress.ip_address(forwarded[-hops]))
            except ValueError:
                return remote
    return remote


class RequestContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = current_ip.set(client_ip(request))
        try:
            return self.get_response(request)
        finally:
            current_ip.reset(token)
