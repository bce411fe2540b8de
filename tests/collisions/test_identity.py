"""ID numbers, masks and the normalised keys the collision rules join on."""

import pytest

from collisions.identity import address_key, id_hash, id_number_error, mask_name, mask_phone, phone_key

from .helpers import id_number


def test_a_valid_id_number_passes_and_any_one_changed_digit_is_caught():
    number = id_number(5)
    assert id_number_error(number) is None
    assert id_number_error(number.lower()) is None
    for position in range(17):
        digit = str((int(number[position]) + 1) % 10)
        typo = number[:position] + digit + number[position + 1 :]
        assert id_number_error(typo) is not None, position


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("4104021980010112", "身份证号应为 18 位，此号码为 16 位。"),
        ("41040219800101123A", "身份证号由 17 位数字和 1 位数字或 X 组成。"),
        ("410402198002301234", "身份证号中的出生日期（19800230）不存在。"),
    ],
)
def test_bad_id_numbers_are_explained_in_chinese(number, message):
    assert id_number_error(number) == message


def test_the_hash_is_keyed_stable_and_not_the_number(settings):
    number = id_number(5)
    assert id_hash(number) == id_hash(f" {number.lower()} ") and number not in id_hash(number)
    before = id_hash(number)
    settings.TRACKING_CODE_KEY = "another-key-of-at-least-thirty-two-bytes"
    assert id_hash(number) != before


def test_masks():
    assert mask_name("张三丰") == "张**" and mask_name("李") == "李" and mask_name("") == ""
    assert mask_phone("13812345678") == "138****5678" and mask_phone("03752345678") == "037****5678"


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("+86 138-1234-5678", "13812345678", True),
        ("0086 13812345678", "138 1234 5678", True),
        ("0375-2345678", "（0375）2345678", True),
        ("13812345678", "13812345679", False),
    ],
)
def test_phone_keys(a, b, same):
    assert (phone_key(a) == phone_key(b)) is same


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("平顶山市新华区建设路８８号", "平顶山市 新华区 建设路88號", True),
        ("建设路88#", "建设路88号", True),
        ("创业大道1幢3樓", "创业大道1栋3楼", True),
        ("平顶山市新华区建设路88号", "平顶山市新华区建设路86号", False),  # same street, another number
        ("建设路88号", "建设路188号", False),
    ],
)
def test_address_keys(a, b, same):
    assert (address_key(a) == address_key(b)) is same


def test_no_key_from_nothing():
    assert phone_key("") == "" and phone_key("12345") == "" and address_key(" ，。") == ""
