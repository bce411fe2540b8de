"""Reminders about complaints close to or past their time limit. They name the complaint by its
reference and category only — never who complained."""

from functools import cached_property, partial

from django.conf import settings
from django.db.models import Case, CharField, F, Q, Value, When
from django.db.models.functions import Concat
from django.utils.translation import gettext as _

from accounts.choices import Role
from accounts.selectors import people_by_park
from core.reminders import Due, ReminderSource, register, unclaimed
from core.workdays import add_working_days, overdue_by

from .choices import AWAITING_REPLY, Category, Status
from .models import Complaint

#: What the reminders need of a complaint, read as dicts (a second run the same day reads them all again
#: and sends nothing); a complaint is built from them only for the texts of the reminders sent.
FIELDS = ("pk", "park_id", "status", "assigned_to_id", "accept_due", "reply_due", "submitted_at", "category")


def _handlers(complaint: dict, inspectors: dict) -> list[int]:
    if complaint["status"] in (Status.ASSIGNED, Status.HANDLING) and complaint["assigned_to_id"]:
        return [complaint["assigned_to_id"]]
    return inspectors.get(complaint["park_id"], [])


class _Complaint:
    """A complaint's row, and the complaint built from it once, when a text about it is needed."""

    def __init__(self, row: dict):
        self.row = row

    @cached_property
    def complaint(self) -> Complaint:
        return Complaint(**self.row)


def _label(complaint: Complaint) -> str:
    # Category(…).label is get_category_display() without rebuilding the choices for every complaint.
    category = Category(complaint.category).label if complaint.category in Category.values else complaint.category
    return f"{complaint.reference} {category}"


def _what(complaint: Complaint) -> str:
    return _("acceptance") if complaint.status == Status.SUBMITTED else _("reply")


# The texts are made only for the reminders a run claims (core.reminders.Due).


def _link(row: _Complaint) -> str:
    return row.complaint.get_absolute_url()


def _due_title(row: _Complaint) -> str:
    complaint = row.complaint
    return _("Complaint %(label)s: %(what)s due %(date)s") % {
        "label": _label(complaint),
        "what": _what(complaint),
        "date": complaint.due_date.isoformat(),
    }


def _overdue_title(row: _Complaint) -> str:
    complaint = row.complaint
    return _("Complaint %(label)s: %(what)s overdue since %(date)s") % {
        "label": _label(complaint),
        "what": _what(complaint),
        "date": complaint.due_date.isoformat(),
    }


def _escalated_title(row: _Complaint, days: int) -> str:
    return _("Escalation: complaint %(label)s is %(days)d working days overdue") % {
        "label": _label(row.complaint),
        "days": days,
    }


def _unclaimed(complaints, day):
    """Of ``complaints`` (each with a reminder due on ``day``), those whose reminders are not claimed yet
    for everyone they go to — the same kinds and people as ``ComplaintReminders.due`` chooses in Python:
    a second run the same day reads none."""
    windows = [(days, *overdue_by(day, days)) for days in settings.REMINDER_ESCALATE_WORKING_DAYS]
    complaints = complaints.annotate(
        running_due=Case(When(status=Status.SUBMITTED, then=F("accept_due")), default=F("reply_due"))
    ).annotate(
        reminder_kind=Concat(
            Value("complaint_"),
            Case(When(Q(running_due__lt=day), then=Value("overdue_")), default=Value("due_")),
            F("status"),
            output_field=CharField(),
        ),
        escalation_kind=Case(
            *(
                When(Q(running_due__gte=low, running_due__lt=high), then=Value(f"complaint_escalated_{days}"))
                for days, low, high in windows
            ),
            default=None,
            output_field=CharField(),
        ),
    )
    by_handler = Q(status__in=(Status.ASSIGNED, Status.HANDLING), assigned_to__isnull=False)
    inspectors = {"park": "park_id", "role": Role.INSPECTOR}
    # A union of one semi- or anti-join each, not an OR of subqueries run for every complaint.
    to_handler, to_inspectors, escalated = (
        complaints.filter(condition).values(*FIELDS).order_by()
        for condition in (
            by_handler & unclaimed(Complaint, F("reminder_kind"), day, recipient="assigned_to_id"),
            ~by_handler & unclaimed(Complaint, F("reminder_kind"), day, **inspectors),
            Q(assigned_to__isnull=False, escalation_kind__isnull=False)
            & unclaimed(Complaint, F("escalation_kind"), day, **inspectors),
        )
    )
    return to_handler.union(to_inspectors, escalated).order_by("-submitted_at", "-pk")


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
        complaints = list(_unclaimed(Complaint.objects.filter(running), day))
        inspectors = people_by_park({c["park_id"] for c in complaints})
        windows = [(days, *overdue_by(day, days)) for days in settings.REMINDER_ESCALATE_WORKING_DAYS]
        for complaint in complaints:
            status, pk, lazy = complaint["status"], complaint["pk"], _Complaint(complaint)
            due = complaint["accept_due"] if status == Status.SUBMITTED else complaint["reply_due"]
            handlers, link = _handlers(complaint, inspectors), partial(_link, lazy)
            if day <= due <= tomorrow:
                yield Due(Complaint, pk, f"complaint_due_{status}", handlers, partial(_due_title, lazy), "", link)
            elif due < day:
                yield Due(
                    Complaint, pk, f"complaint_overdue_{status}", handlers, partial(_overdue_title, lazy), "", link
                )
                for days, low, high in windows:
                    if low <= due < high and complaint["assigned_to_id"]:
                        yield Due(
                            Complaint,
                            pk,
                            f"complaint_escalated_{days}",
                            inspectors.get(complaint["park_id"], []),
                            partial(_escalated_title, lazy, days),
                            "",
                            link,
                        )
