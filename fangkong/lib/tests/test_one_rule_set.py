"""One rule set (issue 11): the fast paths that bulk imports take through `idnumbers.normalise` and
`phones.normalise` give the same verdict as the full rules (python-stdnum, phonenumbers) over many generated
and edge-case values — 15-digit numbers, a lower-case x, impossible dates, full-width digits, spaces, numbers
Excel turned into floats — and the importer uses these functions, not copies of them."""

from __future__ import annotations

import datetime
import inspect
import random

import pytest
from stdnum.cn import ric

from fangkong.lib import idnumbers, phones

TODAY = datetime.date(2021, 8, 3)
FULL_WIDTH = str.maketrans("0123456789Xx", "０１２３４５６７８９Ｘｘ")


def _verdict(fn, raw):
    try:
        return ("ok", fn(raw))
    except (idnumbers.IdNumberError, phones.PhoneError) as exc:
        return ("error", exc.message)


def _full_id_rule(raw: str) -> str:
    return idnumbers._check(raw, TODAY)[0]


def _id_values() -> list[str]:
    rng = random.Random(11)
    values: list[str] = []
    for _ in range(3000):
        born = datetime.date(1870, 1, 1) + datetime.timedelta(days=rng.randrange(160 * 366))
        prefix = rng.choice(["410928", "110101", "440305", "990101", "710000", "00" + "1234"])
        body = f"{prefix}{born:%Y%m%d}{rng.randrange(1000):03d}"
        good = body + ric.calc_check_digit(body + "0")
        values += [good, good.lower(), body + rng.choice("0123456789X")]
        # impossible dates: month 13, day 31 in a 30-day month, 29 February of a common year
        for bad_date in ("19901301", "19900431", "19010229", "20000229", "00000000"):
            other = prefix + bad_date + body[14:]
            values.append(other + ric.calc_check_digit(other + "0"))
    for value in list(values[:300]):
        values += [
            value.translate(FULL_WIDTH),
            f" {value} ",
            value[:6] + " " + value[6:14] + " " + value[14:],
            value[:17],
            value + "0",
            f"{float(value[:17]):.5E}".replace("E+0", "E+"),  # Excel's scientific notation
            f"{float(value[:17])!r}",
            value[:6] + value[8:17],  # a 15-digit legacy number
        ]
    values += [
        "",
        "x",
        "X" * 18,
        "41092819900101123Ｘ",
        "4109281990010112３X",
        "410928900101123",
        "410928000229123",
    ]
    return values


def test_the_fast_id_path_gives_the_full_rules_verdict():
    for raw in _id_values():
        fast = _verdict(lambda r: idnumbers.normalise(r, today=TODAY), raw)
        full = _verdict(_full_id_rule, raw)
        assert fast == full, raw


def test_parse_and_normalise_agree():
    for raw in _id_values()[:2000]:
        fast = _verdict(lambda r: idnumbers.normalise(r, today=TODAY), raw)
        parsed = _verdict(lambda r: idnumbers.parse(r, today=TODAY).number, raw)
        assert fast == parsed, raw


def _phone_values() -> list[str]:
    rng = random.Random(11)
    values: list[str] = []
    for _ in range(3000):
        first = rng.choice("0123456789")
        values.append(f"1{first}{rng.randrange(10**9):09d}")
    for value in list(values[:300]):
        values += [
            value.translate(FULL_WIDTH),
            f" {value} ",
            f"{value[:3]} {value[3:7]} {value[7:]}",
            f"{value[:3]}-{value[3:7]}-{value[7:]}",
            f"+86{value}",
            f"86{value}",
            f"{float(value)!r}",  # an Excel number read back as a float
            f"{float(value):.5E}",
            value[:10],
            value + "0",
        ]
    values += [
        "",
        "暂无",
        "无",
        "0393-8881234",
        "03938881234",
        "12345",
        "1" * 11,
        "+1 202-555-0100",
        "13912345678x",
    ]
    return values


def test_the_fast_phone_path_gives_the_full_rules_verdict():
    for raw in _phone_values():
        fast = _verdict(phones.normalise, raw)
        full = _verdict(lambda r: phones._parse(r, "CN"), raw)
        assert fast == full, raw


@pytest.mark.parametrize("digits", ["１３９１２３４５６７８", "139１２３45678"])
def test_full_width_digits_never_come_out_of_the_fast_path(digits):
    verdict = _verdict(phones.normalise, digits)
    assert verdict[0] == "error" or verdict[1].isascii()


def test_the_importer_uses_the_lib_rules_and_keeps_no_copy():
    from fangkong.pushlists import importer

    source = inspect.getsource(importer)
    assert "idnumbers.normalise" in source and "phones.normalise" in source
    assert "calc_check_digit" not in source and "national_number_pattern" not in source
    assert "PROVINCE_PREFIXES" not in source
