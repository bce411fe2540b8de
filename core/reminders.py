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
import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import Case, Exists, F, OuterRef, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Notification, Reminder, ReminderRun
from .notifications import message, notify_all
from .workdays import is_working_day

#: A text, or a function without arguments that makes it.
Text = str | Callable[[], str]


@dataclass
class Due:
    """A reminder a source owes. The title, body and link may be functions: they are called only for the
    reminders a run claims, so that a second run the same day formats nothing."""

    model: type
    object_id: int
    kind: str
    recipients: Iterable[int]
    title: Text
    body: Text = ""
    link: Text = ""

    def text(self) -> tuple[str, str, str]:
        """(title, body, link)."""
        title, body, link = (value() if callable(value) else value for value in (self.title, self.body, self.link))
        return title, body, link


class ReminderSource:
    code: str

    def due(self, day: datetime.date) -> Iterable[Due]:
        raise NotImplementedError


def unclaimed(model: type, kind: str | F, day: datetime.date, *, recipient: str = "", park: str = "", role: str = ""):
    """A filter keeping the rows of ``model`` whose reminder of ``kind`` (a text, or ``F(column)`` naming
    it per row) for ``day`` is not claimed yet for every person it goes to: the one in the column
    ``recipient``, or the active people of ``role`` in the park in the column ``park``
    (accounts.selectors.people_by_park). A source filtering with it reads, on a second run the same day,
    only what is left to send: nothing to claim. (The claims stay what makes a reminder go out once: a row
    kept here and claimed meanwhile by another run is skipped when claimed.)"""
    content_type = ContentType.objects.get_for_model(model)
    if recipient:
        kind = OuterRef(kind.name) if isinstance(kind, F) else kind
        claims = Reminder.objects.filter(content_type=content_type, object_id=OuterRef("pk"), kind=kind, day=day)
        return ~Exists(claims.filter(recipient=OuterRef(recipient)))
    kind = OuterRef(OuterRef(kind.name)) if isinstance(kind, F) else kind
    # The people of the role as a list read once, not a join to the users for every row.
    role_ids = list(get_user_model().objects.filter(role=role, is_active=True).values_list("pk", flat=True))
    people = get_user_model().parks.through.objects.filter(park=OuterRef(park), user_id__in=role_ids)
    claims = Reminder.objects.filter(
        content_type=content_type, object_id=OuterRef(OuterRef("pk")), kind=kind, day=day, recipient=OuterRef("user_id")
    )
    return Exists(people.filter(~Exists(claims)))


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
    per run, listing each object once (its latest reminder), however many days are caught up.

    Set-based: the claims of a batch of recipients are one ``INSERT … ON CONFLICT DO NOTHING RETURNING``
    (what comes back is what this run may send; what another run claimed already does not come back), and
    their messages, e-mail copies and links to the claims are written with a few bulk statements in the
    same transaction. The number of queries grows with the batches, not with the reminders, and a second
    run the same day costs the sources' queries and one insert that returns nothing."""
    today = today or timezone.localdate()
    days = days_to_run(today)
    owed: dict[int, list[_Item]] = defaultdict(list)
    for day in days:
        if is_working_day(day):
            for due in (due for source in SOURCES for due in source.due(day)):
                for recipient_id in set(due.recipients):
                    owed[recipient_id].append(_Item(due, day, late=day < today))
    claimed: list[_Item] = []
    for batch in _batches(owed):
        claimed += _deliver(batch)
    if len(claimed) >= BATCH_SIZE and connection.vendor == "postgresql":
        # The sources' NOT EXISTS (unclaimed) are planned from the table's statistics: thousands of fresh
        # claims unknown to them make a second run join every row to every claim.
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(Reminder._meta.db_table)}")
    result = Result(days=days)
    for day in days:
        sent = sum(1 for item in claimed if item.day == day)
        _log_run(day, sent)
        result.sent += sent
        result.late += sent if day < today else 0
    return result


#: Reminders claimed (and recipients told) per transaction: each recipient's whole share is in one.
BATCH_SIZE = 2000


def _batches(owed: dict[int, list[_Item]]) -> Iterator[dict[int, list[_Item]]]:
    """The recipients in a fixed order (two runs at once then claim in the same order and cannot
    deadlock), cut into batches of about BATCH_SIZE reminders."""
    batch: dict[int, list[_Item]] = {}
    size = 0
    for recipient_id in sorted(owed):
        batch[recipient_id] = owed[recipient_id]
        size += len(owed[recipient_id])
        if size >= BATCH_SIZE:
            yield batch
            batch, size = {}, 0
    if batch:
        yield batch


def _log_run(day: datetime.date, sent: int) -> None:
    """Record the day as run, adding what this run sent: a second run the same day (a retry, a second
    beat, one at the same moment) adds its 0 instead of overwriting the first run's count."""
    ReminderRun.objects.get_or_create(day=day, defaults={"sent": 0})
    ReminderRun.objects.filter(day=day).update(sent=F("sent") + sent, finished_at=timezone.now())


