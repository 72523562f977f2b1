import datetime

import pytest

from fangkong.lib import idnumbers

pytestmark = pytest.mark.usefixtures("english")


def test_it_accepts_a_valid_number_and_reads_birth_and_sex():
    number = idnumbers.make("410928", datetime.date(1990, 1, 1), 123)
    parsed = idnumbers.parse(number)
    assert parsed.number == number
    assert parsed.birth_date == datetime.date(1990, 1, 1)
    assert parsed.sex == "M"  # 17th digit 3 is odd
    assert parsed.warnings == []


def test_it_accepts_a_lower_case_x_check_character():
    # 11010519491231002X is the GB 11643 example number.
    assert idnumbers.parse("11010519491231002x").number == "11010519491231002X"


def test_it_rejects_a_wrong_check_character():
    number = idnumbers.make("410928", datetime.date(1990, 1, 1), 123)
    wrong = number[:-1] + ("0" if number[-1] != "0" else "1")
    with pytest.raises(idnumbers.IdNumberError, match="check"):
        idnumbers.parse(wrong)


def test_it_rejects_an_impossible_birth_date():
    body = "41092819900231123"  # 31 February
    from stdnum.cn import ric

    with pytest.raises(idnumbers.IdNumberError, match="birth date"):
        idnumbers.parse(body + ric.calc_check_digit(body + "0"))


def test_it_rejects_a_future_birth_date():
    number = idnumbers.make("410928", datetime.date(2099, 1, 1), 1)
    with pytest.raises(idnumbers.IdNumberError, match="birth date"):
        idnumbers.parse(number, today=datetime.date(2026, 1, 1))


def test_it_rejects_an_unknown_province():
    number = idnumbers.make("990928", datetime.date(1990, 1, 1), 1)
    with pytest.raises(idnumbers.IdNumberError, match="province"):
        idnumbers.parse(number)


def test_an_unknown_county_is_only_a_warning():
    number = idnumbers.make("419999", datetime.date(1990, 1, 1), 1)
    parsed = idnumbers.parse(number)
    assert parsed.number == number
    assert len(parsed.warnings) == 1


def test_it_rejects_excel_scientific_notation():
    with pytest.raises(idnumbers.IdNumberError, match="scientific"):
        idnumbers.parse("4.10928E+17")


def test_it_rejects_wrong_lengths():
    with pytest.raises(idnumbers.IdNumberError, match="18 characters"):
        idnumbers.parse("4109281990")


def test_it_upgrades_a_15_digit_legacy_number():
    parsed = idnumbers.parse("410928900101123")
    assert len(parsed.number) == 18
    assert parsed.number.startswith("41092819900101123")
    assert parsed.birth_date == datetime.date(1990, 1, 1)
    # The upgraded number validates on its own.
    assert idnumbers.parse(parsed.number).number == parsed.number
