"""Small helpers for views."""

from __future__ import annotations

from typing import Any, TypeVar

T = TypeVar("T")


def public(view: T) -> T:
    """Mark a view as open to anonymous visitors (the jurisdiction sweep skips it)."""
    view.fangkong_public = True  # type: ignore[attr-defined]
    return view


def add_errors(form: Any, exc: Any) -> None:
    """Put an action's ValidationError on the form: per field where the form has it, else on the form."""
    for name, errors in exc.message_dict.items():
        form.add_error(name if name in form.fields else None, errors)
