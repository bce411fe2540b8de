"""Keeping the working-day calendar current: the commission's entries (``CalendarDay``) written, and
every stored deadline that was counted in working days recomputed in the same transaction.

Core knows no deadline of its own: each domain app registers, in its ``AppConfig.ready()``, a callable
``recompute(first, last)`` that recomputes its open deadlines which may be affected by a change of the days
``first``…``last`` and returns what moved (``register_recomputer``). Every write goes through
``calendar_change``, used by the calendar page, its import and the Django admin alike.
"""

from __future__ import annotations

import datetime
import logging
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils.translation import gettext as _

from . import workdays
from .models import CalendarDay

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Recomputed:
    """One stored deadline that a calendar change moved."""

    label: str  # what it is, e.g. the complaint's reference and which deadline
    old: datetime.date
    new: datetime.date
    url: str = ""

    def __str__(self) -> str:
        return _("%(item)s: %(old)s → %(new)s") % {
            "item": self.label,
            "old": self.old.isoformat(),
            "new": self.new.isoformat(),
        }


Recomputer = Callable[[datetime.date, datetime.date], list[Recomputed]]
RECOMPUTERS: list[Recomputer] = []


def register_recomputer(recompute: Recomputer) -> Recomputer:
    if recompute not in RECOMPUTERS:
        RECOMPUTERS.append(recompute)
    return recompute


@dataclass
class Entry:
    date: datetime.date
    kind: str
    name: str


@dataclass
class CalendarChange:
    changed: list[datetime.date] = field(default_factory=list)
    recomputed: list[Recomputed] = field(default_factory=list)


def may_edit_calendar(user) -> bool:
    return user.is_authenticated and user.is_commission_admin


CALENDAR_LOCK = 0x1D0A_CA1E_0000 + zlib.crc32(b"working-calendar")


def calendar_change(*, actor, save: Iterable[Entry] = (), delete: Iterable[datetime.date] = ()) -> CalendarChange:
    """Save and delete entered days, then recompute the open deadlines they move — all or nothing.

    Changes take turns (a transaction-scoped lock), so two admins saving at once recompute against each
    other's committed days. Raises ValidationError (nothing saved) for an entry that is not valid."""
    if not may_edit_calendar(actor):
        raise PermissionDenied
    try:
        with transaction.atomic():
            _take_turns()
            change = CalendarChange(changed=_write(actor, list(save), set(delete)))
            workdays.forget()  # the recomputation below, and this process's next deadline, see the change
            transaction.on_commit(workdays.forget)
            if change.changed:
                first, last = min(change.changed), max(change.changed)
                change.recomputed = recompute_deadlines(first, last)
                transaction.on_commit(lambda: _second_pass(first, last))
    except Exception:
        workdays.forget()  # what this process may have read inside the rolled-back transaction
        raise
    return change


def recompute_deadlines(first: datetime.date, last: datetime.date) -> list[Recomputed]:
    """Every registered app's open deadlines that a change of the days ``first``…``last`` moves, recomputed."""
    with transaction.atomic():
        _take_turns()
        return [moved for recompute in RECOMPUTERS for moved in recompute(first, last)]


def _second_pass(first: datetime.date, last: datetime.date) -> None:
    """Recompute once more after every process has seen the change (its recheck interval): a deadline
    set meanwhile by a process still counting with its old copy of the calendar is corrected."""
    from kombu.exceptions import OperationalError

    from .tasks import calendar_recompute_again

    delay = workdays.recheck_seconds() + 1
    try:
        calendar_recompute_again.apply_async((first.isoformat(), last.isoformat()), countdown=delay)
    except (OperationalError, OSError) as error:
        logger.warning("Broker unreachable: the second recomputation of %s…%s was not queued: %s", first, last, error)


def _write(actor, entries: list[Entry], deletions: set[datetime.date]) -> list[datetime.date]:
    """The days whose entry was created, changed or deleted."""
    existing = {day.date: day for day in CalendarDay.objects.select_for_update().filter(date__in=[
        *deletions, *(entry.date for entry in entries)])}  # fmt: skip
    changed = []
    for day in deletions:
        if day in existing:
            existing[day]._history_user = actor
            existing[day].delete()
            changed.append(day)
    for entry in entries:
        day = existing.get(entry.date) or CalendarDay(date=entry.date)
        name = (entry.name or "").strip()
        if day.pk and day.kind == entry.kind and day.name == name:
            continue
        day.kind, day.name = entry.kind, name
        day.full_clean(validate_unique=False)
        day._history_user = actor
        day.save()
        changed.append(entry.date)
    return changed


def _take_turns() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CALENDAR_LOCK])


def holiday_period(
    *, first: datetime.date, last: datetime.date, name: str, workdays_: Iterable[datetime.date] = ()
) -> list[Entry]:
    """A holiday period in one go: every day ``first``…``last`` off, plus its make-up working days."""
    if last < first:
        raise ValidationError({"last": _("The last day cannot be before the first day.")})
    if (last - first).days > 31:
        raise ValidationError({"last": _("A holiday period is at most a month long.")})
    name = (name or "").strip()
    days = [first + datetime.timedelta(days=n) for n in range((last - first).days + 1)]
    entries = [Entry(day, CalendarDay.Kind.HOLIDAY, name) for day in days]
    made_up = _("%(name)s (make-up working day)") % {"name": name}
    entries += [Entry(day, CalendarDay.Kind.WORKDAY, made_up) for day in sorted(set(workdays_))]
    return entries


def year_days(year: int):
    return CalendarDay.objects.filter(date__year=year).order_by("date")


SHOWN_ITEMS = 20


def change_summary(change: CalendarChange) -> list[str]:
    """What the admin is told after a change: how many deadlines were recomputed, and which."""
    if not change.changed:
        return [_("The calendar was not changed.")]
    if not change.recomputed:
        return [_("No open deadline was affected.")]
    items = [str(item) for item in change.recomputed[:SHOWN_ITEMS]]
    more = len(change.recomputed) - SHOWN_ITEMS
    if more > 0:
        items.append(_("and %(count)d more") % {"count": more})
    return [
        _("%(count)d deadlines were recomputed: %(items)s")
        % {"count": len(change.recomputed), "items": "；".join(items)}
    ]
