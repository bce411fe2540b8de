"""Writes to the risk ledgers and decisions on alerts. Pages, the API and the admin call these; each
checks who may write, validates in full and saves atomically. The payment rules are named functions in
``risks.validation``, called here and by the payment import alike."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from parks.models import Park

from . import validation
from .choices import AlertStatus
from .models import Alert, Bid, ChangeOrder, Contract, OfficialTie, Subsidy, SubsidyPayment

if TYPE_CHECKING:
    from accounts.models import User


def _require_editor(actor: User) -> None:
    if not actor.can_edit_risk_ledgers:
        raise PermissionDenied(_("Only the park's officers and commission administrators keep these ledgers."))


def _require_park(actor: User, park_id: int | None) -> None:
    if park_id is None or not Park.objects.visible_to(actor).filter(pk=park_id).exists():
        raise ValidationError({"park": _("You can only keep the ledgers of your own parks.")})


def _save(instance: Model) -> Model:
    instance.full_clean()
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError as error:  # a race past full_clean's uniqueness check
        raise ValidationError(
            _("This record clashes with one saved at the same moment; reload and try again.")
        ) from error
    return instance


def ledger_save(*, actor: User, instance: Model, park_id: int | None = None) -> Model:
    """Create or update a ledger row of a park (risk point, decision, subsidy, project, official)."""
    _require_editor(actor)
    _require_park(actor, park_id if park_id is not None else instance.park_id)
    if instance.pk is not None:
        # The row must be one the actor could see before the change, too.
        original = (
            type(instance).objects.visible_to(actor).filter(pk=instance.pk).values_list("park_id", flat=True).first()
        )
        if original is None:
            raise type(instance).DoesNotExist
    return _save(instance)


def _locked_subsidy(actor: User, subsidy_id: int) -> Subsidy:
    """The subsidy, locked (every payment write takes this lock), with what its payments add up to."""
    return Subsidy.objects.visible_to(actor).select_for_update(of=("self",)).with_outstanding().get(pk=subsidy_id)


@transaction.atomic
def payment_check(
    *,
    actor: User,
    subsidy_id: int,
    paid_on: datetime.date | None,
    amount: Decimal | None,
    allow_overpayment: bool = False,
    payment_id: int | None = None,
) -> tuple[Subsidy, bool]:
    """The payment rules (``risks.validation.payment_check``) against the saved payments, under the
    subsidy's lock. ``payment_id``: the payment being changed, whose old amount does not count.
    Returns the locked subsidy and whether the payment is a confirmed over-payment."""
    _require_editor(actor)
    subsidy = _locked_subsidy(actor, subsidy_id)
    paid_by_others = subsidy.paid_total
    if payment_id is not None:
        paid_by_others -= subsidy.payments.filter(pk=payment_id).values_list("amount", flat=True).get()
    confirmed = validation.payment_check(
        subsidy=subsidy,
        paid_on=paid_on,
        amount=amount,
        paid_by_others=paid_by_others,
        allow_overpayment=allow_overpayment,
    )
    return subsidy, confirmed


@transaction.atomic
def payment_record(
    *,
    actor: User,
    subsidy: Subsidy,
    paid_on: datetime.date,
    amount: Decimal,
    voucher_no: str,
    allow_overpayment: bool = False,
) -> SubsidyPayment:
    """Record a disbursement. More than what is outstanding is refused unless ``allow_overpayment`` —
    then it is recorded as confirmed and the over-payment rule raises its alert."""
    subsidy, confirmed = payment_check(
        actor=actor, subsidy_id=subsidy.pk, paid_on=paid_on, amount=amount, allow_overpayment=allow_overpayment
    )
    payment = SubsidyPayment(
        subsidy=subsidy,
        park_id=subsidy.park_id,
        paid_on=paid_on,
        amount=amount,
        voucher_no=(voucher_no or "").strip(),
        overpayment_confirmed=confirmed,
    )
    return _save(payment)


@transaction.atomic
def payment_update(
    *,
    actor: User,
    payment: SubsidyPayment,
    paid_on: datetime.date,
    amount: Decimal,
    voucher_no: str,
    allow_overpayment: bool = False,
) -> SubsidyPayment:
    """Correct a recorded payment, under the same rules as recording it (its own old amount aside)."""
    subsidy_id = SubsidyPayment.objects.visible_to(actor).values_list("subsidy_id", flat=True).get(pk=payment.pk)
    subsidy, confirmed = payment_check(
        actor=actor,
        subsidy_id=subsidy_id,
        paid_on=paid_on,
        amount=amount,
        allow_overpayment=allow_overpayment,
        payment_id=payment.pk,
    )
    payment = subsidy.payments.get(pk=payment.pk)
    payment.paid_on, payment.amount, payment.voucher_no = paid_on, amount, (voucher_no or "").strip()
    payment.park_id, payment.overpayment_confirmed = subsidy.park_id, confirmed
    return _save(payment)


def contract_save(*, actor: User, contract: Contract) -> tuple[Contract, bool]:
    """Create or update a contract. A contractor from the conflict-of-interest register is allowed;
    the second value says so, and the conflict rule raises its alert."""
    _require_editor(actor)
    _require_park(actor, contract.project.park_id)
    _save(contract)
    conflicted = OfficialTie.objects.filter(
        enterprise=contract.contractor_id, official__park=contract.project.park_id, official__is_active=True
    ).exists()
    return contract, conflicted


def bid_save(*, actor: User, bid: Bid) -> Bid:
    """Record or correct a bid on a project of the actor's parks (its project's park decides)."""
    _require_editor(actor)
    _require_park(actor, bid.project.park_id)
    if bid.pk is not None and not Bid.objects.visible_to(actor).filter(pk=bid.pk).exists():
        raise Bid.DoesNotExist
    return _save(bid)


def change_order_add(
    *, actor: User, contract: Contract, amount: Decimal, changed_on: datetime.date, reason: str
) -> ChangeOrder:
    _require_editor(actor)
    contract = Contract.objects.visible_to(actor).get(pk=contract.pk)
    return _save(ChangeOrder(contract=contract, amount=amount, changed_on=changed_on, reason=(reason or "").strip()))


def tie_add(*, actor: User, tie: OfficialTie) -> OfficialTie:
    _require_editor(actor)
    _require_park(actor, tie.official.park_id)
    return _save(tie)


# --- Alerts ---------------------------------------------------------------------------------------------


@transaction.atomic
def alert_dismiss(*, alert: Alert, actor: User, reason: str) -> Alert:
    """An inspector judges the alert unfounded. The reason is kept in the alert's history."""
    if not actor.is_commission_staff:
        raise PermissionDenied(_("Only inspectors decide on alerts."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the alert is dismissed.")})
    alert = Alert.objects.visible_to(actor).select_for_update().get(pk=alert.pk)
    if alert.status != AlertStatus.OPEN:
        raise ValidationError(_("This alert has already been decided on."))
    alert.status, alert.reason = AlertStatus.DISMISSED, reason
    alert.decided_by, alert.decided_at = actor, timezone.now()
    alert._change_reason = reason
    alert.save()
    return alert


@transaction.atomic
def alert_reopen(*, alert: Alert, actor: User) -> Alert:
    """Undo a dismissal (the alert needs attention again)."""
    if not actor.is_commission_staff:
        raise PermissionDenied(_("Only inspectors decide on alerts."))
    alert = Alert.objects.visible_to(actor).select_for_update().get(pk=alert.pk)
    if alert.status != AlertStatus.DISMISSED or alert.cleared_at is not None:
        raise ValidationError(_("Only a dismissed alert whose condition still holds can be reopened."))
    alert.status, alert.decided_by, alert.decided_at = AlertStatus.OPEN, actor, timezone.now()
    alert.save()
    return alert
