"""Reads of parks and enterprises, always through the scoping rule."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from .models import Enterprise, Liaison, Park

if TYPE_CHECKING:
    from accounts.models import User


def _enterprise_count() -> Subquery:
    # A subquery, not Count("enterprises"): the park's scope filter may itself join enterprises.
    counts = (
        Enterprise.objects.filter(park=OuterRef("pk")).order_by().values("park").annotate(n=Count("pk")).values("n")
    )
    return Coalesce(Subquery(counts, output_field=IntegerField()), Value(0))


def park_list(*, user: User) -> QuerySet[Park]:
    return Park.objects.visible_to(user).annotate(enterprise_count=_enterprise_count())


def enterprise_list(*, user: User) -> QuerySet[Enterprise]:
    return Enterprise.objects.visible_to(user).select_related("park")


def current_liaison(*, enterprise: Enterprise) -> Liaison | None:
    return Liaison.objects.current().filter(enterprise=enterprise).select_related("member").first()


def park_complaint_stats(*, user: User, park: Park) -> dict | None:
    """The park's complaint figures as this user may see them (None for enterprise users)."""
    from complaints.models import Complaint
    from complaints.selectors import complaint_stats, is_staff_reader

    if not is_staff_reader(user):
        return None
    return complaint_stats(Complaint.objects.visible_to(user).filter(park=park))


def park_risk_panel(*, user: User, park: Park) -> dict | None:
    """Risk points by level and the alerts needing attention (None for enterprise users)."""
    from complaints.selectors import is_staff_reader
    from risks.selectors import park_risk_panel as panel

    if not is_staff_reader(user):
        return None
    return panel(user=user, park=park)


def park_rectification_panel(*, user: User, park: Park) -> dict | None:
    from complaints.selectors import is_staff_reader
    from inspections.selectors import park_rectification_stats

    if not is_staff_reader(user):
        return None
    return park_rectification_stats(user=user, park=park)
