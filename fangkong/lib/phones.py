"""Phone numbers, validated with phonenumbers (region CN by default) and stored in E.164."""

from __future__ import annotations

import phonenumbers
from django.utils.translation import gettext as _


class PhoneError(ValueError):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def normalise(raw: str, region: str = "CN") -> str:
    """Return the number in E.164 (`+8613912340000`) or raise PhoneError with a user message."""
    text = str(raw).strip()
    if not text:
        raise PhoneError(_("Enter a phone number."))
    try:
        parsed = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        raise PhoneError(_("This is not a phone number.")) from None
    if not phonenumbers.is_valid_number(parsed):
        raise PhoneError(_("This phone number is not valid."))
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def national(e164: str) -> str:
    """`+8613912340000` → `13912340000`; foreign numbers keep their international form."""
    if e164.startswith("+86"):
        return e164[3:]
    return e164
