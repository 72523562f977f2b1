"""The audit log as a person reads it: field names as the model's verbose names, choice codes as their labels,
instants in Beijing time, yes/no for booleans and nested values (a report's figures) as `key: value` lines.

Rows keep what was recorded (`AuditEvent.changes` is never rewritten); only the display is translated, so an old
row reads in today's words and in the reader's language.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from fangkong.audit.models import AuditEvent

EMPTY = "—"


@dataclass(frozen=True)
class ChangeLine:
    """One changed field: its label and the values before and after, ready to show."""

    label: str
    before: str
    after: str


def _model(object_type: str) -> type[models.Model] | None:
    if "." not in object_type:
        return None
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def _field(model: type[models.Model] | None, name: str) -> models.Field[Any, Any] | None:
    if model is None:
        return None
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return field if isinstance(field, models.Field) else None


def _instant(text: str) -> str | None:
    """An ISO timestamp with an offset, shown in Beijing time; None when `text` is not one."""
    if len(text) < 16 or "T" not in text:
        return None
    try:
        moment = datetime.datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.tzinfo is None:
        return None
    return date_format(timezone.localtime(moment), "Y-m-d H:i")


def show_value(value: Any, field: models.Field[Any, Any] | None = None) -> str:
    """One recorded value as text a person reads."""
    if value is None or value == "":
        return EMPTY
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, dict):
        return "；".join(f"{key}: {show_value(item)}" for key, item in value.items()) or EMPTY
    if isinstance(value, list):
        return "、".join(show_value(item) for item in value) or EMPTY
    if field is not None and field.choices:
        labels = {str(code): label for code, label in field.flatchoices}
        if str(value) in labels:
            return str(labels[str(value)])
    if isinstance(value, str) and (instant := _instant(value)):
        return instant
    return str(value)


def _changed_items(before: Any, after: Any) -> tuple[Any, Any]:
    """For nested values (a report's figures) keep only the keys that changed, so a revision shows the
    figure that moved rather than every figure twice."""
    if isinstance(before, dict) and isinstance(after, dict):
        keys = [k for k in after if before.get(k) != after.get(k)] + [k for k in before if k not in after]
        return {k: before.get(k) for k in keys}, {k: after.get(k) for k in keys}
    return before, after


def change_lines(event: AuditEvent) -> list[ChangeLine]:
    """The event's changes, field by field, as a person reads them."""
    model = _model(event.object_type)
    lines = []
    for name, pair in (event.changes or {}).items():
        before, after = pair if isinstance(pair, list | tuple) and len(pair) == 2 else (None, pair)
        before, after = _changed_items(before, after)
        field = _field(model, name)
        label = capfirst(str(field.verbose_name)) if field is not None else name
        lines.append(ChangeLine(label, show_value(before, field), show_value(after, field)))
    return lines
