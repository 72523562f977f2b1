"""Masking of personal data, applied by default everywhere a number is shown or exported."""

from __future__ import annotations

import datetime

from fangkong.lib.phones import national


def mask_document(number: str) -> str:
    """`410928199001011234` → `410928********1234`; short numbers keep only their last 2 characters."""
    if not number:
        return ""
    if len(number) >= 15:
        return number[:6] + "*" * (len(number) - 10) + number[-4:]
    return "*" * max(len(number) - 2, 0) + number[-2:]


def mask_phone(e164: str) -> str:
    """`+8613900000000` → `139****0000`."""
    if not e164:
        return ""
    digits = national(e164)
    if len(digits) < 7:
        return "*" * len(digits)
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]


def mask_birth_date(day: datetime.date | None) -> str:
    """`1990-01-01` → `1990`: the eight digits `mask_document` hides are the birth date, so wherever a masked
    number can be seen only the birth year may be."""
    return str(day.year) if day else ""
