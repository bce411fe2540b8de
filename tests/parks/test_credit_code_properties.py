"""The credit-code validator, as properties over arbitrary input: it accepts exactly the codes whose check
character matches (however they are typed) and refuses everything else with a ValidationError — never
any other exception."""

from django.core.exceptions import ValidationError
from hypothesis import example, given, settings
from hypothesis import strategies as st

from parks.credit_code import CHARSET, LENGTH, check_character, normalize_credit_code, validate_credit_code

BODY = st.text(alphabet=CHARSET, min_size=LENGTH - 1, max_size=LENGTH - 1)


def is_accepted(value: str) -> bool:
    try:
        validate_credit_code(value)
    except ValidationError:
        return False
    return True


def is_valid_code(code: str) -> bool:
    """The rule of GB 32100-2015, written out independently of the validator."""
    if len(code) != LENGTH or any(char not in CHARSET for char in code):
        return False
    total = sum(CHARSET.index(char) * pow(3, i, 31) for i, char in enumerate(code[:-1]))
    return CHARSET.index(code[-1]) == (31 - total % 31) % 31


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=40), st.text(alphabet=CHARSET + " \u3000abcxyzIOSVZ-\x00", max_size=24)))
@example("91350100M000100Y43")
@example("\x00" * 18)
@example("ß" * 9)  # upper-cases to 18 characters
def test_any_text_is_accepted_exactly_when_it_is_a_valid_code(value):
    assert is_accepted(value) == is_valid_code(normalize_credit_code(value))


@settings(max_examples=200, deadline=None)
@given(BODY)
def test_a_code_built_with_its_check_character_is_accepted_however_it_is_typed(body):
    code = body + check_character(body)
    assert is_accepted(code)
    assert is_accepted(f"  {code.lower()} ")
    full_width = "".join(chr(ord(char) + 0xFEE0) for char in code)  # ９１… as Chinese input methods type it
    assert is_accepted(full_width)


@settings(max_examples=200, deadline=None)
@given(BODY, st.integers(min_value=0, max_value=LENGTH - 1), st.sampled_from(CHARSET))
def test_changing_any_one_character_is_refused(body, position, replacement):
    code = body + check_character(body)
    if code[position] == replacement:
        replacement = CHARSET[(CHARSET.index(replacement) + 1) % len(CHARSET)]
    typo = code[:position] + replacement + code[position + 1 :]
    assert not is_accepted(typo)
