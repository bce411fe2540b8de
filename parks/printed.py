"""The park behind a printed address (``/report/<code>/``, its QR code and poster), held in memory per process.

The public intake looks the park up by its code for every complaint filed and every form opened: one query
and its ORM work were a seventh of a complaint's CPU (issue 13). Parks change seldom, so a process keeps
what it read, found or not, for ``settings.PRINTED_PARK_SECONDS`` (10 by default). A park saved or deleted in this
process is forgotten at once: deactivated on the admin page, it stops taking complaints in that process
immediately and in every other worker within those seconds. No Redis: asking it costs what the query costs."""

from __future__ import annotations

import copy
import time

from django.conf import settings
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import Park

#: Codes held at most (a crawl of made-up codes empties the memory rather than filling it).
LIMIT = 1000

_held: dict[str, tuple[float, Park | None]] = {}


def park_by_code(code: str) -> Park | None:
    """The park printed as ``code`` (active or not), or None; a copy of its own for each caller."""
    now = time.monotonic()
    held = _held.get(code)
    if held is None or now - held[0] >= settings.PRINTED_PARK_SECONDS:
        if len(_held) >= LIMIT:
            _held.clear()
        held = _held[code] = (now, Park.objects.filter(code=code).first())
    return copy.copy(held[1])


@receiver(post_save, sender=Park, dispatch_uid="parks.printed.saved")
@receiver(post_delete, sender=Park, dispatch_uid="parks.printed.deleted")
def forget(**kwargs) -> None:
    _held.clear()
