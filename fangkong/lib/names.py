"""Pinyin keys for searching Chinese names (`zs` finds 张三), via pypinyin."""

from __future__ import annotations

from pypinyin import Style, lazy_pinyin


def initials(name: str) -> str:
    """张三 → `zs`; Latin letters pass through lower-cased."""
    parts = lazy_pinyin(name, style=Style.FIRST_LETTER, errors="default")
    return "".join(p[:1] for p in parts if p).lower()


def full_pinyin(name: str) -> str:
    """张三 → `zhangsan`."""
    return "".join(lazy_pinyin(name, errors="default")).lower()
