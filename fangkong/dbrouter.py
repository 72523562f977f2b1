"""Reads of dashboards and lists from a PostgreSQL streaming replica (issue 16, scale-out; docs/scaling.md).

With `DATABASE_REPLICA_URL` set there is a second database alias, `replica`. `ReplicaReadMiddleware` marks a
request as *replica-eligible* when it is a GET/HEAD of a view named in `REPLICA_READ_VIEWS` and the user has
not written in the last `REPLICA_STICKY_SECONDS` (a short-lived cookie that any request that wrote sets), and
`PrimaryReplicaRouter` then sends that request's ORM reads to `replica`. Everything else — every write, every read
inside a transaction, every read after the request wrote, every job, command and API call outside the list —
goes to `default`. With no replica configured the router always answers `default`: exactly as before.

A replica lags its primary by a fraction of a second; the lists and dashboards tolerate that, a user's own
change does not (they would not see what they just saved), hence the sticky cookie.

Under Django's test runner the replica is declared a test mirror of `default` (fangkong/test_settings.py): the
router still decides, and a mirror decision resolves to the alias it mirrors, so tests read the one test
database that holds their (uncommitted) data. `fangkong/tests/test_replica_reads.py` proves real replica reads.
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connections
from django.http import HttpRequest, HttpResponse

REPLICA = "replica"
PRIMARY = "default"
# Set on a response after the request wrote; while present the user's reads go to the primary.
STICKY_COOKIE = "fk_primary"
SAFE_METHODS = frozenset({"GET", "HEAD"})


@dataclass
class RequestRouting:
    """The routing state of one request: may it read the replica, and has it written yet."""

    replica_allowed: bool = False
    wrote: bool = False
    # The primary's open atomic blocks when the view started (a test wraps the whole request in some): a
    # transaction the view opens is one more.
    atomic_depth: int = 0


_current: contextvars.ContextVar[RequestRouting | None] = contextvars.ContextVar(
    "fk_db_routing", default=None
)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


def view_reads_replica(view_name: str | None, namespace: str | None = None) -> bool:
    """Whether `REPLICA_READ_VIEWS` lists this view: by its full name (`people:list`, `dashboard`) or its whole
    namespace (`control:*`)."""
    allowed: list[str] = settings.REPLICA_READ_VIEWS
    if not view_name:
        return False
    if view_name in allowed:
        return True
    return bool(namespace) and f"{namespace}:*" in allowed


def read_alias() -> str:
    """The alias the current context should read from, before test mirrors are resolved."""
    state = _current.get()
    if state is None or not state.replica_allowed or state.wrote or not replica_configured():
        return PRIMARY
    # select_for_update, and any read inside a transaction, belongs with the transaction's writes.
    if len(connections[PRIMARY].atomic_blocks) > state.atomic_depth:
        return PRIMARY
    return REPLICA


def _resolve_mirror(alias: str) -> str:
    mirror = settings.DATABASES[alias].get("TEST", {}).get("MIRROR")
    return str(mirror) if mirror else alias


class PrimaryReplicaRouter:
    """Django database router (settings.DATABASE_ROUTERS)."""

    def db_for_read(self, model: type[Any], **hints: Any) -> str:
        return _resolve_mirror(read_alias())

    def db_for_write(self, model: type[Any], **hints: Any) -> str:
        state = _current.get()
        if state is not None:
            # From here on this request reads what it wrote, and the user's next requests do too.
            state.wrote = True
        return PRIMARY

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        # Both aliases hold the same data: objects read from either may be related.
        return True

    def allow_migrate(self, db: str, app_label: str, model_name: str | None = None, **hints: Any) -> bool:
        # The replica copies the primary's schema by streaming; migrations run on the primary only.
        return db == PRIMARY


class ReplicaReadMiddleware:
    """Marks a request replica-eligible (see the module docstring) and sets the sticky cookie after a write.

    Placed after the session and authentication middleware: what they read (the session, the user) comes from
    the primary before the view is known."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        state = RequestRouting()
        token = _current.set(state)
        try:
            response = self.get_response(request)
        finally:
            _current.reset(token)
        if replica_configured() and (state.wrote or request.method not in SAFE_METHODS):
            response.set_cookie(
                STICKY_COOKIE,
                "1",
                max_age=settings.REPLICA_STICKY_SECONDS,
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., Any], view_args: Any, view_kwargs: Any
    ) -> None:
        state = _current.get()
        if state is None or not replica_configured():
            return
        match = request.resolver_match
        state.atomic_depth = len(connections[PRIMARY].atomic_blocks)
        state.replica_allowed = (
            request.method in SAFE_METHODS
            and STICKY_COOKIE not in request.COOKIES
            and match is not None
            and view_reads_replica(match.view_name, match.namespace)
        )
