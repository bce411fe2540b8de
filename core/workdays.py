"""Chinese working days: the one calendar every deadline in the portal is counted in.

Public holidays and their make-up working days (调休) come from two places: the days the commission has
entered (``core.models.CalendarDay``, kept current on the calendar page or by importing the State
Council's arrangement each November) and, for every other day, the maintained ``chinese-calendar``
package. Entered days take precedence. For a year neither knows, weekends alone are used and a warning
is logged (`manage.py check` warns when this year, or from 1 December next year, is unknown).

Deadline arithmetic runs in loops and list views, so the entered days are held in memory per process.
A process asks the database whether they changed (one aggregate over a small table) at most every
``WORKING_CALENDAR_RECHECK_SECONDS``; the process that changes them forgets its copy at once
(``forget``), so its own next computation — the recomputation of open deadlines included — sees the
change, and every other process sees it within those seconds. No Redis involved: a calendar that
followed the cache would go stale exactly when Redis is down.
"""

from __future__ import annotations

import datetime
import functools
import logging
import threading
import time

import chinese_calendar
from django.conf import settings

logger = logging.getLogger(__name__)

RECHECK_SECONDS = 5.0


class _Entered:
    """The commission's entries as {date: is working day}, with the signature they were loaded at."""

    def __init__(self) -> None:
        self.days: dict[datetime.date, bool] | None = None
        self.signature: tuple | None = None
        self.checked_at = 0.0
        self.lock = threading.Lock()

    def get(self) -> dict[datetime.date, bool]:
        now = time.monotonic()
        if self.days is not None and now - self.checked_at < recheck_seconds():
            return self.days
        with self.lock:
            signature = _signature()
            if self.days is None or signature != self.signature:
                self.days, self.signature = _load(), signature
            self.checked_at = now
            return self.days

    def forget(self) -> None:
        with self.lock:
            self.days, self.signature, self.checked_at = None, None, 0.0


_entered = _Entered()


def recheck_seconds() -> float:
    return float(getattr(settings, "WORKING_CALENDAR_RECHECK_SECONDS", RECHECK_SECONDS))


def _signature() -> tuple:
    from django.db.models import Count, Max

    from .models import CalendarDay

    figures = CalendarDay.objects.aggregate(count=Count("pk"), last=Max("updated_at"))
    return figures["count"], figures["last"]


def _load() -> dict[datetime.date, bool]:
    from .models import CalendarDay

    return {day: kind == CalendarDay.Kind.WORKDAY for day, kind in CalendarDay.objects.values_list("date", "kind")}


def forget() -> None:
    """Drop this process's copy of the entered days: the next computation reads them again."""
    _entered.forget()


def entered_days() -> dict[datetime.date, bool]:
    return _entered.get()


def is_working_day(day: datetime.date) -> bool:
    return _working(day, _entered.get())


def _working(day: datetime.date, entered: dict[datetime.date, bool]) -> bool:
    working = entered.get(day)
    return _package_is_working_day(day) if working is None else working


@functools.lru_cache(maxsize=4096)
def _package_is_working_day(day: datetime.date) -> bool:
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        if not year_is_entered(day.year):
            _warn_uncovered(day.year)
        return day.weekday() < 5


@functools.lru_cache(maxsize=64)
def _warn_uncovered(year: int) -> None:
    logger.warning("No holiday data for %s (chinese-calendar nor entered days): counting weekends only", year)


def year_is_covered(year: int) -> bool:
    """Whether the ``chinese-calendar`` package knows the year's holidays."""
    try:
        chinese_calendar.is_workday(datetime.date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


def year_is_entered(year: int) -> bool:
    """Whether the commission has entered the year's holidays (at least one)."""
    return any(day.year == year and not working for day, working in _entered.get().items())


def year_is_known(year: int) -> bool:
    return year_is_covered(year) or year_is_entered(year)


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """The date ``days`` working days after ``start`` (``start`` itself does not count).

    A complaint filed on a Friday with one working day to be accepted is due the next working day
    (Monday, or the make-up Saturday if there is one).
    """
    if days < 0:
        raise ValueError("days must be >= 0")
    day, remaining, entered = start, days, _entered.get()
    while remaining:
        day += datetime.timedelta(days=1)
        working = entered.get(day)
        if _package_is_working_day(day) if working is None else working:  # inlined: this loop is hot
            remaining -= 1
    return day


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Working days after ``start`` up to and including ``end`` (negative if ``end`` is earlier).

    ``working_days_between(due, today)`` is how many working days a task is late.
    """
    if end == start:
        return 0
    sign, low, high = (1, start, end) if end > start else (-1, end, start)
    entered = _entered.get()
    low_counts = _year_counts.running(low.year, entered)
    high_counts = _year_counts.running(high.year, entered)
    # Working days in (low, high]: to the end of low's year, the years between, then into high's year.
    count = high_counts[_day_index(high)] - low_counts[_day_index(low)]
    for year in range(low.year, high.year):
        count += _year_counts.running(year, entered)[-1]
    return sign * count


def _day_index(day: datetime.date) -> int:
    return day.timetuple().tm_yday - 1


class _YearCounts:
    """Per year, the running count of working days from 1 January, built once per version of the
    entered days: a task overdue for years costs a few look-ups on a list page, not a loop over every
    day since its deadline."""

    def __init__(self) -> None:
        self.entered: dict | None = None
        self.years: dict[int, list[int]] = {}

    def running(self, year: int, entered: dict[datetime.date, bool]) -> list[int]:
        if self.entered is not entered:  # the entered days were reloaded: count again
            self.entered, self.years = entered, {}
        counts = self.years.get(year)
        if counts is None:
            day, total, counts = datetime.date(year, 1, 1), 0, []
            while day.year == year:
                total += _working(day, entered)
                counts.append(total)
                day += datetime.timedelta(days=1)
            self.years[year] = counts
        return counts


_year_counts = _YearCounts()


def subtract_working_days(end: datetime.date, days: int) -> datetime.date:
    """The working day ``days`` working days before ``end`` (``end`` itself does not count)."""
    if days < 0:
        raise ValueError("days must be >= 0")
    day, remaining, entered = end, days, _entered.get()
    while remaining:
        day -= datetime.timedelta(days=1)
        working = entered.get(day)
        if _package_is_working_day(day) if working is None else working:  # inlined: this loop is hot
            remaining -= 1
    return day


def due_within(day: datetime.date, days: int) -> tuple[datetime.date, datetime.date]:
    """Deadlines in ``(low, high]`` are due in ``days`` working days as seen on ``day`` (a weekend
    deadline counts with the working day before it)."""
    return add_working_days(day, days - 1), add_working_days(day, days)


def overdue_by(day: datetime.date, days: int) -> tuple[datetime.date, datetime.date]:
    """Deadlines in ``[low, high)`` are exactly ``days`` working days overdue on working day ``day``."""
    return subtract_working_days(day, days), subtract_working_days(day, days - 1)
