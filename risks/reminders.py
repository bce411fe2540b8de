"""Reminders about risk points past their review date: to the park's officers, on the 1st, 3rd and 7th
working day overdue."""

from django.conf import settings
from django.utils.translation import gettext as _

from accounts.choices import Role
from accounts.selectors import people_by_park
from core.reminders import Due, ReminderSource, register
from core.workdays import overdue_by

from .choices import RiskStatus
from .models import RiskPoint


@register
class RiskPointReminders(ReminderSource):
    code = "riskpoint"

    def due(self, day):
        windows = [(days, *overdue_by(day, days)) for days in settings.REMINDER_ESCALATE_WORKING_DAYS]
        earliest = min(low for _days, low, _high in windows)
        points = list(
            RiskPoint.objects.exclude(status=RiskStatus.ELIMINATED).filter(review_on__gte=earliest, review_on__lt=day)
        )
        officers = people_by_park({p.park_id for p in points}, role=Role.PARK_OFFICER)
        for point in points:
            for days, low, high in windows:
                if low <= point.review_on < high:
                    yield Due(
                        RiskPoint,
                        point.pk,
                        f"riskpoint_review_{days}",
                        officers.get(point.park_id, []),
                        _("Risk point to be reviewed: %(days)d working days past %(date)s")
                        % {"days": days, "date": point.review_on.isoformat()},
                        point.description,
                        point.get_absolute_url(),
                    )
