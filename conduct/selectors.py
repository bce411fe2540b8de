"""Reads of the conduct app: the park page's figures and the figures the yearly evaluation takes."""

from __future__ import annotations

import datetime
from collections import Counter
from typing import TYPE_CHECKING

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count

from risks.models import Alert

from .models import ContactRegistration, IntegrityActivity
from .rules import ContactThenBenefit, UndeclaredTie

if TYPE_CHECKING:
    from accounts.models import User
    from parks.models import Park

#: The indicator sources this app feeds (``evaluation_counts``).
REGISTRATIONS_FILED = "conduct_registrations"
NEGATIVE_LIST_HITS = "conduct_negative_hits"
EDUCATION_ACTIVITIES = "conduct_activities"
SOURCES = (REGISTRATIONS_FILED, NEGATIVE_LIST_HITS, EDUCATION_ACTIVITIES)
RULE_CODES = (ContactThenBenefit.code, UndeclaredTie.code)


def _per_park(queryset) -> dict[int, int]:
    return dict(queryset.order_by().values_list("park").annotate(n=Count("pk")))


def evaluation_counts(source_code: str, year: int, today: datetime.date) -> dict[int, tuple[int, int]]:
    """The figure of each park for an indicator of the ``year``'s evaluation, as ``{park_id: (numerator,
    denominator)}``; the denominator is 0 for counts (no rate). Only what happened up to ``today`` counts.
    Parks with nothing are absent (a count of 0).

    - ``conduct_registrations`` (政商亲清, registrations filed): contact registrations whose contact date
      falls in ``year`` (up to ``today``), per park.
    - ``conduct_negative_hits`` (政商亲清, negative-list hits): registrations recorded as self-reports
      (主动报告) with a contact date in ``year``, plus alerts of the two cross-check rules
      (``contact_then_benefit``, ``contact_undeclared_tie``) first raised in ``year`` — dismissed or
      cleared ones included, since each was a hit when raised. A refused attempt is not saved and not
      counted: the official either corrects the entry or reports it, and the report counts.
    - ``conduct_activities`` (队伍清正, education activities): 清廉文化 activities held in ``year`` (up to
      ``today``), per park.
    """
    start, end = datetime.date(year, 1, 1), min(datetime.date(year, 12, 31), today)
    if source_code == REGISTRATIONS_FILED:
        counts = _per_park(ContactRegistration.objects.filter(contact_on__range=(start, end)))
    elif source_code == NEGATIVE_LIST_HITS:
        counts = Counter(_per_park(ContactRegistration.objects.self_reports().filter(contact_on__range=(start, end))))
        alerts = Alert.objects.filter(
            rule__in=RULE_CODES,
            content_type=ContentType.objects.get_for_model(ContactRegistration),
            first_seen__date__range=(start, end),
        )
        counts.update(_per_park(alerts))
    elif source_code == EDUCATION_ACTIVITIES:
        counts = _per_park(IntegrityActivity.objects.filter(held_on__range=(start, end)))
    else:
        raise ValueError(f"unknown source {source_code}")
    return {park_id: (n, 0) for park_id, n in counts.items()}


def park_conduct_panel(*, user: User, park: Park, today: datetime.date) -> dict:
    """The park page's small panel: this year's activities and registrations, and the self-reports that
    still wait for an inspector — as this user may see them."""
    registrations = ContactRegistration.objects.visible_to(user).filter(park=park)
    return {
        "year": today.year,
        "activities": IntegrityActivity.objects.visible_to(user).filter(park=park, held_on__year=today.year).count(),
        "registrations": registrations.filter(contact_on__year=today.year).count(),
        "awaiting_review": registrations.awaiting_review().count(),
    }
