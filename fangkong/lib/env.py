"""Tiny strict parsers for settings read from the environment.

A bad value stops start-up with a message naming the variable; a typo in production must not
silently fall back to a default.
"""

from __future__ import annotations

import os


class ConfigError(RuntimeError):
    pass


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ConfigError(f"{name} must be one of 1/0/true/false/yes/no/on/off, got {raw!r}")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be an integer, got {raw!r}") from None
    if minimum is not None and value < minimum:
        raise ConfigError(f"{name} must be >= {minimum}, got {value}")
    return value


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_clock(name: str, default: str) -> str:
    """A wall-clock time `HH:MM` (00:00–23:59), returned normalised (`7:05` → `07:05`). `24:00`, `25:00`,
    `5pm` and `17:00:30` stop start-up instead of failing later in the job that reads them."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    hours, sep, minutes = raw.strip().partition(":")
    if (
        sep
        and hours.isdigit()
        and minutes.isdigit()
        and 1 <= len(hours) <= 2
        and len(minutes) == 2
        and int(hours) <= 23
        and int(minutes) <= 59
    ):
        return f"{int(hours):02d}:{minutes}"
    raise ConfigError(f"{name} must be a time HH:MM between 00:00 and 23:59, got {raw!r}")
