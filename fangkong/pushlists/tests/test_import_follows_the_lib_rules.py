"""One set of rules (issue 11), proven on the importer itself: every ID number and phone of the edge-case and
generated values of `lib/tests/test_one_rule_set.py`, imported from a real file, gets the verdict of the
per-row lib rules (`idnumbers.normalise` / `phones.normalise`, python-stdnum and phonenumbers behind them):
the same normalised value, or the field flagged with the same message, or flagged as a placeholder."""

from __future__ import annotations

import datetime

from fangkong.lib import idnumbers, phones
from fangkong.lib.tests.test_one_rule_set import EDGE_PHONES, EXTERNAL_ID_VECTORS, _id_values, _phone_values
from fangkong.pushlists.importer import is_placeholder
from fangkong.pushlists.models import FieldFlag, PushItem
from fangkong.pushlists.tests.conftest import NOW, write_csv

TODAY = NOW.date()


def _lib_id(raw: str) -> tuple[str, str]:
    """(normalised number, "") or ("", the lib's message)."""
    try:
        return idnumbers.normalise(raw, today=TODAY), ""
    except idnumbers.IdNumberError as exc:
        return "", exc.message


def _lib_phone(raw: str) -> tuple[str, str]:
    try:
        return phones.normalise(raw), ""
    except phones.PhoneError as exc:
        return "", exc.message


def _expected_flag(raw: str, value: str) -> str:
    if not raw.strip() or value:
        return ""
    return FieldFlag.PLACEHOLDER if is_placeholder(raw) else FieldFlag.INVALID


def test_each_id_number_gets_the_lib_rules_verdict(district, import_file, tmp_path):
    values = [raw for raw, _expected in EXTERNAL_ID_VECTORS] + _id_values()[::7] + ["暂无", "无", "-"]
    rows, expected, seen = [], {}, set()
    for n, raw in enumerate(values):
        number, message = _lib_id(raw.strip())
        if number in seen:
            continue  # the same person twice is a duplicate row, not a verdict on the number
        if number:
            seen.add(number)
        name = f"测试{n}"
        rows.append([name, raw, f"139{n:08d}", "南京", "", "王助镇", ""])
        expected[name] = (raw, number, message)

    batch = import_file(write_csv(tmp_path / "ids.csv", rows))

    assert batch.rows_error == 0 and batch.rows_imported == len(rows) > 1000
    items = {i.name: i for i in PushItem.objects.filter(batch=batch)}
    for name, (raw, number, message) in expected.items():
        pushed = items[name]
        assert pushed.document_number == number, raw
        assert pushed.id_flag == _expected_flag(raw, number), raw
        if pushed.id_flag == FieldFlag.INVALID:
            assert message in pushed.flag_note, raw


def test_each_phone_gets_the_lib_rules_verdict(district, import_file, tmp_path):
    values = [raw for raw, _expected in EDGE_PHONES] + _phone_values()[::5] + ["暂无", "无", "空", " 暂无 "]
    rows, expected = [], {}
    for n, raw in enumerate(values):
        name = f"测试{n}"
        birth = datetime.date(1960, 1, 1) + datetime.timedelta(days=n // 1000)
        rows.append([name, idnumbers.make("410928", birth, n), raw, "南京", "", "王助镇", ""])
        expected[name] = (raw, *_lib_phone(raw.strip()))

    batch = import_file(write_csv(tmp_path / "phones.csv", rows))

    assert batch.rows_error == 0 and batch.rows_imported == len(rows) > 1000
    items = {i.name: i for i in PushItem.objects.filter(batch=batch)}
    for name, (raw, e164, message) in expected.items():
        pushed = items[name]
        assert pushed.phone_e164 == e164, raw
        assert pushed.phone_flag == _expected_flag(raw, e164), raw
        if pushed.phone_flag == FieldFlag.INVALID:
            assert message in pushed.flag_note, raw
