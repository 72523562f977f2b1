"""Small helpers for views."""

from __future__ import annotations

from typing import TypeVar

T = TypeVar("T")


def public(view: T) -> T:
    """Mark a view as open to anonymous visitors (the jurisdiction sweep skips it)."""
    view.fangkong_public = True  # type: ignore[attr-defined]
    return view
