"""Shared forms carry a version: a save made from a form opened before someone else's save is refused, with
a message that says who changed what meanwhile, instead of silently reverting their change.

Each record's `version` goes up by one with every change its `do_update_*` action saves, and each such change
writes one audit row; so the changes a stale form missed are the record's last `current - expected` audit
updates (masked values, as the audit log holds them).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import Any, Protocol

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _


class ChangeRecord(Protocol):
    at: datetime.datetime
    actor_name: str
    changes: Any


def _text(value: Any) -> str:
    return "—" if value in (None, "") else str(value)


class StaleEditError(ValidationError):
    """A save from a form older than the record; `current_version` is what the form should carry now."""

    current_version: int


def check_version(current: int, expected: int | None, missed: Any, labels: Mapping[str, str]) -> None:
    """Raise StaleEditError when a form opened at version `expected` would overwrite a newer record.

    `missed(n)` returns the record's last `n` audit updates, newest first. `expected=None` (the API without a
    version, scripts) saves as before."""
    if expected is None or expected == current:
        return
    error = StaleEditError({"__all__": [stale_message(missed(max(current - expected, 1)), labels)]})
    error.current_version = current
    raise error


def stale_message(events: Iterable[ChangeRecord], labels: Mapping[str, str]) -> str:
    """What a stale form missed; `events` are the missed changes, newest first."""
    lines = []
    for event in reversed(list(events)):
        fields = "; ".join(
            f"{labels.get(name, name)}: {_text(pair[0])} → {_text(pair[1])}"
            for name, pair in (event.changes or {}).items()
            if isinstance(pair, list | tuple) and len(pair) == 2
        )
        lines.append(
            _("%(who)s at %(at)s: %(fields)s")
            % {
                "who": event.actor_name or _("the system"),
                "at": f"{timezone.localtime(event.at):%Y-%m-%d %H:%M}",
                "fields": fields or "—",
            }
        )
    return _(
        "Someone else saved this record after you opened it, so your changes were not saved. "
        "What changed meanwhile: %(changes)s. Check the form and save again to apply your changes."
    ) % {"changes": " / ".join(lines) or "—"}


def field_labels(model: Any) -> dict[str, str]:
    return {f.name: str(getattr(f, "verbose_name", f.name)) for f in model._meta.get_fields()}


def carry_current_version(form: Any, exc: StaleEditError) -> None:
    """Re-render `form` (the user's input kept) with the current version: saving it again now means
    "I have seen what changed; apply mine"."""
    data = form.data.copy()
    data["version"] = str(exc.current_version)
    form.data = data
