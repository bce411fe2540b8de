"""The unified social credit code (统一社会信用代码) of GB 32100-2015.

18 characters from a 31-character set (digits and capital letters without I, O, S, V, Z); the last one
is a check character computed from the first 17 with weights 3^i mod 31. Because every weight is
non-zero modulo the prime 31, changing any single character changes the check — so every one-character
typo is caught.
"""

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.import_cells import CellError

CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
LENGTH = 18
WEIGHTS = tuple(pow(3, i, len(CHARSET)) for i in range(LENGTH - 1))
_VALUE = {char: value for value, char in enumerate(CHARSET)}


def normalize_credit_code(value: str) -> str:
    """What people type: full-width characters, lower case, spaces around or inside."""
    value = unicodedata.normalize("NFKC", value or "")
    return "".join(value.split()).upper()


def check_character(body: str) -> str:
    """The check character for the first 17 characters of a code."""
    total = sum(_VALUE[char] * weight for char, weight in zip(body, WEIGHTS, strict=True))
    return CHARSET[(len(CHARSET) - total % len(CHARSET)) % len(CHARSET)]


def validate_credit_code(value: str) -> None:
    code = normalize_credit_code(value)
    if len(code) != LENGTH:
        raise ValidationError(
            _("A unified social credit code has 18 characters; this one has %(length)d."),
            code="length",
            params={"length": len(code)},
        )
    bad = sorted({char for char in code if char not in _VALUE})
    if bad:
        raise ValidationError(
            _(
                "The unified social credit code contains characters that are not allowed: %(chars)s. "
                "It uses digits and capital letters except I, O, S, V and Z."
            ),
            code="charset",
            params={"chars": "、".join(bad)},
        )
    if check_character(code[:-1]) != code[-1]:
        raise ValidationError(
            _(
                "The check character of this unified social credit code does not match; "
                "please look for a mistyped character."
            ),
            code="check",
        )


def parse_credit_code(value) -> str:
    """An imported cell as a credit code (normalised, checked); CellError with the reason otherwise."""
    code = normalize_credit_code(str(value))
    try:
        validate_credit_code(code)
    except ValidationError as error:
        raise CellError(error.messages[0]) from error
    return code
