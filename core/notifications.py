"""The one way the portal tells a person something: an inbox entry, and an e-mail copy when they have
an address. The copy is an outbox row written in the same transaction (core.outbox); a worker sends it
after commit, and a periodic sweep sends what a dead broker left behind. It never blocks the inbox."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .models import Notification
from .outbox import outbox_add

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractUser as User


def notify(
    recipient: User, *, kind: str, title: str, body: str = "", link: str = "", is_late: bool = False
) -> Notification:
    notification = Notification.objects.create(
        recipient=recipient, kind=kind, title=title[:200], body=body, link=link, is_late=is_late
    )
    outbox_add(notification)
    return notification


def mark_read(user: User, ids=None) -> int:
    from django.utils import timezone

    unread = Notification.objects.for_user(user).unread()
    if ids is not None:
        unread = unread.filter(pk__in=ids)
    return unread.update(read_at=timezone.now())
