"""Reminders about complaints close to or past their time limit. They name the complaint by its
reference and category only — never who complained."""

from functools import partial

from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext as _

from accounts.selectors import people_by_park
from core.reminders import Due, ReminderSource, register
from core.workdays import add_working_days, overdue_by

from .choices import AWAITING_REPLY, Status
from .models import Complaint


def _handlers(complaint: Complaint, inspectors: dict) -> list[int]:
    if complaint.status in (Status.ASSIGNED, Status.HANDLING) and complaint.assigned_to_id:
        return [complaint.assigned_to_id]
    return inspectors.get(complaint.park_id, [])


def _label(complaint: Complaint) -> str:
    return f"{complaint.reference} {complaint.get_category_display()}"


def _what(complaint: Complaint) -> str:
    return _("acceptance") if complaint.status == Status.SUBMITTED else _("reply")


# The texts are made only for the reminders a run claims (core.reminders.Due).


def _due_title(complaint: Complaint) -> str:
    return _("Complaint %(label)s: %(what)s due %(date)s") % {
        "label": _label(complaint),
        "what": _what(complaint),
        "date": complaint.due_date.isoformat(),
    }


def _overdue_title(complaint: Complaint) -> str:
    return _("Complaint %(label)s: %(what)s overdue since %(date)s") % {
        "label": _label(complaint),
        "what": _what(complaint),
        "date": complaint.due_date.isoformat(),
    }


def _escalated_title(complaint: Complaint, days: int) -> str:
    return _("Escalation: complaint %(label)s is %(days)d working days overdue") % {
        "label": _label(complaint),
        "days": days,
    }


@register
class ComplaintReminders(ReminderSource):
    code = "complaint"

    def due(self, day):
        tomorrow = add_working_days(day, 1)
        # Only the complaints with a reminder: their running deadline is tomorrow at the latest.
        running = Q(status=Status.SUBMITTED, accept_due__lte=tomorrow) | Q(
            status__in=AWAITING_REPLY, reply_due__lte=tomorrow
        )
        complaints = list(Complaint.objects.filter(running))
        inspectors = people_by_park({c.park_id for c in complaints})
        windows = [(days, *overdue_by(day, days)) for days in settings.REMINDER_ESCALATE_WORKING_DAYS]
        for complaint in complaints:
            due = complaint.due_date
            if due is None:
                continue
            link = complaint.get_absolute_url
            if day <= due <= tomorrow:
                yield Due(
                    Complaint,
                    complaint.pk,
                    f"complaint_due_{complaint.status}",
                    _handlers(complaint, inspectors),
                    partial(_due_title, complaint),
                    "",
                    link,
                )
            elif due < day:
                yield Due(
                    Complaint,
                    complaint.pk,
                    f"complaint_overdue_{complaint.status}",
                    _handlers(complaint, inspectors),
                    partial(_overdue_title, complaint),
                    "",
                    link,
                )
                for days, low, high in windows:
                    if low <= due < high and complaint.assigned_to_id:
                        yield Due(
                            Complaint,
                            complaint.pk,
                            f"complaint_escalated_{days}",
                            inspectors.get(complaint.park_id, []),
                            partial(_escalated_title, complaint, days),
                            "",
                            link,
                        )
