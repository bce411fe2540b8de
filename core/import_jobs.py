"""Large imports, off the web request: a file with more than IMPORT_DIRECT_MAX_ROWS rows is kept in
private storage as an ``ImportJob`` and checked by a Celery worker, which reports how many rows it has
checked; the user sees the same preview as for a small file, and the confirmed save runs in the worker
too — one transaction, taking turns with other imports of the ledger (core.imports.run). The inbox says
when the check and the save are done.

Like a large export (core.exports), a run claims the job for its ``attempt`` with a conditional update
and beats ``heartbeat_at``: a redelivered message runs only if the first run stopped beating, one of a
superseded attempt not at all. When the broker cannot be reached, nothing is queued and nothing lost:
the job says so and keeps the file for "try again".
"""

from __future__ import annotations

import datetime
import logging
import time
import uuid

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .exports import CONTENT_TYPES, Heartbeat
from .imports import REGISTRY, Importer, Report, autodiscover, check, run
from .models import ImportJob
from .notifications import notify
from .tasks import check_import, publish, save_import

logger = logging.getLogger(__name__)
S = ImportJob.Status

# Sent, or the broker could not be reached (nothing queued), or the job is not in a state for it.
SENT, BROKER_DOWN, NOT_NOW = "sent", "broker_down", "not_now"
PROGRESS_SECONDS = 0.5  # the rows checked are written at most this often


def broker_down_message() -> str:
    return _(
        "The background service that checks large files cannot be reached, so nothing was imported. The file "
        "is kept: try again in a few minutes, or split it into files of at most %(rows)d rows, which are "
        "checked at once."
    ) % {"rows": settings.IMPORT_DIRECT_MAX_ROWS}


def import_job_start(*, importer: Importer, filename: str, data: bytes) -> tuple[ImportJob, str]:
    """Keep the file and send it to a worker to be checked; (the job, SENT or BROKER_DOWN)."""
    extension = filename.rsplit(".", 1)[-1].lower()
    job = ImportJob(
        user=importer.actor,
        importer=importer.name,
        original_name=filename[:200],
        content_type=CONTENT_TYPES.get(extension, "application/octet-stream"),
        size=len(data),
    )
    job.file.save(f"import-jobs/{importer.actor.pk}/{uuid.uuid4().hex}.{extension}", ContentFile(data), save=False)
    job.save()  # committed here (no request-wide transaction): the worker finds it
    return job, _send(job, check_import, job.attempt)


def import_job_confirm(*, user, job: ImportJob) -> str:
    """Send a checked job with no errors to a worker to be saved (a new attempt)."""
    if not Report.from_json(job.report).ok:
        return NOT_NOW
    confirmed = ImportJob.objects.filter(pk=job.pk, user=user, status=S.CHECKED, attempt=job.attempt).update(
        status=S.SAVING, attempt=F("attempt") + 1, heartbeat_at=None, queued_at=timezone.now()
    )
    if not confirmed:  # a double click: the first one sent it
        return NOT_NOW
    job.refresh_from_db()
    return _send(job, save_import, job.attempt, back_to=S.CHECKED)


def import_job_retry(*, user, job: ImportJob) -> str:
    """Check again, from the kept file, a job that failed or whose worker died (a new attempt)."""
    stale_before = timezone.now() - datetime.timedelta(seconds=settings.EXPORT_STALE_SECONDS)
    retried = (
        ImportJob.objects.filter(pk=job.pk, user=user, attempt=job.attempt)
        .exclude(file="")
        .filter(
            Q(status=S.FAILED)
            | Q(status__in=ImportJob.RUNNING, heartbeat_at__lt=stale_before)
            | Q(status__in=ImportJob.RUNNING, heartbeat_at__isnull=True, queued_at__lt=stale_before)
        )
        .update(
            status=S.QUEUED,
            attempt=F("attempt") + 1,
            heartbeat_at=None,
            queued_at=timezone.now(),
            problem="",
            rows_checked=0,
            report={},
        )
    )
    if not retried:
        return NOT_NOW
    job.refresh_from_db()
    return _send(job, check_import, job.attempt)


def _send(job: ImportJob, task, attempt: int, back_to: str | None = None) -> str:
    """Publish at once, not on commit: there is no request-wide transaction, and whether the broker took
    the message decides what the user is told. Not taken: the job fails with the reason (or, for a
    confirmation, goes back to ``back_to``) and keeps its file."""
    if publish(task, job.pk, attempt):
        return SENT
    unsent = ImportJob.objects.filter(pk=job.pk, attempt=attempt, heartbeat_at__isnull=True)
    if back_to:
        unsent.update(status=back_to)
    else:
        unsent.update(status=S.FAILED, problem=broker_down_message(), finished_at=timezone.now())
    return BROKER_DOWN


# --- in the worker -------------------------------------------------------------------------------------


