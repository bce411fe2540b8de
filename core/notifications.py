"""The one way the portal tells a person something: an inbox entry, and an e-mail copy when they have
an address. The copy is an outbox row written in the same transaction (core.outbox); a worker sends it
after commit, and a periodic sweep sends what a dead broker left behind. It never blocks the inbox."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .models import Notification
from .outbox import outbox_add, outbox_add_all

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractUser as User


def notify(
    recipient: User, *, kind: str, title: str, body: str = "", link: str = "", is_late: bool = False
) -> Notification:
    notification = message(recipient, kind=kind, title=title, body=body, link=link, is_late=is_late)
    notification.save()
    outbox_add(notification)
    return notification


def message(
    recipient: User, *, kind: str, title: str, body: str = "", link: str = "", is_late: bool = False
) -> Notification:
    """A notification not saved yet, for ``notify_all``."""
    return Notification(recipient=recipient, kind=kind, title=title[:200], body=body, link=link, is_late=is_late)


def notify_all(notifications: list[Notification]) -> list[Notification]:
    """``notify`` for many messages at once (the daily reminders): the inbox entries in one insert, their
    e-mail copies in another, each copy queued after commit as ``notify`` does."""
    Notification.objects.bulk_create(notifications, batch_size=1000)
    outbox_add_all(notifications)
    return notifications


def mark_read(user: User, ids=None) -> int:
    from django.utils import timezone

    unread = Notification.objects.for_user(user).unread()
    if ids is not None:
        unread = unread.filter(pk__in=ids)
    return unread.update(read_at=timezone.now())
