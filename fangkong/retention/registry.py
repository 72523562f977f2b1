"""The kinds of personal record the retention policy covers, registered by the apps that own them.

Each app registers its kinds in its `AppConfig.ready()` (`register(...)`): a kind knows how to remove the personal
fields of its records dated before a cutoff (anonymise: blank the fields, keep the row and so every count; or delete
rows that are nothing but personal data). Retention itself never imports another app (test_dependencies.py); how
long a kind is kept is `settings.RETENTION["DAYS"]`, and a system check fails start-up when a kind has no period or a
period names no registered kind.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core import checks
from django.db import models, transaction
from django.utils.functional import Promise

# (cutoff, dry_run, chunk) -> how many records were (or, dry, would be) anonymised or deleted.
Purge = Callable[[datetime.datetime, bool, int], int]


@dataclass(frozen=True)
class Kind:
    key: str  # "checkpoints.crossings"
    label: Promise  # what the command office reads
    how: Promise  # "anonymised" / "deleted", in words
    purge: Purge


_KINDS: dict[str, Kind] = {}


def register(key: str, label: Promise, how: Promise, purge: Purge) -> None:
    if key in _KINDS and _KINDS[key].purge is not purge:
        raise ValueError(f"retention kind {key!r} registered twice")
    _KINDS[key] = Kind(key, label, how, purge)


def kinds() -> list[Kind]:
    """Every registered kind, in the order of `settings.RETENTION["DAYS"]` (then by key)."""
    order = list(settings.RETENTION["DAYS"])
    return sorted(
        _KINDS.values(), key=lambda k: (order.index(k.key) if k.key in order else len(order), k.key)
    )


def anonymise(qs: models.QuerySet[Any], blank: dict[str, Any], *, dry_run: bool, chunk: int) -> int:
    """Set `blank` on every row of `qs` (due rows still holding personal data), a chunk per short transaction.

    `qs` must no longer match a row once it is blanked, so a second run finds nothing (idempotent). Walks by
    primary key, so it ends even if it did not."""
    if dry_run:
        return qs.count()
    done, last = 0, None
    while True:
        page = qs.order_by("pk")
        if last is not None:
            page = page.filter(pk__gt=last)
        ids = list(page.values_list("pk", flat=True)[:chunk])
        if not ids:
            return done
        last = ids[-1]
        with transaction.atomic():
            # `update` sends no signals and bypasses save(): the rows keep their place in every count.
            done += qs.model._base_manager.filter(pk__in=ids).update(**blank)


def delete(qs: models.QuerySet[Any], *, dry_run: bool, chunk: int) -> int:
    """Delete every row of `qs`, a chunk per short transaction; returns the rows of `qs`'s model deleted."""
    if dry_run:
        return qs.count()
    done = 0
    label = qs.model._meta.label
    while True:
        ids = list(qs.order_by("pk").values_list("pk", flat=True)[:chunk])
        if not ids:
            return done
        with transaction.atomic():
            _total, per_model = qs.model._base_manager.filter(pk__in=ids).delete()
        done += per_model.get(label, 0)


def check_policy(**kwargs: Any) -> list[checks.CheckMessage]:
    days = settings.RETENTION["DAYS"]
    errors: list[checks.CheckMessage] = []
    for key in sorted(set(_KINDS) - set(days)):
        errors.append(
            checks.Error(
                f"retention kind {key!r} has no period in settings.RETENTION['DAYS']", id="retention.E001"
            )
        )
    for key in sorted(set(days) - set(_KINDS)):
        errors.append(
            checks.Error(
                f"settings.RETENTION['DAYS'] names {key!r}, which no app registers", id="retention.E002"
            )
        )
    for key, value in days.items():
        if not isinstance(value, int) or value < 1:
            errors.append(
                checks.Error(
                    f"retention period of {key!r} must be a whole number of days ≥ 1", id="retention.E003"
                )
            )
    return errors
