"""Celery plumbing shared by every app.

Tasks stay thin (take ids, call a service) and are enqueued with ``enqueue_on_commit`` so that a worker
never looks for rows that the enqueuing transaction has not committed yet.
"""

from __future__ import annotations

from typing import Any

from celery import shared_task
from django.db import transaction


def enqueue_on_commit(task, *args: Any, **kwargs: Any) -> None:
    """Send ``task`` to the broker once the current transaction commits (at once outside one)."""
    transaction.on_commit(lambda: task.delay(*args, **kwargs))


@shared_task(name="core.worker_selfcheck")
def worker_selfcheck(park_id: int | None = None) -> dict[str, Any]:
    """Proves that a worker is up and sees the same database as the web: used by ``check_worker`` and
    the tests. Returns what the worker read."""
    from parks.models import Park

    park = Park.objects.filter(pk=park_id).values("code", "name").first() if park_id else None
    return {"parks": Park.objects.count(), "park": park}