@transaction.atomic
def _deliver(batch: dict[int, list[_Item]]) -> list[_Item]:
    """Claim each (object, kind, day) for each person of the batch — what another run claimed already is
    skipped — and send each person what is left as one message, in the same transaction as the claims."""
    now = timezone.now()
    items: dict[tuple, _Item] = {}  # (content type id, object id, kind, day, recipient id) → item
    content_types: dict[type, int] = {}
    for recipient_id, owed in batch.items():
        for item in owed:
            model = item.due.model
            if model not in content_types:
                content_types[model] = ContentType.objects.get_for_model(model).pk
            items.setdefault((content_types[model], item.due.object_id, item.due.kind, item.day, recipient_id), item)
    claims = claim(items, now)  # key → claim id, for the keys this run claimed
    fresh: dict[int, list[_Item]] = defaultdict(list)
    for key, item in items.items():  # each person's reminders in the order the sources gave them
        if key in claims:
            fresh[key[4]].append(item)
    recipients = get_user_model().objects.only("email").in_bulk(list(fresh))
    notifications = notify_all([_message(recipients[recipient_id], owed) for recipient_id, owed in fresh.items()])
    carried_by = {notification.recipient_id: notification.pk for notification in notifications}
    if claims:
        Reminder.objects.filter(pk__in=list(claims.values())).update(
            notification=Case(
                *(When(recipient_id=recipient_id, then=Value(pk)) for recipient_id, pk in carried_by.items())
            )
        )
    return [item for owed in fresh.values() for item in owed]


#: The columns of a claim, the first five being the unique key.
_CLAIM_FIELDS = ("content_type", "object_id", "kind", "day", "recipient", "is_late", "sent_at")
#: Rows per INSERT statement (on SQLite 7 parameters each, under its limit of 32,766).
_INSERT_ROWS = 2000


def claim(items: dict[tuple, _Item], now: datetime.datetime) -> dict[tuple, int]:
    """Insert a claim for each key (content type id, object id, kind, day, recipient id) not claimed yet;
    return {key: claim id} for the rows inserted here. A row another transaction is inserting waits for
    it, then counts as claimed by it: each reminder is sent by one run only."""
    ops = connection.ops
    keys = sorted(items)
    claimed: dict[tuple, int] = {}
    for start in range(0, len(keys), _INSERT_ROWS):
        chunk = keys[start : start + _INSERT_ROWS]
        now_value = ops.adapt_datetimefield_value(now)
        if connection.vendor == "postgresql":  # one JSON parameter: the statement does not grow with the rows
            rows = [[*key[:3], key[3].isoformat(), key[4], items[key].late] for key in chunk]
            sql, params = _claim_sql(None), [now_value, json.dumps(rows)]
        else:
            rows = [(*key[:3], ops.adapt_datefield_value(key[3]), key[4], items[key].late) for key in chunk]
            sql, params = _claim_sql(len(rows)), [value for row in rows for value in (*row, now_value)]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            for pk, content_type_id, object_id, kind, day, recipient_id in cursor.fetchall():
                day = day if isinstance(day, datetime.date) else datetime.date.fromisoformat(day)  # SQLite: text
                claimed[(content_type_id, object_id, kind, day, recipient_id)] = pk
    return claimed


def _claim_sql(rows: int | None) -> str:
    """``INSERT … ON CONFLICT DO NOTHING RETURNING`` of claims: from a JSON array of rows (PostgreSQL,
    ``rows`` None; the time sent is the first parameter) or ``rows`` rows of values, the time sent last
    in each (SQLite ≥ 3.35, ``make run``). Django's ``bulk_create(ignore_conflicts=True)`` cannot say
    which rows it inserted."""
    quote = connection.ops.quote_name
    columns = [quote(Reminder._meta.get_field(name).column) for name in _CLAIM_FIELDS]
    if rows is None:
        source = (
            "SELECT (r->>0)::integer, (r->>1)::bigint, r->>2, (r->>3)::date, (r->>4)::bigint, (r->>5)::boolean, %s "
            "FROM jsonb_array_elements(%s::jsonb) AS r"
        )
    else:
        source = "VALUES {}".format(", ".join(["({}, %s)".format(", ".join(["%s"] * 6))] * rows))
    return (
        f"INSERT INTO {quote(Reminder._meta.db_table)} ({', '.join(columns)}) {source} "
        f"ON CONFLICT DO NOTHING RETURNING {quote(Reminder._meta.pk.column)}, {', '.join(columns[:5])}"
    )


def _message(recipient, items: list[_Item]) -> Notification:
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
        title, body, link = due.text()
        return message(recipient, kind=due.kind, title=prefix + title, body=body, link=link, is_late=late)
    base = settings.PUBLIC_BASE_URL.rstrip("/")
    lines = [_digest_line(item, base) for item in listed]
    title = prefix + _("%(count)d reminders: overdue or due soon") % {"count": len(listed)}
    return message(recipient, kind=DIGEST_KIND, title=title, body="\n".join(lines), is_late=late)


def _digest_line(item: _Item, base_url: str) -> str:
    title, body, link = item.due.text()
    text = (_("[Late] ") if item.late else "") + title
    if body:
        what = " ".join(body.split())
        text += f"：{what[:60]}…" if len(what) > 60 else f"：{what}"
    return f"• {text}" + (f" {base_url}{link}" if base_url and link else "")
