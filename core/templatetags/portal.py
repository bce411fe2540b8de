from decimal import Decimal, InvalidOperation

from django import template

register = template.Library()


@register.filter
def money(value) -> str:
    """1234567.5 → 1,234,567.50 (yuan amounts, always two places, grouped by thousands)."""
    if value is None or value == "":
        return "—"
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        return str(value)
    return f"{amount + 0:,.2f}"  # + 0 turns a negative zero (-0.004 rounded) into 0.00
