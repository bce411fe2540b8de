"""How imported cells of the risk ledgers are read (used by the column declarations, risks.columns)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.import_cells import CellError, parse_int

from .models.ledgers import validate_period


def parse_period(value) -> str:
    text = str(value).strip().upper().replace("Ｑ", "Q")
    if text.endswith(".0"):  # Excel turned 2026 into 2026.0
        text = text[:-2]
    try:
        validate_period(text)
    except ValidationError as error:
        raise CellError(error.messages[0]) from error
    return text


def parse_level(value) -> int:
    number = parse_int(value)
    if not 1 <= number <= 5:
        raise CellError(_("write a number from 1 to 5"))
    return number
