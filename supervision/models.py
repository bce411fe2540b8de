"""Special supervisors (特约监察员 / 廉情监督员): their appointments to parks, and the observations (廉情信息)
they file about those parks.

Scope: commission admins see everything; inspectors the appointments and observations of their parks; a
supervisor their own; park officers and enterprise users nothing (a supervisor reports on the park's own
officials, so its officers do not learn who supervises them nor what was reported)."""

from __future__ import annotations

import datetime
from typing import Self

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import PrivateAttachment
from core.scoping import ScopedQuerySet

from .choices import AppointmentSource, AppointmentStatus, ObservationCategory, ObservationStatus, ObservationStepKind


class SupervisorScopedQuerySet(ScopedQuerySet):
    """``core.scoping`` for the supervision rows: a supervisor sees the rows that are theirs
    (``supervisor_path``), a park officer none; every other role as everywhere."""

    supervisor_path = "supervisor"

    def visible_to(self, user) -> Self:
        if user is not None and getattr(user, "is_supervisor", False):
            return self.filter(**{self.supervisor_path: user.pk})
        return super().visible_to(user)

    def officer_filter(self, user) -> Self:
        return self.none()


class AppointmentQuerySet(SupervisorScopedQuerySet):
    park_path = "parks"
    multi_park = True

    @staticmethod
    def current_q(today: datetime.date) -> Q:
        """Serving today: not ended, and today within the term."""
        return Q(status=AppointmentStatus.SERVING, starts_on__lte=today, ends_on__gte=today)

    def current(self, today: datetime.date | None = None) -> Self:
        return self.filter(self.current_q(today or timezone.localdate()))


class Appointment(models.Model):
    """A supervisor appointed by the commission to one or more parks for a term."""

    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("supervisor"),
        on_delete=models.PROTECT,
        related_name="appointments",
        limit_choices_to={"role": "supervisor"},
        db_index=False,
    )
    parks = models.ManyToManyField("parks.Park", verbose_name=_("parks"), related_name="supervisor_appointments")
    source = models.CharField(_("appointed from"), max_length=15, choices=AppointmentSource.choices)
    starts_on = models.DateField(_("term starts on"))
    ends_on = models.DateField(_("term ends on"))
    status = models.CharField(
        _("status"), max_length=10, choices=AppointmentStatus.choices, default=AppointmentStatus.SERVING
    )
    ended_on = models.DateField(_("dismissed on"), null=True, blank=True)
    end_reason = models.TextField(_("reason for dismissal"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords(m2m_fields=[parks])
    objects = AppointmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("supervisor appointment")
        verbose_name_plural = _("supervisor appointments")
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="appointment_ends_after_start"
            ),
            models.UniqueConstraint(fields=["supervisor", "starts_on"], name="appointment_one_term_per_start"),
        ]

    def __str__(self) -> str:
        return f"{self.supervisor} {self.starts_on}—{self.ends_on}"

    def get_absolute_url(self) -> str:
        return reverse("supervision:appointment-detail", kwargs={"pk": self.pk})

    @property
    def park_names(self) -> str:
        return "、".join(park.name for park in self.parks.all())

    def status_on(self, today: datetime.date | None = None) -> str:
        """The status as of today: a serving appointment whose term has passed reads as expired."""
        today = today or timezone.localdate()
        if self.status == AppointmentStatus.SERVING and self.ends_on < today:
            return AppointmentStatus.EXPIRED
        return self.status

    def get_status_now_display(self) -> str:
        return AppointmentStatus(self.status_on()).label

    def clean(self) -> None:
        super().clean()
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("A term cannot end before it starts.")})
        if self.supervisor_id and self.supervisor.role != "supervisor":
            raise ValidationError({"supervisor": _("Only a user with the supervisor role can be appointed.")})


class ObservationQuerySet(SupervisorScopedQuerySet):
    park_path = "park"


class Observation(models.Model):
    """What a supervisor saw (廉情信息), handled by the park's inspectors: accepted as a finding, asked back
    for more, or filed away with a reason."""

    park = models.ForeignKey(
        "parks.Park", verbose_name=_("park"), on_delete=models.PROTECT, related_name="+", db_index=False
    )
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("supervisor"), on_delete=models.PROTECT, related_name="observations"
    )
    appointment = models.ForeignKey(
        Appointment, verbose_name=_("appointment"), on_delete=models.PROTECT, related_name="observations"
    )
    category = models.CharField(_("category"), max_length=12, choices=ObservationCategory.choices)
    description = models.TextField(_("what was seen"))
    place = models.CharField(_("where"), max_length=200)
    unit_named = models.CharField(
        _("unit or official concerned"), max_length=200, blank=True, help_text=_("Department, unit or person.")
    )
    occurred_on = models.DateField(_("when it happened"))
    status = models.CharField(
        _("status"), max_length=12, choices=ObservationStatus.choices, default=ObservationStatus.SUBMITTED
    )
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    counted_from = models.DateField(_("time limit counted from"), null=True, blank=True)
    due_on = models.DateField(_("to be handled by"), null=True, blank=True)
    times_asked = models.PositiveSmallIntegerField(_("times asked for more"), default=0)
    decided_at = models.DateTimeField(_("handled at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handled by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    filed_reason = models.TextField(_("reason for filing"), blank=True)
    finding = models.OneToOneField(
        "inspections.Finding",
        verbose_name=_("finding"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="observation",
    )

    history = HistoricalRecords()
    objects = ObservationQuerySet.as_manager()

    class Meta:
        verbose_name = _("observation")
        verbose_name_plural = _("observations")
        ordering = ["-submitted_at", "-pk"]
        indexes = [models.Index(fields=["park", "status"], name="observation_park_status")]

    def __str__(self) -> str:
        return f"{self.get_category_display()}：{self.description[:40]}"

    def get_absolute_url(self) -> str:
        return reverse("supervision:observation-detail", kwargs={"pk": self.pk})

    def clean(self) -> None:
        super().clean()
        if self.occurred_on and self.occurred_on > timezone.localdate():
            raise ValidationError({"occurred_on": _("This date is in the future.")})


class ObservationAttachment(PrivateAttachment):
    observation = models.ForeignKey(
        Observation, verbose_name=_("observation"), on_delete=models.CASCADE, related_name="attachments"
    )

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at", "pk"]

    def get_absolute_url(self) -> str:
        return reverse("supervision:attachment", kwargs={"pk": self.pk})


class ObservationStep(models.Model):
    """One step of an observation's life, with what was said: the question asked back, the answer, the
    reason for filing."""

    observation = models.ForeignKey(
        Observation, verbose_name=_("observation"), on_delete=models.CASCADE, related_name="steps"
    )
    step = models.CharField(_("step"), max_length=10, choices=ObservationStepKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(_("note"), blank=True)
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("observation step")
        verbose_name_plural = _("observation steps")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_step_display()} {self.at:%Y-%m-%d}"
