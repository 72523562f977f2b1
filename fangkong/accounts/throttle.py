"""A limit on failed logins per client address, across usernames (django-axes counts per username+address).

Failures are counted in the shared cache in fixed windows of `LOGIN_ADDRESS_WINDOW_MINUTES`; once an address
has `LOGIN_ADDRESS_FAILURE_LIMIT` failures in the current window, every login from it is refused until the
window ends, whatever the username — so spraying one password across many accounts is bounded, while an
office behind one NAT address still has room for its users' typos.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.core.cache import cache
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils import timezone

from fangkong.audit.middleware import client_ip


def _key(request: HttpRequest) -> tuple[str, int]:
    window = settings.LOGIN_ADDRESS_WINDOW_MINUTES * 60
    slot = int(timezone.now().timestamp()) // window
    return f"accounts:login-failures:{client_ip(request) or 'unknown'}:{slot}", window


def address_blocked(request: HttpRequest) -> bool:
    key, _window = _key(request)
    return int(cache.get(key, 0)) >= settings.LOGIN_ADDRESS_FAILURE_LIMIT


@receiver(user_login_failed)
def count_failure(
    sender: Any, credentials: Any = None, request: HttpRequest | None = None, **kwargs: Any
) -> None:
    if request is None:
        return
    key, window = _key(request)
    cache.add(key, 0, window)
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window)
