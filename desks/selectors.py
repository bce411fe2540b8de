"""Reads that gather across the apps: what each role's desk lists, and the park page's panels."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils import timezone

from complaints.choices import AWAITING_REPLY
from complaints.models import Complaint
from complaints.selectors import complaint_stats, is_staff_reader
from core.db_router import reporting_db
from inspections.choices import OPEN_TASK_STATUSES
from inspections.models import RectificationTask
from inspections.selectors import days_left, park_rectification_stats
from risks.models import Alert, Subsidy
from risks.selectors import park_risk_panel as risk_panel

if TYPE_CHECKING:
    from accounts.models import User
    from parks.models import Park


def officer_desk(user) -> dict:
    """A park officer's open complaints and tasks by due date, and their parks' alerts."""
    today = timezone.localdate()
    complaints = list(
        Complaint.objects.visible_to(user)
        .filter(status__in=AWAITING_REPLY)
        .select_related("park")
        .order_by("reply_due", "pk")[:50]
    )
    tasks = list(
        RectificationTask.objects.visible_to(user)
        .filter(status__in=OPEN_TASK_STATUSES)
        .select_related("finding", "park")
        .order_by("deadline", "pk")[:50]
    )
    alerts = Alert.objects.visible_to(user).needing_attention().select_related("park").order_by("-first_seen")[:20]
    return {
        "my_complaints": complaints,
        "my_tasks": [(task, days_left(task, today)) for task in tasks],
        "park_alerts": list(alerts),
    }


def enterprise_desk(user) -> dict:
    """An enterprise user's complaints and subsidies (approved against paid)."""
    return {
        "my_complaints": list(Complaint.objects.visible_to(user).select_related("park").order_by("-submitted_at")[:20]),
        "my_subsidies": list(Subsidy.objects.visible_to(user).with_outstanding().order_by("-approved_on")[:50]),
    }


# The park page's figures are reports (the replica when there is one); the officer's and the enterprise's desks
# above are their work lists, read from the primary, so what they have just done shows at once.
@reporting_db()
def park_complaint_stats(*, user: User, park: Park) -> dict | None:
    """The park's complaint figures as this user may see them (None for enterprise users)."""
    if not is_staff_reader(user):
        return None
    return complaint_stats(user=user, park=park)


@reporting_db()
def park_risk_panel(*, user: User, park: Park) -> dict | None:
    """Risk points by level and the alerts needing attention (None for enterprise users)."""
    if not is_staff_reader(user):
        return None
    return risk_panel(user=user, park=park)


@reporting_db()
def park_rectification_panel(*, user: User, park: Park) -> dict | None:
    if not is_staff_reader(user):
        return None
    return park_rectification_stats(user=user, park=park)
