"""The missed-report reminder: a monitoring point without its report on the first working day after the
period's due day is reminded once — the users of the enterprise get one message. Only that day owes the
reminder, and the reminder job claims each (enterprise, kind, day, user) once, so a point is reminded
exactly once per period, however often the job runs (a day the job missed is caught up)."""

import datetime
from functools import partial

from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.choices import Role
from accounts.models import User
from core.reminders import Due, ReminderSource, register
from core.workdays import add_working_days
from parks.models import Enterprise, Park

from .periods import Period
from .selectors import missing_reporters, settings_by_park

KIND = "monitoring_report_missed"


def missed_periods(day: datetime.date) -> dict[int, Period]:
    """Park id → the period whose report was due on the working day before ``day`` (the day its
    reminder goes out), for the parks that have one."""
    parks = list(Park.objects.filter(is_active=True).values_list("pk", flat=True))
    found = {}
    for park_id, row in settings_by_park(parks).items():
        period = Period.containing(day, row.period_months).previous()
        due = period.due_on(row.due_working_days)
        if add_working_days(due, 1) == day:
            found[park_id] = period
    return found


def _title(period: Period, due: datetime.date) -> str:
    return _("Monitoring report for %(period)s not filed (due %(date)s)") % {
        "period": period.label(),
        "date": due.isoformat(),
    }


@register
class MissedReportReminders(ReminderSource):
    code = "monitoring"

    def due(self, day):
        periods = missed_periods(day)
        if not periods:
            return
        settings_rows = settings_by_park(list(periods))
        for park_id, period in periods.items():
            park = Park(pk=park_id)
            missing = list(missing_reporters(park, period.start).values_list("pk", flat=True))
            users: dict[int, list[int]] = {}
            for user_id, enterprise_id in User.objects.filter(
                role=Role.ENTERPRISE, is_active=True, enterprise_id__in=missing
            ).values_list("pk", "enterprise_id"):
                users.setdefault(enterprise_id, []).append(user_id)
            due_day = period.due_on(settings_rows[park_id].due_working_days)
            for enterprise_id, recipients in users.items():
                yield Due(
                    Enterprise,
                    enterprise_id,
                    KIND,
                    recipients,
                    partial(_title, period, due_day),
                    _("Please file it on your home page; a late report is still counted."),
                    reverse("monitoring:report-file"),
                )
