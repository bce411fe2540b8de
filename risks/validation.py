"""Write-validation rules of the risk ledgers, one named function per rule. They read no database: the
caller passes what they need. The services (behind the pages, the API and the admin) and the importers
call the same functions, so every channel refuses the same bad row with the same message.

(The alert rules, which look at what was saved, are ``risks/rules/``.)"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from .models import Subsidy


def payment_errors(
    *,
    subsidy: Subsidy,
    paid_on: datetime.date | None,
    amount: Decimal | None,
    paid_by_others: Decimal,
    allow_overpayment: bool = False,
    offers_confirmation: bool = True,
) -> dict[str, list[str]]:
    """What is wrong with a payment of ``amount`` on ``paid_on`` under ``subsidy``, by field.

    ``paid_by_others`` is what the subsidy's other payments add up to (for an update, without the
    payment's own old amount). More than what is outstanding is refused unless ``allow_overpayment``;
    ``offers_confirmation`` says whether the channel has the tick that allows it (an import does not)."""
    errors: dict[str, list[str]] = {}
    outstanding = subsidy.approved_amount - paid_by_others
    if amount is not None and amount > outstanding and not allow_overpayment:
        errors["amount"] = [
            _("%(amount)s is more than the %(outstanding)s still outstanding")
            % {"amount": f"{amount:,.2f}", "outstanding": f"{outstanding:,.2f}"}
        ]
        if offers_confirmation:
            errors["amount"].append(_("Tick “record the over-payment” if it really was paid; an alert will be raised."))
    if paid_on is not None and paid_on < subsidy.approved_on:
        errors["paid_on"] = [
            _("A payment cannot be made before the subsidy was approved (%(date)s).")
            % {"date": subsidy.approved_on.isoformat()}
        ]
    return errors


def payment_check(
    *,
    subsidy: Subsidy,
    paid_on: datetime.date | None,
    amount: Decimal | None,
    paid_by_others: Decimal,
    allow_overpayment: bool = False,
    offers_confirmation: bool = True,
) -> bool:
    """``payment_errors`` raised as a ValidationError. Returns whether the payment is a confirmed
    over-payment (more than what is outstanding, recorded on purpose)."""
    errors = payment_errors(
        subsidy=subsidy,
        paid_on=paid_on,
        amount=amount,
        paid_by_others=paid_by_others,
        allow_overpayment=allow_overpayment,
        offers_confirmation=offers_confirmation,
    )
    if errors:
        raise ValidationError(errors)
    return bool(allow_overpayment and amount is not None and amount > subsidy.approved_amount - paid_by_others)
