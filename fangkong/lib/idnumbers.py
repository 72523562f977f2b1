"""居民身份证 numbers: validation, upgrade of 15-digit legacy numbers, and the facts they carry.

The check character, birth date and birth place come from python-stdnum (`stdnum.cn.ric`). An unknown
county code is only a warning: counties are merged and renamed, and old cards stay valid.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from stdnum.cn import ric
from stdnum.exceptions import InvalidChecksum, InvalidComponent, ValidationError

# GB/T 2260 province-level prefixes (including 71 Taiwan, 81 Hong Kong, 82 Macao).
PROVINCE_PREFIXES = frozenset(
    str(n)
    for n in (
        11,
        12,
        13,
        14,
        15,
        21,
        22,
        23,
        31,
        32,
        33,
        34,
        35,
        36,
        37,
        41,
        42,
        43,
        44,
        45,
        46,
        50,
        51,
        52,
        53,
        54,
        61,
        62,
        63,
        64,
        65,
        71,
        81,
        82,
    )
)


class IdNumberError(ValueError):
    """A document number that cannot be accepted; `message` is translatable, for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class IdNumber:
    number: str
    birth_date: datetime.date
    sex: str  # "M" or "F": the 17th digit is odd for men
    warnings: list[str] = field(default_factory=list)


def upgrade_15(number: str) -> str:
    """Turn a 15-digit legacy number (born 19YY, no check character) into its 18-digit form."""
    body = number[:6] + "19" + number[6:]
    return body + ric.calc_check_digit(body + "0")


def normalise(raw: str, *, today: datetime.date | None = None) -> str:
    """The one ID rule: the number normalised (18 characters, capital X), or IdNumberError with a message.

    Bulk paths call this per row. The common case (18 ASCII characters, a known province, the right check
    character, a real birth date) is decided here without stdnum; anything else goes the full way
    (`_check`), which also gives the message. `test_one_id_rule` proves both ways agree.
    """
    if (
        len(raw) == 18
        and raw.isascii()
        and raw[:17].isdigit()
        and raw[:2] in PROVINCE_PREFIXES
        and raw[17] in _CHECK_CHARACTERS
    ):
        number = raw if raw[17] != "x" else raw[:17] + "X"
        if number[17] == _check_character(number):
            try:
                birth = datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
            except ValueError:
                birth = None
            if birth is not None and birth.year >= 1880 and birth <= (today or timezone.localdate()):
                return number
    return _check(raw, today)[0]


_CHECK_CHARACTERS = frozenset("0123456789Xx")


def _check_character(number: str) -> str:
    """GB 11643 check character of the first 17 digits: python-stdnum's formula (`ric.calc_check_digit`,
    ISO 7064 mod 11-2 through one base-13 conversion), without its call chain."""
    checksum = (1 - 2 * int(number[:17], 13)) % 11
    return "X" if checksum == 10 else str(checksum)


def _check(raw: str, today: datetime.date | None) -> tuple[str, datetime.date]:
    """The full rule, through python-stdnum: (number, birth date) or IdNumberError."""
    number = ric.compact(str(raw)).upper().replace(" ", "")
    if "E+" in number or "." in number:
        raise IdNumberError(
            str(_("The ID number looks like a spreadsheet number (scientific notation); digits were lost."))
        )
    if len(number) == 15 and number.isdigit():
        number = upgrade_15(number)
    if len(number) != 18:
        raise IdNumberError(str(_("An ID number has 18 characters (or 15 for old cards).")))
    if not number.isascii() or not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        raise IdNumberError(str(_("An ID number is 17 digits followed by a digit or X.")))
    if number[:2] not in PROVINCE_PREFIXES:
        raise IdNumberError(str(_("The ID number starts with an unknown province code.")))
    if number[17] != ric.calc_check_digit(number):
        raise IdNumberError(str(_("The check character of the ID number is wrong; please check each digit.")))
    try:
        birth = ric.get_birth_date(number)
    except (InvalidComponent, ValidationError):
        raise IdNumberError(str(_("The ID number contains an impossible birth date."))) from None
    today = today or timezone.localdate()
    if birth > today or birth.year < 1880:
        raise IdNumberError(str(_("The ID number contains an impossible birth date.")))
    return number, birth


def parse(raw: str, *, today: datetime.date | None = None) -> IdNumber:
    """Validate a 身份证 number and return it normalised with its birth date and sex.

    Raises IdNumberError with a message fit to show the user.
    """
    number, birth = _check(raw, today)
    warnings: list[str] = []
    try:
        ric.get_birth_place(number)
    except (InvalidComponent, InvalidChecksum, ValidationError, KeyError):
        # stdnum raises KeyError when only the province part of the code is in its tables.
        warnings.append(
            str(_("The county code of this ID number is not in the current tables (old cards stay valid)."))
        )
    sex = "M" if int(number[16]) % 2 == 1 else "F"
    return IdNumber(number=number, birth_date=birth, sex=sex, warnings=warnings)


def make(prefix6: str, birth: datetime.date, sequence: int) -> str:
    """Build a valid 18-digit number (for synthetic demo and test data)."""
    body = f"{prefix6}{birth:%Y%m%d}{sequence % 1000:03d}"
    return body + ric.calc_check_digit(body + "0")
