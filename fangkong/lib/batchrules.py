"""The common case of the ID and phone rules over a whole column at once (polars, in Rust), for bulk imports.

This is not a second rule. It decides only the values that the fast paths of `idnumbers.normalise` and
`phones.normalise` decide (18 ASCII characters, a known province, the right check character, a real birth date
in the window; an 11-digit mainland mobile that phonenumbers' own pattern matches) and gives `None` for
everything else, which the caller then hands to those per-row functions (the full rule with its message).
So the verdict of a bulk import is the verdict of the form by construction; `lib/tests/test_one_rule_set.py`
proves that every value the column pass accepts comes out exactly as the per-row rule gives it.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence

import polars as pl

from fangkong.lib import idnumbers, phones

# The GB 11643 check character is (1 - 2·(first 17 digits read in base 13)) mod 11: python-stdnum's formula
# (`idnumbers._check_character`), computed on the residue so the arithmetic stays inside 64 bits.
_PROVINCES = sorted(idnumbers.PROVINCE_PREFIXES)
_MOBILE_PATTERN = phones._MOBILE.pattern


def _is_leap(year: pl.Expr) -> pl.Expr:
    return ((year % 4 == 0) & (year % 100 != 0)) | (year % 400 == 0)


def _days_in_month(year: pl.Expr, month: pl.Expr) -> pl.Expr:
    return (
        pl.when(month == 2)
        .then(pl.when(_is_leap(year)).then(29).otherwise(28))
        .when(month.is_in([4, 6, 9, 11]))
        .then(30)
        .otherwise(31)
    )


def normalise_ids(values: Sequence[str], *, today: datetime.date) -> list[str | None]:
    """Per value: the normalised number when the common case decides it, else None (use the full rule)."""
    if not values:
        return []
    v = pl.col("v")
    year = v.str.slice(6, 4).cast(pl.Int32, strict=False)
    month = v.str.slice(10, 2).cast(pl.Int32, strict=False)
    day = v.str.slice(12, 2).cast(pl.Int32, strict=False)
    residue = v.str.slice(0, 17).str.to_integer(base=13, strict=False) % 11
    check = ((23 - 2 * residue) % 11).cast(pl.Int64)
    last = v.str.slice(17, 1).str.to_uppercase()
    birth = year * 10_000 + month * 100 + day
    accepted = (
        v.str.contains(r"^[0-9]{17}[0-9Xx]$")
        & v.str.slice(0, 2).is_in(_PROVINCES)
        & (last == pl.when(check == 10).then(pl.lit("X")).otherwise(check.cast(pl.String)))
        & month.is_between(1, 12)
        & day.is_between(1, 31)
        & (day <= _days_in_month(year, month))
        & (year >= 1880)
        & (birth <= today.year * 10_000 + today.month * 100 + today.day)
    )
    frame = pl.DataFrame({"v": pl.Series(values, dtype=pl.String)})
    out = frame.select(pl.when(accepted.fill_null(False)).then(v.str.to_uppercase()).otherwise(None))
    return out.to_series().to_list()


def normalise_mobiles(values: Sequence[str]) -> list[str | None]:
    """Per value: E.164 of an 11-digit mainland mobile phonenumbers' pattern matches, else None."""
    if not values:
        return []
    v = pl.col("v")
    accepted = v.str.contains(r"^[0-9]{11}$") & v.str.contains(f"^(?:{_MOBILE_PATTERN})$")
    frame = pl.DataFrame({"v": pl.Series(values, dtype=pl.String)})
    out = frame.select(pl.when(accepted.fill_null(False)).then(pl.lit("+86") + v).otherwise(None))
    return out.to_series().to_list()
