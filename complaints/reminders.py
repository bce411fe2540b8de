"""Reminders about complaints close to or past their time limit. They name the complaint by its
reference and category only — never who complained."""

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


@register
class ComplaintReminders(ReminderSource):
    code = "complaint"

    def due(self, day):
        tomorrow = add_working_days(day, 1)
        running = Q(status=Status.SUBMITTED) | Q(status__in=AWAITING_REPLY)
        complaints = list(Complaint.objects.filter(running).select_related("park"))
        inspectors = people_by_park({c.park_id for c in complaints})
        for complaint in complaints:
            due = complaint.due_date
            if due is None:
                continue
            what = _("acceptance") if complaint.status == Status.SUBMITTED else _("reply")
            label = f"{complaint.reference} {complaint.get_category_display()}"
            if day <= due <= tomorrow:
                yield Due(
                    Complaint,
                    complaint.pk,
                    f"complaint_due_{complaint.status}",
                    _handlers(complaint, inspectors),
                    _("Complaint %(label)s: %(what)s due %(date)s")
                    % {"label": label, "what": what, "date": due.isoformat()},
                    "",
                    complaint.get_absolute_url(),
                )
            elif due < day:
                yield Due(
                    Complaint,
                    complaint.pk,
                    f"complaint_overdue_{complaint.status}",
                    _handlers(complaint, inspectors),
                    _("Complaint %(label)s: %(what)s overdue since %(date)s")
                    % {"label": label, "what": what, "date": due.isoformat()},
                    "",
                    complaint.get_absolute_url(),
                )
                for days in settings.REMINDER_ESCALATE_WORKING_DAYS:
                    low, high = overdue_by(day, days)
                    if low <= due < high and complaint.assigned_to_id:
                        yield Due(
                            Complaint,
                            complaint.pk,
                            f"complaint_escalated_{days}",
                            inspectors.get(complaint.park_id, []),
                            _("Escalation: complaint %(label)s is %(days)d working days overdue")
                            % {"label": label, "days": days},
                            "",
                            complaint.get_absolute_url(),
                        )
