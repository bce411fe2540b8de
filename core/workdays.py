"""Chinese working days: the one calendar every deadline in the portal is counted in.

Public holidays and their make-up working days (调休) come from the maintained ``chinese-calendar``
package, which covers the years the State Council has published. For a year it does not cover yet
(the next year's arrangement is published around November), weekends alone are used and a warning
is logged; upgrading the package fixes it (`manage.py check` warns when the current year is missing).
"""

from __future__ import annotations

import datetime
import functools
import logging

import chinese_calendar

logger = logging.getLogger(__name__)


@functools.lru_cache(maxsize=4096)
def is_working_day(day: datetime.date) -> bool:
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        _warn_uncovered(day.year)
        return day.weekday() < 5


@functools.lru_cache(maxsize=64)
def _warn_uncovered(year: int) -> None:
    logger.warning("chinese-calendar has no holiday data for %s: counting weekends only", year)


def year_is_covered(year: int) -> bool:
    try:
        chinese_calendar.is_workday(datetime.date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """The date ``days`` working days after ``start`` (``start`` itself does not count).

    A complaint filed on a Friday with one working day to be accepted is due the next working day
    (Monday, or the make-up Saturday if there is one).
    """
    if days < 0:
        raise ValueError("days must be >= 0")
    day = start
    remaining = days
    while remaining:
        day += datetime.timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    return day


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Working days after ``start`` up to and including ``end`` (negative if ``end`` is earlier).

    ``working_days_between(due, today)`` is how many working days a task is late.
    """
    if end == start:
        return 0
    sign, low, high = (1, start, end) if end > start else (-1, end, start)
    count = 0
    day = low
    while day < high:
        day += datetime.timedelta(days=1)
        count += is_working_day(day)
    return sign * count


def subtract_working_days(end: datetime.date, days: int) -> datetime.date:
    """The working day ``days`` working days before ``end`` (``end`` itself does not count)."""
    if days < 0:
        raise ValueError("days must be >= 0")
    day = end
    remaining = days
    while remaining:
        day -= datetime.timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    return day


def due_within(day: datetime.date, days: int) -> tuple[datetime.date, datetime.date]:
    """Deadlines in ``(low, high]`` are due in ``days`` working days as seen on ``day`` (a weekend
    deadline counts with the working day before it)."""
    return add_working_days(day, days - 1), add_working_days(day, days)


def overdue_by(day: datetime.date, days: int) -> tuple[datetime.date, datetime.date]:
    """Deadlines in ``[low, high)`` are exactly ``days`` working days overdue on working day ``day``."""
    return subtract_working_days(day, days), subtract_working_days(day, days - 1)
