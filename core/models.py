"""What every app shares: the in-app inbox, the record that makes each reminder go out once, and the
base of private attachments."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from .uploads import CheckedFile, private_storage


class NotificationQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)

    def for_user(self, user):
        return self.filter(recipient=user)


class Notification(models.Model):
    """One message in a user's inbox. Its e-mail copy, if the recipient has an address, is an
    ``OutgoingEmail`` row written with it; the inbox entry never waits for the mail."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
        db_index=False,
    )
    kind = models.CharField(_("kind"), max_length=40)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("message"), blank=True)
    link = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    is_late = models.BooleanField(
        _("sent late"), default=False, help_text=_("Caught up after a day the job did not run.")
    )

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return self.title


class OutgoingEmail(models.Model):
    """The outbox: the e-mail copy of a notification, written in the same transaction as the inbox entry
    and delivered by a worker (core.outbox). A row is claimed with a conditional UPDATE before it is sent,
    so it goes out once however often it is queued; the sweep queues again what a dead broker or worker
    left pending."""

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        SENDING = "sending", _("sending")
        SENT = "sent", _("sent")
        FAILED = "failed", pgettext_lazy("e-mail", "failed")

    notification = models.OneToOneField(
        Notification, verbose_name=_("notification"), on_delete=models.CASCADE, related_name="email"
    )
    to = models.EmailField(_("recipient's address"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    # When the sweep may queue it (again): a minute after it was last queued, later after a failed try.
    next_attempt_at = models.DateTimeField(_("next attempt at"), default=timezone.now)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outbox")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.to}: {self.notification.title}"


class Reminder(models.Model):
    """The claim that a reminder of ``kind`` about an object, for ``day``, went to ``recipient``.

    The unique constraint is what makes the daily job exactly-once: a second run, a retry or a second
    beat inserts nothing and so notifies nobody twice.
    """

    content_type = models.ForeignKey(
        ContentType, verbose_name=_("object type"), on_delete=models.CASCADE, db_index=False
    )
    object_id = models.PositiveBigIntegerField(_("object id"))
    kind = models.CharField(_("kind"), max_length=40)
    day = models.DateField(_("day"))
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE, related_name="+"
    )
    # The message that carried it: one per person per run, so a digest carries several claims.
    notification = models.ForeignKey(
        Notification, verbose_name=_("notification"), on_delete=models.SET_NULL, null=True, related_name="reminders"
    )
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)
    is_late = models.BooleanField(_("sent late"), default=False)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "kind", "day", "recipient"],
                name="reminder_once_per_object_kind_day",
            )
        ]

    def __str__(self) -> str:
        return f"{self.day} → {self.recipient}"


class ReminderRun(models.Model):
    """One day the reminder job has completed, so that a day missed is caught up."""

    day = models.DateField(_("day"), unique=True)
    finished_at = models.DateTimeField(_("finished at"), default=timezone.now)
    sent = models.PositiveIntegerField(_("reminders sent"), default=0)

    class Meta:
        verbose_name = _("reminder run")
        verbose_name_plural = _("reminder runs")
        ordering = ["-day"]

    def __str__(self) -> str:
        return str(self.day)


