"""The cells of an imported row: one parser per kind of value (text, 是/否, dates, amounts, whole numbers,
choices), each raising ``CellError`` with a message for the user; and ``Column``, which names a column of a
template and the parser of its cells."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _


class CellError(ValueError):
    """A cell that cannot be read; the message says why, in Chinese."""


# --- cell parsers ----------------------------------------------------------------------------------------

TRUE, FALSE = {"是", "y", "yes", "true", "1", "√", "有"}, {"否", "n", "no", "false", "0", "×", "无"}


def parse_text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def parse_park_code(value: Any) -> str:
    """Park codes are upper case; "pds-gxq" typed by hand is the same park (and the same key) as "PDS-GXQ"."""
    return parse_text(value).upper()


def parse_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = parse_text(value).lower()
    if text in TRUE:
        return True
    if text in FALSE:
        return False
    raise CellError(_("write 是 or 否"))


DATE_PATTERNS = [
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"),
    re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"),
    re.compile(r"^(\d{4})\.(\d{1,2})\.(\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
]


def parse_date(value: Any) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = parse_text(value)
    text = text.split(" ")[0] if re.match(r"^\d{4}-\d{1,2}-\d{1,2} 00:00(:00)?$", text) else text
    for pattern in DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            try:
                return datetime.date(*(int(part) for part in match.groups()))
            except ValueError as error:
                raise CellError(_("“%(value)s” is not a date that exists") % {"value": text}) from error
    raise CellError(_("“%(value)s” is not a date; write 2026-03-01 or 2026/3/1") % {"value": text})


MAX_AMOUNT = Decimal(10) ** 14  # the ledgers keep 16 digits, 2 after the point


def parse_amount(value: Any) -> Decimal:
    if isinstance(value, bool):
        raise CellError(_("write an amount"))
    if isinstance(value, int | float | Decimal):
        amount = Decimal(str(value))
    else:
        text = (
            parse_text(value)
            .replace(",", "")
            .replace("，", "")
            .replace("¥", "")
            .replace("￥", "")
            .replace("元", "")
            .strip()
        )
        try:
            amount = Decimal(text)
        except InvalidOperation as error:
            raise CellError(
                _("“%(value)s” is not an amount; write 1234.50 or 1,234.50") % {"value": parse_text(value)}
            ) from error
    if not amount.is_finite():
        raise CellError(_("write an amount"))
    if amount < 0:
        raise CellError(_("an amount cannot be negative"))
    if amount >= MAX_AMOUNT:
        raise CellError(_("the amount is too large; amounts are in yuan"))
    return amount.quantize(Decimal("0.01"))


def parse_int(value: Any) -> int:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    text = parse_text(value)
    if not re.fullmatch(r"\d+", text):
        raise CellError(_("“%(value)s” is not a whole number") % {"value": text})
    return int(text)


def choice_parser(choices) -> Callable[[Any], str]:
    """Chinese label (or the stored code) → stored value."""
    by_label = {str(label): value for value, label in choices.choices}
    values = set(choices.values)

    def parse(value: Any) -> str:
        text = parse_text(value)
        if text in by_label:
            return by_label[text]
        if text in values:
            return text
        raise CellError(_("“%(value)s” is not one of: %(choices)s") % {"value": text, "choices": "、".join(by_label)})

    return parse


@dataclass
class Column:
    header: str
    key: str
    parse: Callable[[Any], Any] = parse_text
    required: bool = True  # the column must be present
    blank: bool = False  # a cell may be empty
    example: Any = ""
