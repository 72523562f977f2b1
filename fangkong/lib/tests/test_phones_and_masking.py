import pytest

from fangkong.lib import phones
from fangkong.lib.masking import mask_document, mask_phone
from fangkong.lib.names import full_pinyin, initials


def test_it_normalises_a_mobile_number_to_e164():
    assert phones.normalise("139 0000 0000") == "+8613900000000"
    assert phones.normalise("+86 139-0000-0000") == "+8613900000000"


@pytest.mark.parametrize("raw", ["12345", "abc", "1390000000"])
def test_it_rejects_bad_numbers(raw):
    with pytest.raises(phones.PhoneError):
        phones.normalise(raw)


def test_it_masks_document_numbers_and_phones():
    assert mask_document("41092819900101123X") == "410928********123X"
    assert mask_phone("+8613900000000") == "139****0000"
    assert mask_document("") == ""
    assert mask_document("E1234567") == "******67"


def test_it_computes_pinyin_keys():
    assert initials("张三") == "zs"
    assert full_pinyin("张三") == "zhangsan"