class PrivateAttachment(models.Model):
    """A file checked by its bytes (core.uploads) and kept in private storage; views stream it after
    checking access."""

    file = models.FileField(_("file"), storage=private_storage, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("file type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.original_name

    def store(self, checked: CheckedFile, folder: str) -> None:
        self.original_name = checked.original_name
        self.content_type = checked.kind.content_type
        self.size = checked.upload.size
        self.file.save(checked.storage_name(folder), checked.upload, save=False)
        self.save()


class ExportFile(PrivateAttachment):
    """A large export written by a Celery task; only the user who asked for it can download it.

    The row exists from the request on (``uploaded_at`` is when it was asked for). A run claims it for
    its ``attempt`` and beats ``heartbeat_at`` while writing; the file is attached and the row made
    ``ready`` in one conditional update once the file is complete, so a half-written file is never
    offered. A worker that died leaves the row pending or running without a heartbeat: ``is_stale``,
    shown as stopped and offered again (a new attempt; a redelivered message of an old one does nothing).
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting to be written")
        RUNNING = "running", _("being written")
        READY = "ready", _("ready")
        FAILED = "failed", pgettext_lazy("export", "failed")

    file = models.FileField(storage=private_storage, max_length=200, blank=True)
    size = models.PositiveIntegerField(default=0)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="exports")
    rows = models.PositiveIntegerField(default=0)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    list_name = models.CharField(max_length=60, blank=True)
    query = models.TextField(blank=True)
    # The list's URL arguments (a campaign's findings: {"pk": 7}), for the worker to rebuild the same list.
    view_kwargs = models.JSONField(default=dict, blank=True)
    fmt = models.CharField(max_length=4, default="xlsx")
    attempt = models.PositiveIntegerField(default=1)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("export file")
        verbose_name_plural = _("export files")
        ordering = ["-uploaded_at"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="ready") | ~models.Q(file=""), name="export_ready_has_its_file"
            )
        ]

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("export-download", kwargs={"pk": self.pk})

    def get_status_url(self) -> str:
        from django.urls import reverse

        return reverse("export-status", kwargs={"pk": self.pk})

    @property
    def is_stale(self) -> bool:
        """Waiting or being written, but nothing has moved for EXPORT_STALE_SECONDS: its worker died
        (or its message was lost)."""
        if self.status not in (self.Status.PENDING, self.Status.RUNNING):
            return False
        last = self.heartbeat_at or self.uploaded_at
        return last < timezone.now() - datetime.timedelta(seconds=settings.EXPORT_STALE_SECONDS)

    @property
    def can_retry(self) -> bool:
        return self.status == self.Status.FAILED or self.is_stale


class ImportJob(PrivateAttachment):
    """A large import (more than IMPORT_DIRECT_MAX_ROWS rows), checked and saved by a Celery worker; only
    the user who uploaded it sees it (core.import_jobs).

    The uploaded file is kept in private storage until the import is saved. Like ``ExportFile``, a run
    claims the row for its ``attempt`` and beats ``heartbeat_at``; one that stopped beating for
    EXPORT_STALE_SECONDS (its worker died) is offered again, and nothing is lost: the check changes
    nothing and the save is one transaction."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("waiting to be checked")
        CHECKING = "checking", _("being checked")
        CHECKED = "checked", _("checked")
        SAVING = "saving", _("being saved")
        DONE = "done", _("imported")
        FAILED = "failed", pgettext_lazy("import", "failed")

    RUNNING = (Status.QUEUED, Status.CHECKING, Status.SAVING)

    file = models.FileField(storage=private_storage, max_length=200, blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="import_jobs")
    importer = models.CharField(max_length=60)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    rows_total = models.PositiveIntegerField(default=0)
    rows_checked = models.PositiveIntegerField(default=0)
    report = models.JSONField(default=dict, blank=True)  # core.imports.Report.as_json()
    problem = models.TextField(blank=True)  # why it failed, as the user reads it
    attempt = models.PositiveIntegerField(default=1)
    queued_at = models.DateTimeField(default=timezone.now)  # when this attempt was sent to a worker
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")
        ordering = ["-uploaded_at"]

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("imports:job", kwargs={"pk": self.pk})

    @property
    def is_stale(self) -> bool:
        """Waiting or running, but nothing has moved for EXPORT_STALE_SECONDS: its worker died (or its
        message was lost)."""
        if self.status not in self.RUNNING:
            return False
        last = self.heartbeat_at or self.queued_at
        return last < timezone.now() - datetime.timedelta(seconds=settings.EXPORT_STALE_SECONDS)

    @property
    def can_retry(self) -> bool:
        return self.status == self.Status.FAILED or self.is_stale


class CalendarDay(models.Model):
    """A day of the State Council's holiday arrangement entered by the commission: a holiday (放假) or a
    make-up working day (调休上班). Entries take precedence over the ``chinese-calendar`` package, so a year
    the package does not know yet is kept current by entering it (core.workdays, core.calendar)."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("Holiday")
        WORKDAY = "workday", _("Make-up working day")

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices)
    name = models.CharField(
        pgettext_lazy("holiday", "name"), max_length=50, help_text=_("For example 春节 or 春节调休上班.")
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {self.get_kind_display()} {self.name}"

    @property
    def is_working_day(self) -> bool:
        return self.kind == self.Kind.WORKDAY

    def clean(self) -> None:
        super().clean()
        if self.date and self.kind == self.Kind.WORKDAY and self.date.weekday() < 5:
            raise ValidationError(
                {
                    "kind": _("%(date)s is a weekday: only a Saturday or Sunday can be a make-up working day.")
                    % {"date": self.date.isoformat()}
                }
            )
