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


@shared_task(
    name="core.email_notification",
    bind=True,
    autoretry_for=(OSError,),
    retry_backoff=30,
    retry_backoff_max=60 * 60,
    retry_jitter=True,
    max_retries=8,
)
def email_notification(self, notification_id: int) -> bool:
    """E-mail a copy of an inbox entry. SMTP trouble (OSError covers smtplib's errors) retries with
    back-off; the inbox entry exists whatever happens here."""
    from django.conf import settings
    from django.core.mail import send_mail
    from django.db.models import F
    from django.utils import timezone

    from .models import Notification

    notification = Notification.objects.select_related("recipient").filter(pk=notification_id).first()
    if notification is None or notification.emailed_at is not None or not notification.recipient.email:
        return False
    Notification.objects.filter(pk=notification_id).update(email_attempts=F("email_attempts") + 1)
    link = (
        f"\n\n{settings.PUBLIC_BASE_URL.rstrip('/')}{notification.link}"
        if notification.link and settings.PUBLIC_BASE_URL
        else ""
    )
    send_mail(
        subject=f"{settings.EMAIL_SUBJECT_PREFIX}{notification.title}",
        message=f"{notification.body}{link}",
        from_email=None,
        recipient_list=[notification.recipient.email],
    )
    Notification.objects.filter(pk=notification_id).update(emailed_at=timezone.now())
    return True


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
    """Large exports are kept EXPORT_KEEP_DAYS days; uploads waiting for an import confirmation one day."""
    import datetime

    from django.conf import settings
    from django.utils import timezone

    from .models import ExportFile
    from .uploads import private_storage

    now = timezone.now()
    old_exports = ExportFile.objects.filter(uploaded_at__lt=now - datetime.timedelta(days=settings.EXPORT_KEEP_DAYS))
    exports = 0
    for export in old_exports:
        if export.file:
            export.file.delete(save=False)
        export.delete()
        exports += 1
    storage, imports = private_storage(), 0
    try:
        _dirs, names = storage.listdir("imports")
    except FileNotFoundError:
        names = []
    for name in names:
        path = f"imports/{name}"
        try:
            modified = storage.get_modified_time(path)
        except (NotImplementedError, FileNotFoundError):
            continue
        if modified < now - datetime.timedelta(days=1):
            storage.delete(path)
            imports += 1
    return {"exports": exports, "imports": imports}
