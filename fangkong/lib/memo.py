"""A memo for the figures of one page: inside `with memo.scope():`, `memo.get(key, compute)` computes a value once
and returns it again for the same key. Outside a scope nothing is kept, so no figure outlives the page that asked
for it and no test or job reads another's.

The command view asks the same figure for many days (a 7-day trend, a 30-day chart); a part of it that does not
depend on the day, such as a testing round's target population, is counted once per page instead of once per day.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

T = TypeVar("T")

_kept: ContextVar[dict[Hashable, Any] | None] = ContextVar("fangkong_memo", default=None)


@contextmanager
def scope() -> Iterator[None]:
    """Keep computed values until the outermost scope ends (nested scopes share it)."""
    if _kept.get() is not None:
        yield
        return
    token = _kept.set({})
    try:
        yield
    finally:
        _kept.reset(token)


def get(key: Hashable, compute: Callable[[], T]) -> T:
    kept = _kept.get()
    if kept is None:
        return compute()
    if key not in kept:
        kept[key] = compute()
    return kept[key]
