"""Phone numbers, validated with phonenumbers (region CN by default) and stored in E.164.

A work number (a duty phone) may be a landline with its area code and an extension (`0393-8881234-123`,
`0393-8881234 转 123`); it is stored as E.164 with an RFC 3966 extension (`+863938881234;ext=123`).
"""

from __future__ import annotations

import re

import phonenumbers
from django.utils.translation import gettext as _


class PhoneError(ValueError):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _mainland_mobile() -> re.Pattern[str]:
    from phonenumbers.phonemetadata import PhoneMetadata

    metadata = PhoneMetadata.metadata_for_region("CN")
    pattern = metadata.mobile.national_number_pattern if metadata and metadata.mobile else None
    # ASCII only: `\d` in a str pattern also matches full-width digits, which the full parse converts.
    return re.compile(pattern or r"(?!)", re.ASCII)


# phonenumbers' own pattern for mainland mobiles: an 11-digit ASCII number it matches is valid, so the
# common case of a bulk import skips the (slow) full parse. `test_one_phone_rule` proves both ways agree.
_MOBILE = _mainland_mobile()


def normalise(raw: str, region: str = "CN") -> str:
    """Return the number in E.164 (`+8613912340000`) or raise PhoneError with a user message."""
    if region == "CN" and len(raw) == 11 and raw.isascii() and _MOBILE.fullmatch(raw):
        return "+86" + raw
    return _parse(raw, region)


def _parse(raw: str, region: str) -> str:
    """The full rule, through phonenumbers."""
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


# An extension typed after a complete number: `-123`, ` 转123`, `分机 123`, `ext. 123`, `x123`, `#123`.
_EXTENSION = re.compile(r"^(?P<main>.*\d)\s*(?:-|转|分机|ext\.?|x|#|,)\s*(?P<ext>\d{1,6})$", re.IGNORECASE)
EXT_MARK = ";ext="


def normalise_work(raw: str, region: str = "CN") -> str:
    """A work number in E.164, with `;ext=` and the extension if one was typed; raises PhoneError."""
    text = str(raw).strip()
    try:
        e164 = normalise(text, region)
    except PhoneError as exc:
        match = _EXTENSION.match(text)
        if match is None:
            raise exc from None
        # The whole string is not a number; the part before the extension must be one on its own.
        return normalise(match["main"], region) + EXT_MARK + match["ext"]
    extension = phonenumbers.parse(text, region).extension  # `ext 12`, which phonenumbers reads itself
    return e164 + EXT_MARK + extension if extension else e164


def _split(stored: str) -> tuple[str, str]:
    main, _mark, ext = stored.partition(EXT_MARK)
    return main, ext


def display(stored: str) -> str:
    """A stored number as people dial it: `0393 888 1234 转 123`, `139 1234 5678`, `+1 202-555-0100`."""
    if not stored:
        return ""
    main, ext = _split(stored)
    try:
        parsed = phonenumbers.parse(main, None)
    except phonenumbers.NumberParseException:
        return stored
    style = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if parsed.country_code == 86
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    text = phonenumbers.format_number(parsed, style)
    if not ext:
        return text
    return _("%(number)s ext. %(extension)s") % {"number": text, "extension": ext}


def national(e164: str) -> str:
    """`+8613912340000` → `13912340000`, `+863938881234` → `03938881234` (with the trunk 0 of a landline);
    foreign numbers keep their international form. An extension is dropped."""
    main, _ext = _split(e164)
    if not main.startswith("+86"):
        return main
    try:
        parsed = phonenumbers.parse(main, None)
    except phonenumbers.NumberParseException:
        return main[3:]
    return re.sub(r"\D", "", phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL))
