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