def _claim(job_id: int, attempt: int, status: str) -> bool:
    """Take the job for this attempt: not yet taken, or taken by a run that stopped beating (died)."""
    now = timezone.now()
    stale_before = now - datetime.timedelta(seconds=settings.EXPORT_STALE_SECONDS)
    jobs = ImportJob.objects.filter(pk=job_id, attempt=attempt)
    if status == S.CHECKING:
        jobs = jobs.filter(Q(status=S.QUEUED) | Q(status=S.CHECKING, heartbeat_at__lt=stale_before))
    else:
        jobs = jobs.filter(status=status).filter(Q(heartbeat_at__isnull=True) | Q(heartbeat_at__lt=stale_before))
    return bool(jobs.update(status=status, heartbeat_at=now))


def _open(job: ImportJob) -> tuple[Importer, bytes]:
    autodiscover()
    importer_class = REGISTRY[job.importer]
    if not importer_class.permission(job.user):
        raise PermissionError(f"{job.user} may no longer use the {job.importer} import")
    with job.file.open("rb") as stored:
        return importer_class(job.user), stored.read()


def _progress(claimed):
    """``check``'s progress callback: the rows checked (and a heartbeat), at most every PROGRESS_SECONDS."""
    last = [0.0]

    def record(checked: int, total: int) -> None:
        now = time.monotonic()
        if checked in (0, total) or now - last[0] >= PROGRESS_SECONDS:
            last[0] = now
            claimed.update(rows_checked=checked, rows_total=total, heartbeat_at=timezone.now())

    return record


def _fail(job: ImportJob, claimed, problem: str) -> None:
    logger.exception("import job %s failed: %s", job.pk, problem)
    if claimed.update(status=S.FAILED, problem=problem, finished_at=timezone.now()):
        notify(job.user, kind="import_failed", title=problem, link=job.get_absolute_url())


def import_job_check(*, job_id: int, attempt: int) -> Report | None:
    """Check the job's file (the task's body), writing the rows checked as it goes; the preview is kept
    on the job and the inbox told. None when this attempt is not (or no longer) the one to run."""
    if not _claim(job_id, attempt, S.CHECKING):
        return None
    job = ImportJob.objects.select_related("user").get(pk=job_id)
    claimed = ImportJob.objects.filter(pk=job_id, attempt=attempt, status=S.CHECKING)
    try:
        importer, data = _open(job)
        with Heartbeat(claimed):
            report = check(importer, job.original_name, data, progress=_progress(claimed))
    except Exception:
        _fail(
            job, claimed, _("The file could not be checked: an error on the server. Nothing was imported; try again.")
        )
        return None
    done = claimed.update(status=S.CHECKED, report=report.as_json(), rows_checked=report.total, rows_total=report.total)
    if done:
        if report.ok:
            title = _("%(file)s is checked: %(rows)d rows are ready; open it to confirm the import.")
        else:
            title = _("%(file)s is checked: %(rows)d rows have errors; nothing was imported.")
        rows = report.total if report.ok else report.count("error")
        notify(job.user, kind="import_checked", title=title % {"file": job.original_name, "rows": rows},
               link=job.get_absolute_url())  # fmt: skip
    return report


def import_job_save(*, job_id: int, attempt: int) -> Report | None:
    """Save a confirmed job (the task's body): checked again and saved in one transaction, which also
    marks the job done and tells the inbox; if the data changed meanwhile, the job shows the new errors
    and nothing is saved. None when this attempt is not (or no longer) the one to run."""
    if not _claim(job_id, attempt, S.SAVING):
        return None
    job = ImportJob.objects.select_related("user").get(pk=job_id)
    claimed = ImportJob.objects.filter(pk=job_id, attempt=attempt, status=S.SAVING)
    try:
        importer, data = _open(job)
        # The heartbeat outlives the transaction: it stops only after the commit releases the job's row.
        with Heartbeat(claimed), transaction.atomic():
            report = run(importer, job.original_name, data)
            if report.ok:
                claimed.update(status=S.DONE, report=report.as_json(), finished_at=timezone.now())
                counts = {status: report.count(status) for status in ("new", "updated", "unchanged")}
                title = _("%(file)s is imported: %(new)d new, %(updated)d updated, %(unchanged)d unchanged.")
                notify(job.user, kind="import_done", title=title % {"file": job.original_name, **counts},
                       body="\n".join(str(note) for note in importer.notes()), link=job.get_absolute_url())  # fmt: skip
            else:
                claimed.update(status=S.CHECKED, report=report.as_json())
                notify(job.user, kind="import_checked", link=job.get_absolute_url(),
                       title=_("%(file)s was not imported: the data changed since the check, see the errors.")
                       % {"file": job.original_name})  # fmt: skip
    except Exception:
        _fail(job, claimed, _("The file could not be saved: an error on the server. Nothing was imported; try again."))
        return None
    if report.ok:  # committed: the kept file is done with
        job.file.delete(save=False)
        ImportJob.objects.filter(pk=job_id).update(file="")
    return report
