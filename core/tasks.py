"""Celery plumbing shared by every app.

Tasks stay thin (take ids, call a service) and are enqueued with ``enqueue_on_commit`` so that a worker
never looks for rows that the enqueuing transaction has not committed yet.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from celery import shared_task
from django.db import transaction
from kombu.exceptions import OperationalError

logger = logging.getLogger("core.tasks")

# After a failed publish, further ones in this process are not even tried for this long: a dead broker
# must not cost every notification of a request its connection timeout.
BROKER_DOWN_SECONDS = 10.0
_broker_down_until = 0.0


def enqueue_on_commit(task, *args: Any, **kwargs: Any) -> None:
    """Send ``task`` to the broker once the current transaction commits (at once outside one).

    The transaction has committed by then, so a broker that cannot be reached must not turn the request
    into an error: the failure is logged and the work is left to whoever sweeps for it (the e-mail outbox
    does, core.outbox)."""
    transaction.on_commit(lambda: publish(task, *args, **kwargs))


def publish(task, *args: Any, **kwargs: Any) -> bool:
    """``task.delay`` that logs, instead of raising, a broker that is down. True when it was sent."""
    global _broker_down_until
    if task.app.conf.task_always_eager:
        task.delay(*args, **kwargs)  # in-process: the task's own errors are the caller's to see
        return True
    if time.monotonic() < _broker_down_until:
        logger.warning("Broker down: %s%r not queued (the next try is after the pause).", task.name, args)
        return False
    try:
        task.delay(*args, **kwargs)
    except (OperationalError, OSError) as error:
        _broker_down_until = time.monotonic() + BROKER_DOWN_SECONDS
        logger.warning("Broker unreachable: %s%r not queued: %s", task.name, args, error)
        return False
    return True


def broker_reachable_again() -> None:
    """Forget a recent broker failure (tests; the pause ends by itself after BROKER_DOWN_SECONDS)."""
    global _broker_down_until
    _broker_down_until = 0.0


@shared_task(name="core.deliver_email")
def deliver_email(email_id: int) -> bool:
    """Send one outbox row (core.outbox): claimed first, so a row queued twice goes out once. A failed
    try is not retried here: the row goes back to pending with a back-off and the sweep queues it."""
    from .outbox import outbox_deliver

    return outbox_deliver(email_id)


@shared_task(name="core.sweep_outbox")
def sweep_outbox() -> int:
    """Every minute (Celery beat): queue again the e-mails still pending, e.g. after the broker was down."""
    from .outbox import outbox_sweep

    return outbox_sweep()


@shared_task(name="core.send_reminders")
def send_reminders_task() -> dict:
    """The daily reminder job (Celery beat, REMINDER_TIME). Safe to run twice: nothing goes out twice."""
    from .reminders import send_reminders

    result = send_reminders()
    return {"days": [day.isoformat() for day in result.days], "sent": result.sent, "late": result.late}


@shared_task(name="core.export_list", time_limit=60 * 60)
def export_list(export_id: int, attempt: int) -> int | None:
    """Write a large export to private storage and tell the user where to download it (see
    ``core.exports.export_run``: safe to deliver twice)."""
    from .exports import export_run

    return export_run(export_id=export_id, attempt=attempt)


@shared_task(name="core.clear_sessions")
def clear_sessions() -> None:
    """Delete expired sessions (Django keeps them in the database until told): nightly, Celery beat."""
    from django.core.management import call_command

    call_command("clearsessions")


@shared_task(name="core.remove_stale_files")
def remove_stale_files() -> dict:
    """Large exports and import jobs are kept EXPORT_KEEP_DAYS days; uploads waiting for an import
    confirmation one day."""
    from .uploads import stale_files_remove

    return stale_files_remove()


@shared_task(ignore_result=True)
def calendar_recompute_again(first: str, last: str) -> None:
    """The second recomputation after a change of the working-day calendar (core.calendar)."""
    import datetime

    from . import workdays
    from .calendar import recompute_deadlines

    workdays.forget()
    moved = recompute_deadlines(datetime.date.fromisoformat(first), datetime.date.fromisoformat(last))
    if moved:
        logger.warning("Calendar change %s…%s: %d deadline(s) set meanwhile were corrected: %s", first, last,
                       len(moved), "; ".join(str(item) for item in moved))  # fmt: skip


@shared_task(name="core.check_import", time_limit=30 * 60)
def check_import(job_id: int, attempt: int) -> None:
    """Check a large import's file and keep its preview (core.import_jobs; safe to deliver twice)."""
    from .import_jobs import import_job_check

    import_job_check(job_id=job_id, attempt=attempt)


@shared_task(name="core.save_import", time_limit=30 * 60)
def save_import(job_id: int, attempt: int) -> None:
    """Save a confirmed large import, all rows or none (core.import_jobs; safe to deliver twice)."""
    from .import_jobs import import_job_save

    import_job_save(job_id=job_id, attempt=attempt)
