"""The daily reminder job: every reminder due on a working day, delivered exactly once.

Apps register reminder sources (as alert rules are registered): each says, with set-based queries,
which objects need which reminder on a day and to whom. The job claims each (object, kind, day,
recipient) by inserting a ``Reminder`` row under a unique constraint — a second run, a retry or a second
beat finds the claim and sends nothing — and writes the inbox entry in the same transaction. Days the
job did not run (broker down, machine off) are caught up on the next run, marked late.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Reminder, ReminderRun
from .notifications import notify
from .workdays import is_working_day


@dataclass
class Due:
    model: type
    object_id: int
    kind: str
    recipients: Iterable[int]
    title: str
    body: str = ""
    link: str = ""


class ReminderSource:
    code: str

    def due(self, day: datetime.date) -> Iterable[Due]:
        raise NotImplementedError


SOURCES: list[ReminderSource] = []


def register(source_class: type[ReminderSource]) -> type[ReminderSource]:
    SOURCES.append(source_class())
    return source_class


@dataclass
class Result:
    days: list[datetime.date] = field(default_factory=list)
    sent: int = 0
    late: int = 0


def days_to_run(today: datetime.date) -> list[datetime.date]:
    """Today, preceded by the days since the last completed run (at most REMINDER_CATCH_UP_DAYS)."""
    last = ReminderRun.objects.filter(day__lt=today).order_by("-day").values_list("day", flat=True).first()
    if last is None:
        return [today]
    start = max(last + datetime.timedelta(days=1), today - datetime.timedelta(days=settings.REMINDER_CATCH_UP_DAYS))
    return [start + datetime.timedelta(days=n) for n in range((today - start).days + 1)]


def send_reminders(*, today: datetime.date | None = None) -> Result:
    today = today or timezone.localdate()
    result = Result()
    for day in days_to_run(today):
        late = day < today
        sent = 0
        if is_working_day(day):
            dues = [due for source in SOURCES for due in source.due(day)]
            users = get_user_model().objects.in_bulk({pk for due in dues for pk in due.recipients})
            for due in dues:
                sent += _deliver(due, day, users, late=late)
        _log_run(day, sent)
        result.days.append(day)
        result.sent += sent
        result.late += sent if late else 0
    return result


def _log_run(day: datetime.date, sent: int) -> None:
    """Record the day as run, adding what this run sent: a second run the same day (a retry, a second
    beat, one at the same moment) adds its 0 instead of overwriting the first run's count."""
    ReminderRun.objects.get_or_create(day=day, defaults={"sent": 0})
    ReminderRun.objects.filter(day=day).update(sent=F("sent") + sent, finished_at=timezone.now())


def _deliver(due: Due, day: datetime.date, users: dict, *, late: bool) -> int:
    content_type = ContentType.objects.get_for_model(due.model)
    delivered = 0
    for recipient_id in sorted(set(due.recipients)):
        with transaction.atomic():
            reminder, created = Reminder.objects.get_or_create(
                content_type=content_type,
                object_id=due.object_id,
                kind=due.kind,
                day=day,
                recipient_id=recipient_id,
                defaults={"is_late": late},
            )
            if not created:
                continue
            title = (_("[Late] ") if late else "") + due.title
            reminder.notification = notify(
                users[recipient_id], kind=due.kind, title=title, body=due.body, link=due.link, is_late=late
            )
            reminder.save(update_fields=["notification"])
            delivered += 1
    return delivered
