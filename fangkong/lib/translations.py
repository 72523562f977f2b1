"""Where the translation catalogues live: one per app (fangkong/<app>/locale) plus the project's own."""

from __future__ import annotations

from pathlib import Path

LOCALE = "zh_Hans"
PACKAGE = Path(__file__).resolve().parent.parent


def catalogue_roots() -> list[Path]:
    """The project package and every app package below it that has user-visible strings."""
    roots = [PACKAGE]
    for child in sorted(PACKAGE.iterdir()):
        if (child / "apps.py").exists():
            roots.append(child)
    return roots


def catalogues() -> list[Path]:
    return [p for root in catalogue_roots() if (p := root / "locale" / LOCALE / "LC_MESSAGES" / "django.po").exists()]
