import pytest
from django.core.exceptions import ValidationError

from parks.credit_code import CHARSET, normalize_credit_code, validate_credit_code

# Codes of real, registered organisations (public information on the national credit portal).
REAL_CODES = [
    "91350100M000100Y43",
    "91110000600037341L",
    "914403001922038216",
    "91310000MA1FL4B24G",
    "91440300708461136T",
    "9111000071093123XX",
]


@pytest.mark.parametrize("code", REAL_CODES)
def test_real_codes_are_accepted(code):
    validate_credit_code(code)


@pytest.mark.parametrize(
    "typed", ["  91440300708461136t ", "９１４４０３００７０８４６１１３６Ｔ", "9144 0300 7084 6113 6T"]
)
def test_what_people_type_is_normalised_before_checking(typed):
    assert normalize_credit_code(typed) == "91440300708461136T"
    validate_credit_code(typed)


@pytest.mark.parametrize("code", REAL_CODES)
def test_every_single_character_change_is_rejected(code):
    rejected = 0
    for position in range(18):
        for char in CHARSET:
            if char == code[position]:
                continue
            typo = code[:position] + char + code[position + 1 :]
            with pytest.raises(ValidationError) as error:
                validate_credit_code(typo)
            assert error.value.code == "check"
            rejected += 1
    assert rejected == 18 * (len(CHARSET) - 1)


@pytest.mark.parametrize("code", ["9144030070846113", "91440300708461136TT", ""])
def test_wrong_length_is_rejected_with_the_length_named(code):
    with pytest.raises(ValidationError) as error:
        validate_credit_code(code)
    assert error.value.code == "length"
    message = error.value.messages[0]
    assert "18位" in message
    assert str(len(code)) in message


@pytest.mark.parametrize(
    ("code", "bad"), [("91440300708461136I", "I"), ("9144030070846O136T", "O"), ("91440300-08461136T", "-")]
)
def test_characters_outside_the_charset_are_named(code, bad):
    with pytest.raises(ValidationError) as error:
        validate_credit_code(code)
    assert error.value.code == "charset"
    assert bad in error.value.messages[0]
    assert "不允许" in error.value.messages[0]


def test_the_check_message_asks_to_look_for_a_typo():
    with pytest.raises(ValidationError) as error:
        validate_credit_code("91440300708461136A")
    assert "校验" in error.value.messages[0]
