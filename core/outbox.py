"""The outbox: every notification's e-mail copy is a row (``OutgoingEmail``) written with the inbox entry.

- ``outbox_add`` writes the row in the caller's transaction and queues its delivery after commit. If the
  broker is down the row simply stays pending: nothing is lost and the request is not held up.
- ``outbox_deliver`` (the ``core.deliver_email`` task) claims one row with a conditional UPDATE
  (pending → sending) and acts only if that changed one row, so a row queued twice is sent once. It is
  marked sent after the mail server took it; a failure puts it back to pending with a later
  ``next_attempt_at`` (back-off), and after ``MAX_ATTEMPTS`` it is failed (a commission admin may re-send
  it from the admin).
- ``outbox_sweep`` (``core.sweep_outbox``, every minute, Celery beat) queues again what is pending and due,
  claiming each row for the next minute in the same UPDATE, so one sweep queues a row once and two sweeps
  running together do not both queue it. Rows left "sending" by a worker that died go back to pending.
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from .models import Notification, OutgoingEmail

logger = logging.getLogger("core.outbox")

MAX_ATTEMPTS = 8
REQUEUE_AFTER = datetime.timedelta(minutes=1)
# A worker killed between claiming and marking sent leaves the row "sending"; after this it is retried
# (the mail may then go out twice, which beats never).
SENDING_TIMEOUT = datetime.timedelta(minutes=15)
BACKOFF_BASE_SECONDS = 30
BACKOFF_MAX_SECONDS = 60 * 60

Status = OutgoingEmail.Status


def _queue(email_ids: list[int]) -> None:
    from .tasks import deliver_email, enqueue_on_commit

    for email_id in email_ids:
        enqueue_on_commit(deliver_email, email_id)


def outbox_add(notification: Notification) -> OutgoingEmail | None:
    """The e-mail copy of ``notification`` if its recipient has an address; queued after commit."""
    address = notification.recipient.email
    if not address:
        return None
    email = OutgoingEmail.objects.create(
        notification=notification, to=address, next_attempt_at=timezone.now() + REQUEUE_AFTER
    )
    _queue([email.pk])
    return email


def outbox_add_all(notifications: list[Notification]) -> list[OutgoingEmail]:
    """``outbox_add`` for saved notifications whose recipients are loaded: one insert."""
    next_attempt_at = timezone.now() + REQUEUE_AFTER
    emails = OutgoingEmail.objects.bulk_create(
        (
            OutgoingEmail(notification=notification, to=notification.recipient.email, next_attempt_at=next_attempt_at)
            for notification in notifications
            if notification.recipient.email
        ),
        batch_size=1000,
    )
    _queue([email.pk for email in emails])
    return emails


def backoff(attempts: int) -> datetime.timedelta:
    return datetime.timedelta(seconds=min(BACKOFF_BASE_SECONDS * 2 ** max(attempts - 1, 0), BACKOFF_MAX_SECONDS))


def outbox_deliver(email_id: int) -> bool:
    """Send one outbox row if it is still pending. True when this call sent it."""
    from django.core.mail import send_mail

    now = timezone.now()
    claimed = OutgoingEmail.objects.filter(pk=email_id, status=Status.PENDING).update(
        status=Status.SENDING, claimed_at=now, attempts=F("attempts") + 1
    )
    if claimed != 1:
        return False  # sent, being sent, failed for good, or gone: somebody else's business
    email = OutgoingEmail.objects.select_related("notification").get(pk=email_id)
    notification = email.notification
    link = (
        f"\n\n{settings.PUBLIC_BASE_URL.rstrip('/')}{notification.link}"
        if notification.link and settings.PUBLIC_BASE_URL
        else ""
    )
    try:
        send_mail(
            subject=f"{settings.EMAIL_SUBJECT_PREFIX}{notification.title}",
            message=f"{notification.body}{link}",
            from_email=None,
            recipient_list=[email.to],
        )
    except Exception as error:  # SMTP errors are OSErrors; whatever it is, the row must not stay "sending"
        failed_for_good = email.attempts >= MAX_ATTEMPTS
        OutgoingEmail.objects.filter(pk=email_id, status=Status.SENDING).update(
            status=Status.FAILED if failed_for_good else Status.PENDING,
            last_error=f"{type(error).__name__}: {error}"[:2000],
            next_attempt_at=timezone.now() + backoff(email.attempts),
        )
        logger.warning(
            "E-mail %s to %s failed (attempt %s of %s): %s", email_id, email.to, email.attempts, MAX_ATTEMPTS, error
        )
        return False
    OutgoingEmail.objects.filter(pk=email_id, status=Status.SENDING).update(
        status=Status.SENT, sent_at=timezone.now(), last_error=""
    )
    return True


def outbox_sweep(*, now: datetime.datetime | None = None) -> int:
    """Queue again every pending row that is due; returns how many were queued."""
    now = now or timezone.now()
    OutgoingEmail.objects.filter(status=Status.SENDING, claimed_at__lt=now - SENDING_TIMEOUT).update(
        status=Status.PENDING, next_attempt_at=now
    )
    with transaction.atomic():
        # One statement claims the rows for the next minute: a second sweep meanwhile finds none of them.
        due = OutgoingEmail.objects.filter(status=Status.PENDING, next_attempt_at__lte=now)
        ids = list(
            OutgoingEmail.objects.filter(pk__in=due.values("pk"))
            .select_for_update(skip_locked=True)
            .values_list("pk", flat=True)
        )
        OutgoingEmail.objects.filter(pk__in=ids, status=Status.PENDING).update(next_attempt_at=now + REQUEUE_AFTER)
        _queue(ids)
    return len(ids)


def outbox_resend(emails: QuerySet[OutgoingEmail]) -> int:
    """A commission admin's "send again" for failed rows: a fresh set of attempts, queued now."""
    with transaction.atomic():
        ids = list(emails.filter(status=Status.FAILED).values_list("pk", flat=True))
        OutgoingEmail.objects.filter(pk__in=ids, status=Status.FAILED).update(
            status=Status.PENDING, attempts=0, next_attempt_at=timezone.now() + REQUEUE_AFTER
        )
        _queue(ids)
    return len(ids)
