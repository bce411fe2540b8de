"""Reminders about checklist returns (自查自纠) of campaigns under way, through the daily reminder job
(core.reminders): to the park's officers 7, 3 and 1 working days before the due date and on the due
date itself; escalated to the commission administrators on the first working day a return is overdue.
Each goes out once (the job's claims), on working days only (the job runs sources on working days)."""

from __future__ import annotations

import datetime
from functools import partial
from typing import NamedTuple

from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.choices import Role
from accounts.selectors import people_by_park
from core.reminders import Due, ReminderSource, register, unclaimed
from core.workdays import due_within, overdue_by

from .choices import OPEN_RETURN_STATUSES, CampaignStatus
from .models import ParkReturn


class _Return(NamedTuple):
    pk: int
    park_id: int
    due_on: datetime.date
    campaign: str
    park_name: str


def _open(*conditions, **filters) -> list[_Return]:
    rows = ParkReturn.objects.filter(
        *conditions, status__in=OPEN_RETURN_STATUSES, campaign__status=CampaignStatus.LAUNCHED, **filters
    ).values_list("pk", "park_id", "due_on", "campaign__name", "park__name")
    return [_Return(*row) for row in rows]


def _link(row: _Return) -> str:
    return reverse("campaigns:return-detail", kwargs={"pk": row.pk})


def _due_title(row: _Return, days: int) -> str:
    return _("Self-inspection checklist due in %(days)d working days (%(date)s)") % {
        "days": days,
        "date": row.due_on.isoformat(),
    }


def _today_title(row: _Return) -> str:
    return _("Self-inspection checklist due today")


def _escalated_title(row: _Return) -> str:
    return _("Escalation: the self-inspection checklist of %(park)s is overdue (due %(date)s)") % {
        "park": row.park_name,
        "date": row.due_on.isoformat(),
    }


def _officers(kind: str, day: datetime.date):
    return unclaimed(ParkReturn, kind, day, park="park_id", role=Role.PARK_OFFICER)


@register
class ReturnReminders(ReminderSource):
    code = "campaign_return"

    def due(self, day):
        for days in settings.REMINDER_DUE_WORKING_DAYS:
            low, high = due_within(day, days)
            yield from self._to_officers(f"return_due_{days}", day, partial(_due_title, days=days), low, high)
        yield from self._to_officers("return_due_today", day, _today_title, None, day)
        low, high = overdue_by(day, 1)
        admins = list(
            get_user_model().objects.filter(role=Role.COMMISSION_ADMIN, is_active=True).values_list("pk", flat=True)
        )
        for row in _open(due_on__gte=low, due_on__lt=min(high, day)):
            yield Due(ParkReturn, row.pk, "return_escalated", admins, partial(_escalated_title, row), row.campaign,
                      partial(_link, row))  # fmt: skip

    def _to_officers(self, kind, day, title, low, high):
        bounds = {"due_on": high} if low is None else {"due_on__gt": low, "due_on__lte": high}
        rows = _open(_officers(kind, day), **bounds)
        officers = people_by_park({row.park_id for row in rows}, Role.PARK_OFFICER)
        for row in rows:
            yield Due(ParkReturn, row.pk, kind, officers.get(row.park_id, []), partial(title, row), row.campaign,
                      partial(_link, row))  # fmt: skip
