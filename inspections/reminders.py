"""Reminders about rectification tasks: due in 7, 3 and 1 working days (to the owner), overdue (daily
to the owner) and escalated to the park's inspectors on the 1st, 3rd and 7th working day overdue."""

import datetime
from functools import partial
from typing import NamedTuple

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.choices import Role
from accounts.selectors import people_by_park
from core.reminders import Due, ReminderSource, register, unclaimed
from core.workdays import due_within, overdue_by, working_days_between

from .choices import OPEN_TASK_STATUSES
from .models import RectificationTask


class _Task(NamedTuple):
    """What the reminders say about a task: read as tuples, since a second run the same day reads them
    all again and sends nothing."""

    pk: int
    owner_id: int
    deadline: datetime.date
    park_id: int
    description: str
    park_name: str


def _open(*conditions, **filters) -> list[_Task]:
    rows = RectificationTask.objects.filter(*conditions, status__in=OPEN_TASK_STATUSES, **filters).values_list(
        "pk", "owner_id", "deadline", "park_id", "finding__description", "park__name"
    )
    return [_Task(*row) for row in rows]


# The titles and links are made only for the reminders a run claims (core.reminders.Due).


def _link(task: _Task) -> str:
    return reverse("inspections:task-detail", kwargs={"pk": task.pk})  # RectificationTask.get_absolute_url


def _due_title(task: _Task, days: int) -> str:
    return _("Rectification due in %(days)d working days (%(date)s)") % {
        "days": days,
        "date": task.deadline.isoformat(),
    }


def _overdue_title(task: _Task, day: datetime.date) -> str:
    return _("Rectification overdue by %(days)d working days") % {"days": working_days_between(task.deadline, day)}


def _escalated_title(task: _Task, days: int) -> str:
    return _("Escalation: a rectification in %(park)s is %(days)d working days overdue") % {
        "park": task.park_name,
        "days": days,
    }


@register
class TaskReminders(ReminderSource):
    code = "task"

    def due(self, day):
        # Each query leaves out the tasks whose reminder today is claimed already: a second run reads nothing.
        for days in settings.REMINDER_DUE_WORKING_DAYS:
            low, high = due_within(day, days)
            kind = f"task_due_{days}"
            for task in _open(_unclaimed(kind, day), deadline__gt=low, deadline__lte=high):
                yield Due(
                    RectificationTask,
                    task.pk,
                    kind,
                    [task.owner_id],
                    partial(_due_title, task, days),
                    task.description,
                    partial(_link, task),
                )
        for task in _open(_unclaimed("task_overdue", day), deadline__lt=day):
            yield Due(
                RectificationTask,
                task.pk,
                "task_overdue",
                [task.owner_id],
                partial(_overdue_title, task, day),
                task.description,
                partial(_link, task),
            )
        for days in settings.REMINDER_ESCALATE_WORKING_DAYS:
            low, high = overdue_by(day, days)
            kind = f"task_escalated_{days}"
            escalated = _open(
                unclaimed(RectificationTask, kind, day, park="park_id", role=Role.INSPECTOR),
                deadline__gte=low,
                deadline__lt=min(high, day),
            )
            inspectors = people_by_park({task.park_id for task in escalated})
            for task in escalated:
                yield Due(
                    RectificationTask,
                    task.pk,
                    kind,
                    inspectors.get(task.park_id, []),
                    partial(_escalated_title, task, days),
                    task.description,
                    partial(_link, task),
                )


def _unclaimed(kind: str, day: datetime.date):
    return unclaimed(RectificationTask, kind, day, recipient="owner_id")
