"""The daily reminder job: every reminder due on a working day, delivered exactly once.

Apps register reminder sources (as alert rules are registered): each says, with set-based queries,
which objects need which reminder on a day and to whom. The job claims each (object, kind, day,
recipient) by inserting a ``Reminder`` row under a unique constraint — a second run, a retry or a second
beat finds the claim and sends nothing — and writes the inbox entry in the same transaction. Days the
job did not run (broker down, machine off) are caught up on the next run, marked late. Each person gets
one message per run: the reminder itself, or a digest listing each object once (a gap of days must not
send a copy per object per missed day).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
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
#: The kind of the one message a person gets when a run owes them several reminders.
DIGEST_KIND = "reminder_digest"


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


@dataclass
class _Item:
    """One reminder owed to one person: what is due, and for which day."""

    due: Due
    day: datetime.date
    late: bool


def send_reminders(*, today: datetime.date | None = None) -> Result:
    """Claim every reminder due on the days to run and tell each person once: one message per recipient
    per run, listing each object once (its latest reminder), however many days are caught up."""
    today = today or timezone.localdate()
    days = days_to_run(today)
    owed: dict[int, list[_Item]] = defaultdict(list)
    for day in days:
        if is_working_day(day):
            for due in (due for source in SOURCES for due in source.due(day)):
                for recipient_id in set(due.recipients):
                    owed[recipient_id].append(_Item(due, day, late=day < today))
    users = get_user_model().objects.in_bulk(list(owed))
    claimed: list[_Item] = []
    for recipient_id in sorted(owed):
        claimed += _deliver(users[recipient_id], owed[recipient_id])
    result = Result(days=days)
    for day in days:
        sent = sum(1 for item in claimed if item.day == day)
        _log_run(day, sent)
        result.sent += sent
        result.late += sent if day < today else 0
    return result


def _log_run(day: datetime.date, sent: int) -> None:
    """Record the day as run, adding what this run sent: a second run the same day (a retry, a second
    beat, one at the same moment) adds its 0 instead of overwriting the first run's count."""
    ReminderRun.objects.get_or_create(day=day, defaults={"sent": 0})
    ReminderRun.objects.filter(day=day).update(sent=F("sent") + sent, finished_at=timezone.now())


@transaction.atomic
def _deliver(recipient, items: list[_Item]) -> list[_Item]:
    """Claim each (object, kind, day) for this person — what another run claimed already is skipped — and
    send what is left as one message, in the same transaction as the claims."""
    claims, fresh = [], []
    for item in items:
        reminder, created = Reminder.objects.get_or_create(
            content_type=ContentType.objects.get_for_model(item.due.model),
            object_id=item.due.object_id,
            kind=item.due.kind,
            day=item.day,
            recipient=recipient,
            defaults={"is_late": item.late},
        )
        if created:
            claims.append(reminder)
            fresh.append(item)
    if fresh:
        notification = _message(recipient, fresh)
        Reminder.objects.filter(pk__in=[claim.pk for claim in claims]).update(notification=notification)
    return fresh


def _message(recipient, items: list[_Item]):
    """One message: the reminder itself when there is one object, else a digest with a line per object
    (its latest reminder, so an item missed on several days is listed once)."""
    latest: dict[tuple, _Item] = {}
    for item in sorted(items, key=lambda item: item.day):
        latest[(item.due.model, item.due.object_id)] = item
    listed = list(latest.values())
    late = any(item.late for item in listed)
    prefix = _("[Late] ") if late else ""
    if len(listed) == 1:
        due = listed[0].due
        return notify(recipient, kind=due.kind, title=prefix + due.title, body=due.body, link=due.link, is_late=late)
    base = settings.PUBLIC_BASE_URL.rstrip("/")
    lines = [_digest_line(item, base) for item in listed]
    title = prefix + _("%(count)d reminders: overdue or due soon") % {"count": len(listed)}
    return notify(recipient, kind=DIGEST_KIND, title=title, body="\n".join(lines), is_late=late)


def _digest_line(item: _Item, base_url: str) -> str:
    due = item.due
    text = (_("[Late] ") if item.late else "") + due.title
    if due.body:
        what = " ".join(due.body.split())
        text += f"：{what[:60]}…" if len(what) > 60 else f"：{what}"
    return f"• {text}" + (f" {base_url}{due.link}" if base_url and due.link else "")
