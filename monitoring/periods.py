"""Reporting periods: a month (the default) or a quarter, per park; each named by its first day.

A period's report is due on the ``due_working_days``-th working day after the period ends (default 5,
``MONITORING_DUE_WORKING_DAYS``; Chinese working days, core.workdays): the October report of a monthly park
is due on the 5th working day of November. A point that has not filed by then is reminded once, on the
first working day after the due day."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from core.workdays import add_working_days


def default_due_working_days() -> int:
    return getattr(settings, "MONITORING_DUE_WORKING_DAYS", 5)


def _add_months(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class Period:
    start: datetime.date
    months: int = 1

    @classmethod
    def containing(cls, day: datetime.date, months: int = 1) -> Period:
        return cls(datetime.date(day.year, (day.month - 1) // months * months + 1, 1), months)

    @property
    def end(self) -> datetime.date:
        return _add_months(self.start, self.months) - datetime.timedelta(days=1)

    def previous(self) -> Period:
        return Period(_add_months(self.start, -self.months), self.months)

    def next(self) -> Period:
        return Period(_add_months(self.start, self.months), self.months)

    def due_on(self, due_working_days: int | None = None) -> datetime.date:
        days = default_due_working_days() if due_working_days is None else due_working_days
        return add_working_days(self.end, days)

    def label(self) -> str:
        return period_label(self.start, self.months)


def period_label(start: datetime.date, months: int = 1) -> str:
    if months == 3:
        return _("%(year)d Q%(quarter)d") % {"year": start.year, "quarter": (start.month - 1) // 3 + 1}
    return _("%(year)d-%(month)02d") % {"year": start.year, "month": start.month}


def recent(day: datetime.date, months: int = 1, count: int = 6) -> list[Period]:
    """The ``count`` periods up to the one containing ``day``, oldest first."""
    periods = [Period.containing(day, months)]
    while len(periods) < count:
        periods.insert(0, periods[0].previous())
    return periods
