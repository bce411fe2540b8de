"""Writes to parks, enterprises and liaisons. Views, the API, admin actions and imports call these."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.choices import COMMISSION_ROLES

from .models import Enterprise, Liaison, Park

if TYPE_CHECKING:
    from accounts.models import User

ENTERPRISE_FIELDS = (
    "credit_code",
    "name",
    "park",
    "industry",
    "legal_representative",
    "contact_phone",
    "is_key",
    "is_monitoring_point",
    "is_four_winds_point",
    "has_special_supervisor",
)


def _require_ledger_keeper(actor: User) -> None:
    if not actor.can_keep_ledgers:
        raise PermissionDenied(_("You may not change the ledgers."))


def _require_park_in_scope(actor: User, park: Park | None) -> None:
    if park is not None and not Park.objects.visible_to(actor).filter(pk=park.pk).exists():
        raise ValidationError({"park": _("You may only register enterprises in your own parks.")})


def enterprise_create(*, actor: User, **data: Any) -> Enterprise:
    _require_ledger_keeper(actor)
    enterprise = Enterprise(**{field: data[field] for field in ENTERPRISE_FIELDS if field in data})
    _require_park_in_scope(actor, data.get("park"))
    enterprise.full_clean()
    enterprise._change_reason = _("Registered")
    enterprise.save()
    return enterprise


@transaction.atomic
def enterprise_update(*, actor: User, enterprise: Enterprise, **data: Any) -> Enterprise:
    _require_ledger_keeper(actor)
    enterprise = Enterprise.objects.visible_to(actor).select_for_update().get(pk=enterprise.pk)
    for field in ENTERPRISE_FIELDS:
        if field in data:
            setattr(enterprise, field, data[field])
    _require_park_in_scope(actor, enterprise.park)
    enterprise.full_clean()
    enterprise.save()
    return enterprise


@transaction.atomic
def liaison_assign(
    *,
    actor: User,
    enterprise: Enterprise,
    member: User,
    started_on: datetime.date | None = None,
    note: str = "",
) -> Liaison:
    """Make ``member`` the enterprise's liaison, ending the current one the day the new one starts."""
    if not actor.is_commission_staff:
        raise PermissionDenied(_("Only commission staff assign liaisons."))
    if member.role not in COMMISSION_ROLES and not member.is_superuser:
        raise ValidationError({"member": _("Only commission members can be liaisons.")})
    # Lock the enterprise so that two assignments at once cannot both end the same liaison.
    enterprise = Enterprise.objects.visible_to(actor).select_for_update().get(pk=enterprise.pk)
    started_on = started_on or timezone.localdate()
    current = Liaison.objects.filter(enterprise=enterprise).current().first()
    if current is not None:
        if current.member_id == member.pk:
            return current
        if started_on < current.started_on:
            raise ValidationError({"started_on": _("The new liaison cannot start before the current one started.")})
        current.ended_on = started_on
        current.save(update_fields=["ended_on", "updated_at"])
    liaison = Liaison(enterprise=enterprise, member=member, started_on=started_on, note=note)
    liaison.full_clean()
    liaison.save()
    return liaison
