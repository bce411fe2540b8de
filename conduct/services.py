"""Every write of the conduct app: the lists, the registrations (matched against the negative list), the
activities with their materials. The pages, the API, the admin and the imports all call these."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import refusals
from accounts.choices import Role
from core.notifications import notify
from core.uploads import check_uploads
from parks.models import Park

from .choices import ListKind
from .models import ActivityMaterial, ConductListItem, ContactRegistration, IntegrityActivity

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

    from accounts.models import User


FOR_REGISTRANTS = gettext_lazy("Park officers register their contacts with enterprises here.")


def may_register(user: User) -> bool:
    """Park officers register their own contacts; commission admins may record one on an official's behalf."""
    return user.is_active and (user.is_commission_admin or user.role == Role.PARK_OFFICER)


def may_edit_registration(user: User, registration: ContactRegistration) -> bool:
    """Commission admins correct any registration; an official edits their own until it is a self-report."""
    if user.is_commission_admin:
        return True
    return may_register(user) and registration.official_id == user.pk and not registration.self_reported


def may_keep_activities(user: User) -> bool:
    return user.can_keep_ledgers


def _require_park(actor: User, park_id: int | None) -> None:
    if park_id is None or not Park.objects.visible_to(actor).filter(pk=park_id).exists():
        raise ValidationError({"park": _("Choose one of your parks.")})


# --- the lists ---------------------------------------------------------------------------------------


def list_item_save(*, actor: User, item: ConductListItem) -> ConductListItem:
    if not actor.is_commission_admin:
        raise PermissionDenied(refusals.FOR_COMMISSION_ADMINS)
    item.full_clean()
    item.save()
    return item


# --- registrations -----------------------------------------------------------------------------------


def negative_matches(registration: ContactRegistration) -> list[ConductListItem]:
    """The negative-list items in force in the registration's park that what it records shows."""
    kinds = registration.negative_kinds()
    if not kinds:
        return []
    return list(
        ConductListItem.objects.active()
        .applying_to(registration.park_id)
        .filter(list_kind=ListKind.NEGATIVE, negative_kind__in=kinds)
        .order_by("order", "code", "pk")
    )


def refusal_message(items: list[ConductListItem]) -> str:
    names = "；".join(_("item %(code)s “%(text)s”") % {"code": item.code, "text": item.text} for item in items)
    return _(
        "This contact matches the negative list (%(items)s) and cannot be registered as an ordinary contact. "
        "If it happened, tick “self-report”: it then goes straight to the park's inspectors."
    ) % {"items": names}


@transaction.atomic
def registration_file(*, actor: User, registration: ContactRegistration) -> ContactRegistration:
    """File a registration. One that matches the negative list is refused with the items it matches,
    unless the official reports it themselves (主动报告): then it is recorded as a self-report and the
    park's inspectors are told at once."""
    if not may_register(actor):
        raise PermissionDenied(FOR_REGISTRANTS)
    _require_park(actor, registration.park_id)
    if registration.pk is None and not registration.official_id:
        registration.official = actor
    if registration.pk is not None and not (actor.is_commission_admin or registration.official_id == actor.pk):
        raise PermissionDenied(FOR_REGISTRANTS)
    reported_before = (
        registration.pk is not None
        and ContactRegistration.objects.filter(pk=registration.pk, self_reported=True).exists()
    )
    if reported_before and not actor.is_commission_admin:
        raise ValidationError(_("A self-report stays as it was filed; ask the commission to correct it."))
    registration.full_clean()
    matches = negative_matches(registration)
    if matches and not registration.self_reported:
        raise ValidationError(refusal_message(matches))
    registration.save()
    registration.matched_items.set(matches)
    if registration.self_reported and not reported_before:
        _tell_inspectors(registration, matches)
    return registration


def _tell_inspectors(registration: ContactRegistration, matches: list[ConductListItem]) -> None:
    from accounts.models import User

    body = "；".join(str(item) for item in matches) or registration.purpose[:200]
    title = _("Self-report of a contact with %(enterprise)s by %(official)s") % {
        "enterprise": registration.enterprise.name,
        "official": registration.official.display_name,
    }
    for inspector in User.objects.filter(role=Role.INSPECTOR, is_active=True, parks=registration.park_id):
        notify(inspector, kind="conduct_self_report", title=title, body=body, link=registration.get_absolute_url())


def registration_review(*, actor: User, registration: ContactRegistration) -> ContactRegistration:
    """An inspector has read the self-report: it leaves the list of those awaiting attention."""
    if not actor.is_commission_staff:
        raise PermissionDenied(refusals.FOR_COMMISSION_STAFF)
    if not registration.self_reported:
        raise ValidationError(_("Only self-reports are reviewed."))
    if registration.reviewed_at is None:
        registration.reviewed_at, registration.reviewed_by = timezone.now(), actor
        registration.save(update_fields=["reviewed_at", "reviewed_by"])
    return registration


# --- activities --------------------------------------------------------------------------------------


@transaction.atomic
def activity_save(
    *, actor: User, activity: IntegrityActivity, files: list[UploadedFile] | None = None
) -> IntegrityActivity:
    if not may_keep_activities(actor):
        raise PermissionDenied(refusals.FOR_LEDGER_KEEPERS)
    _require_park(actor, activity.park_id)
    checked = check_uploads(files or [])
    if activity.created_by_id is None:
        activity.created_by = actor
    activity.full_clean()
    activity.save()
    for item in checked:
        ActivityMaterial(activity=activity).store(item, f"activities/{activity.pk}")
    return activity
