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

#: What the reminders need of a complaint, read as dicts (a second run the same day reads them all again
#: and sends nothing); a complaint is built from them only for the texts of the reminders sent.
FIELDS = ("pk", "park_id", "status", "assigned_to_id", "accept_due", "reply_due", "submitted_at", "category")


def _handlers(complaint: dict, inspectors: dict) -> list[int]:
    if complaint["status"] in (Status.ASSIGNED, Status.HANDLING) and complaint["assigned_to_id"]:
        return [complaint["assigned_to_id"]]
    return inspectors.get(complaint["park_id"], [])


def _label(complaint: Complaint) -> str:
    return f"{complaint.reference} {complaint.get_category_display()}"


def _what(complaint: Complaint) -> str:
    return _("acceptance") if complaint.status == Status.SUBMITTED else _("reply")


# The texts are made only for the reminders a run claims (core.reminders.Due).


def _link(row: dict) -> str:
    return Complaint(**row).get_absolute_url()


def _due_title(row: dict) -> str:
    complaint = Complaint(**row)
    return _("Complaint %(label)s: %(what)s due %(date)s") % {
        "label": _label(complaint),
        "what": _what(complaint),
        "date": complaint.due_date.isoformat(),
    }


def _overdue_title(row: dict) -> str:
    complaint = Complaint(**row)
    return _("Complaint %(label)s: %(what)s overdue since %(date)s") % {
        "label": _label(complaint),
        "what": _what(complaint),
        "date": complaint.due_date.isoformat(),
    }


def _escalated_title(row: dict, days: int) -> str:
    return _("Escalation: complaint %(label)s is %(days)d working days overdue") % {
        "label": _label(Complaint(**row)),
        "days": days,
    }


@register
class ComplaintReminders(ReminderSource):
    code = "complaint"

    def due(self, day):
        tomorrow = add_working_days(day, 1)
        # Only the complaints with a reminder: their running deadline (Complaint.due_date) is tomorrow at
        # the latest.
        running = Q(status=Status.SUBMITTED, accept_due__lte=tomorrow) | Q(
            status__in=AWAITING_REPLY, reply_due__lte=tomorrow
        )
        complaints = list(Complaint.objects.filter(running).values(*FIELDS))
        inspectors = people_by_park({c["park_id"] for c in complaints})
        windows = [(days, *overdue_by(day, days)) for days in settings.REMINDER_ESCALATE_WORKING_DAYS]
        for complaint in complaints:
            status, pk = complaint["status"], complaint["pk"]
            due = complaint["accept_due"] if status == Status.SUBMITTED else complaint["reply_due"]
            if day <= due <= tomorrow:
                kind, title = f"complaint_due_{status}", partial(_due_title, complaint)
                yield Due(Complaint, pk, kind, _handlers(complaint, inspectors), title, "", partial(_link, complaint))
            elif due < day:
                kind, title = f"complaint_overdue_{status}", partial(_overdue_title, complaint)
                yield Due(Complaint, pk, kind, _handlers(complaint, inspectors), title, "", partial(_link, complaint))
                for days, low, high in windows:
                    if low <= due < high and complaint["assigned_to_id"]:
                        yield Due(
                            Complaint,
                            pk,
                            f"complaint_escalated_{days}",
                            inspectors.get(complaint["park_id"], []),
                            partial(_escalated_title, complaint, days),
                            "",
                            partial(_link, complaint),
                        )
