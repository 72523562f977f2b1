"""The base of every API input shape (bodies and query filters).

PostgreSQL cannot store or even compare text holding a NUL character (\\x00): a query with one fails with
a DataError, which would answer 500. `InputSchema` refuses such text in any field (also inside lists and
dict keys) before it reaches the database, as a 422 validation error in the user's language, like the
web forms do. Fields that end up in a column also declare that column's `max_length`; `too_long_message`
words pydantic's error for it.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext as _
from ninja import Schema
from pydantic import field_validator
from pydantic_core import PydanticCustomError


def has_nul(value: Any) -> bool:
    """Whether `value` (text, or lists and dicts of it, keys included) holds a NUL character."""
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(has_nul(k) or has_nul(v) for k, v in value.items())
    if isinstance(value, list | tuple | set | frozenset):
        return any(has_nul(v) for v in value)
    return False


def column_length(model: type[models.Model], field: str) -> int:
    """The `max_length` of a model's text column, for the API field that is stored in it."""
    length = model._meta.get_field(field).max_length  # type: ignore[union-attr]
    if not isinstance(length, int):
        raise TypeError(f"{model.__name__}.{field} has no max_length")
    return length


def too_long_message(max_length: int) -> str:
    return _("Enter at most %(max_length)d characters.") % {"max_length": max_length}


class InputSchema(Schema):
    @field_validator("*", mode="after")
    @classmethod
    def _refuse_nul(cls, value: Any) -> Any:
        if has_nul(value):
            raise PydanticCustomError("string_nul", _("Text cannot contain NUL characters."))
        return value
