from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from core.models import PrivateAttachment
from core.scoping import ScopedQuerySet
from risks.choices import RiskDomain

from .choices import (
    OPEN_TASK_STATUSES,
    UNVERIFIED_TASK_STATUSES,
    Campaign,
    DemandKind,
    FindingSeverity,
    FindingSource,
    InspectionKind,
    InspectionStatus,
    MeasureKind,
    TaskStatus,
)

ZERO = Decimal("0.00")


class InspectionQuerySet(ScopedQuerySet):
    park_path = "parks"
    multi_park = True


class Inspection(models.Model):
    """An inspection tour or a supervision action over one or more parks."""

    kind = models.CharField(_("kind"), max_length=20, choices=InspectionKind.choices)
    title = models.CharField(_("title"), max_length=200)
    parks = models.ManyToManyField("parks.Park", verbose_name=_("parks"), related_name="inspections")
    team = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("team"), related_name="inspections", blank=True
    )
    starts_on = models.DateField(pgettext_lazy("inspection dates", "from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=15, choices=InspectionStatus.choices, default=InspectionStatus.PLANNED
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords(m2m_fields=[parks, team])
    objects = InspectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="inspection_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("inspections:inspection-detail", kwargs={"pk": self.pk})

    @property
    def park_names(self) -> str:
        return "、".join(park.name for park in self.parks.all())

    def clean(self) -> None:
        super().clean()
        if self.ends_on and self.starts_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("An inspection cannot end before it starts.")})


class FindingQuerySet(ScopedQuerySet):
    park_path = "park"

    def with_complaint_visibility(self, user) -> FindingQuerySet:
        """Annotate ``complaint_visible``: may ``user`` open the finding's complaint? Every officer of the
        park reads a finding, but a complaint only the officer it is assigned to — the complaints' own
        scoping decides, so a finding links its complaint only for those."""
        from complaints.models import Complaint

        visible = Complaint.objects.visible_to(user).filter(pk=OuterRef("complaint_id"))
        return self.annotate(complaint_visible=Exists(visible))


class Finding(models.Model):
    """A problem found (问题): by an inspection, from an alert, a complaint or a visit."""

    park = models.ForeignKey("parks.Park", verbose_name=_("park"), on_delete=models.PROTECT, related_name="findings")
    inspection = models.ForeignKey(
        Inspection,
        verbose_name=_("inspection"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="findings",
    )
    source = models.CharField(
        _("source"), max_length=12, choices=FindingSource.choices, default=FindingSource.INSPECTION
    )
    alert = models.OneToOneField(
        "risks.Alert", verbose_name=_("alert"), on_delete=models.PROTECT, null=True, blank=True, related_name="finding"
    )
    complaint = models.ForeignKey(
        "complaints.Complaint",
        verbose_name=_("complaint"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="findings",
    )
    visit = models.ForeignKey(
        "inspections.Visit",
        verbose_name=_("visit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="findings",
    )
    description = models.TextField(_("finding"))
    category = models.CharField(_("category"), max_length=20, choices=RiskDomain.choices)
    severity = models.CharField(
        _("severity"), max_length=10, choices=FindingSeverity.choices, default=FindingSeverity.GENERAL
    )
    responsible_unit = models.CharField(_("responsible unit"), max_length=100)
    found_on = models.DateField(_("found on"), default=timezone.localdate)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords()
    objects = FindingQuerySet.as_manager()

    class Meta:
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        ordering = ["-found_on", "-pk"]
        constraints = [
            # What the tasks' (finding, park) reference, so that a task's park is always its finding's.
            models.UniqueConstraint(fields=["id", "park"], name="finding_id_park"),
        ]

    def __str__(self) -> str:
        return self.description[:50]

    def get_absolute_url(self) -> str:
        return reverse("inspections:finding-detail", kwargs={"pk": self.pk})

    def clean(self) -> None:
        super().clean()
        if self.inspection_id and self.park_id and not self.inspection.parks.filter(pk=self.park_id).exists():
            raise ValidationError({"park": _("This park is not covered by the inspection.")})


class TaskQuerySet(ScopedQuerySet):
    # The task's own copy of its finding's park (``RectificationTask.park``): scoping, the figures and the
    # lists filter one column of the task, with no join to the findings.
    park_path = "park"

    def officer_filter(self, user):
        # Officers see the tasks they own (and nothing else of the park's rectification work).
        return self.filter(owner=user)

    # The task figures, each written once as a condition for a filter (the board) and an aggregate
    # (the dashboard, the park page): open means not yet verified (未销号), submitted ones included.

    @staticmethod
    def unverified_q() -> Q:
        return Q(status__in=UNVERIFIED_TASK_STATUSES)

    @staticmethod
    def overdue_q(today: datetime.date) -> Q:
        return TaskQuerySet.unverified_q() & Q(deadline__lt=today)

    def unverified(self):
        return self.filter(self.unverified_q())

    def overdue(self, today=None):
        return self.filter(self.overdue_q(today or timezone.localdate()))


#: 0 for a task not yet verified, 1 once verified: the board lists open tasks first. The expression is
#: indexed (``task_board_order``), so it is written once, here.
TASK_VERIFIED_LAST = models.Case(
    models.When(status=TaskStatus.VERIFIED, then=models.Value(1)),
    default=models.Value(0),
    output_field=models.IntegerField(),
)


class RectificationTask(models.Model):
    finding = models.ForeignKey(Finding, verbose_name=_("finding"), on_delete=models.CASCADE, related_name="tasks")
    # Always the finding's park: set by ``save()`` from the finding, and held so by the database — the pair
    # (finding, park) references the finding's (id, park) with ON UPDATE CASCADE (``task_park_is_findings``,
    # migration 0008), so a task can never name another park and follows its finding when that one moves.
    # Indexed only in the composite indexes below, which lead with it.
    park = models.ForeignKey(
        "parks.Park",
        verbose_name=_("park"),
        on_delete=models.PROTECT,
        related_name="rectification_tasks",
        editable=False,
        db_index=False,
    )
    measures = models.TextField(_("rectification measures"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="rectification_tasks"
    )
    deadline = models.DateField(_("deadline"))
    status = models.CharField(_("status"), max_length=12, choices=TaskStatus.choices, default=TaskStatus.ASSIGNED)
    evidence = models.TextField(_("evidence of rectification"), blank=True)
    recovered_losses = models.DecimalField(
        _("economic losses recovered (yuan)"),
        max_digits=16,
        decimal_places=2,
        default=ZERO,
        validators=[MinValueValidator(ZERO)],
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verified by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    return_reason = models.TextField(_("why it was returned"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords()
    objects = TaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("rectification task")
        verbose_name_plural = _("rectification tasks")
        ordering = ["deadline", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(recovered_losses__gte=0), name="task_recovered_non_negative"),
            models.CheckConstraint(
                condition=~Q(status=TaskStatus.VERIFIED) | ~Q(verified_by=models.F("owner")),
                name="task_owner_never_verifies",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "deadline"]),
            # The board's order (inspections.selectors.task_board), so that a page reads 25 index entries.
            models.Index(TASK_VERIFIED_LAST, "deadline", "id", name="task_board_order"),
            # The default order (Meta.ordering: the API's list, an owner's tasks), likewise.
            models.Index(fields=["deadline", "id"], name="task_api_order"),
            # The same two orders within a park: an inspector's or officer's list (scoped by ``park``) reads one
            # park's entries in order, and counts them from the index alone.
            models.Index("park", TASK_VERIFIED_LAST, "deadline", "id", name="task_board_by_park"),
            models.Index(fields=["park", "deadline", "id"], include=["owner"], name="task_api_by_park"),
            # The figures (inspections.selectors.task_figures), read from the index alone: the open tasks, and
            # the verified ones (losses recovered; verified by month for the chart).
            models.Index(
                fields=["park"],
                include=["id", "status", "deadline"],
                condition=Q(status__in=sorted(UNVERIFIED_TASK_STATUSES)),
                name="task_open_figures",
            ),
            models.Index(
                fields=["verified_at"],
                include=["id", "park", "recovered_losses"],
                condition=Q(status=TaskStatus.VERIFIED),
                name="task_verified_figures",
            ),
            # The losses recovered per park (the dashboard): the verified tasks read in park order from the index.
            models.Index(
                fields=["park"],
                include=["id", "status", "recovered_losses"],
                condition=Q(status=TaskStatus.VERIFIED),
                name="task_recovered_by_park",
            ),
            # An officer's desk: their open tasks, the nearest deadline first (desks.selectors.officer_desk).
            models.Index(
                fields=["owner", "deadline", "id"],
                condition=Q(status__in=sorted(OPEN_TASK_STATUSES)),
                name="task_owner_open",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.finding} — {self.owner}"

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if self.finding_id is not None and (update_fields is None or "finding" in update_fields):
            self.park_id = self.finding.park_id
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "park"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("inspections:task-detail", kwargs={"pk": self.pk})

    def clean(self) -> None:
        super().clean()
        if self.deadline and self.finding_id and self.deadline < self.finding.found_on:
            raise ValidationError(
                {
                    "deadline": _("The deadline cannot be before the finding was made (%(date)s).")
                    % {"date": self.finding.found_on.isoformat()}
                }
            )


class TaskAttachment(PrivateAttachment):
    task = models.ForeignKey(
        RectificationTask, verbose_name=_("rectification task"), on_delete=models.CASCADE, related_name="attachments"
    )

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        ordering = ["uploaded_at", "pk"]

    def get_absolute_url(self) -> str:
        return reverse("inspections:attachment", kwargs={"pk": self.pk})


class MeasureQuerySet(ScopedQuerySet):
    park_path = "task__park"


class AccountabilityMeasure(models.Model):
    task = models.ForeignKey(
        RectificationTask, verbose_name=_("task"), on_delete=models.CASCADE, related_name="measures_taken"
    )
    kind = models.CharField(_("measure"), max_length=20, choices=MeasureKind.choices)
    form = models.PositiveSmallIntegerField(
        _("form (1–4)"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(4)],
        help_text=_("For the four forms of discipline: 1 (criticism, reminder talk) to 4 (investigation for crime)."),
    )  # fmt: skip
    person = models.CharField(_("person concerned"), max_length=50)
    position = models.CharField(_("position"), max_length=100, blank=True)
    taken_on = models.DateField(_("date"), default=timezone.localdate)
    note = models.CharField(_("note"), max_length=300, blank=True)

    history = HistoricalRecords()
    objects = MeasureQuerySet.as_manager()

    class Meta:
        verbose_name = _("accountability measure")
        verbose_name_plural = _("accountability measures")
        ordering = ["taken_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind=MeasureKind.FOUR_FORMS) & Q(form__gte=1, form__lte=4))
                | (~Q(kind=MeasureKind.FOUR_FORMS) & Q(form__isnull=True)),
                name="measure_form_only_for_four_forms",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.person}"

    def clean(self) -> None:
        super().clean()
        if self.kind == MeasureKind.FOUR_FORMS and self.form is None:
            raise ValidationError({"form": _("Say which of the four forms (1–4).")})
        if self.kind != MeasureKind.FOUR_FORMS:
            self.form = None


class VisitQuerySet(ScopedQuerySet):
    park_path = "park"
    enterprise_path = "enterprise"


class Visit(models.Model):
    """A visit to an enterprise (万人助万企, 访万企·解难题, 一对一联系)."""

    park = models.ForeignKey("parks.Park", verbose_name=_("park"), on_delete=models.PROTECT, related_name="visits")
    enterprise = models.ForeignKey(
        "parks.Enterprise", verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="visits"
    )
    visitor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("visited by"), on_delete=models.PROTECT, related_name="visits"
    )
    campaign = models.CharField(_("campaign"), max_length=20, choices=Campaign.choices)
    visited_on = models.DateField(_("visit date"), default=timezone.localdate)
    note = models.TextField(_("notes"), blank=True)

    history = HistoricalRecords()
    objects = VisitQuerySet.as_manager()

    class Meta:
        verbose_name = _("enterprise visit")
        verbose_name_plural = _("enterprise visits")
        ordering = ["-visited_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.visited_on}"

    def get_absolute_url(self) -> str:
        return reverse("inspections:visit-detail", kwargs={"pk": self.pk})

    def clean(self) -> None:
        super().clean()
        if self.enterprise_id and self.park_id and self.enterprise.park_id != self.park_id:
            raise ValidationError({"enterprise": _("The enterprise is not in this park.")})


class DemandQuerySet(ScopedQuerySet):
    park_path = "visit__park"
    enterprise_path = "visit__enterprise"


class Demand(models.Model):
    """A demand (诉求) an enterprise raised during a visit, followed until solved."""

    visit = models.ForeignKey(Visit, verbose_name=_("visit"), on_delete=models.CASCADE, related_name="demands")
    kind = models.CharField(_("kind of demand"), max_length=12, choices=DemandKind.choices)
    description = models.TextField(_("demand"))
    solved_on = models.DateField(_("solved on"), null=True, blank=True)
    solution = models.TextField(_("how it was solved"), blank=True)

    history = HistoricalRecords()
    objects = DemandQuerySet.as_manager()

    class Meta:
        verbose_name = _("demand")
        verbose_name_plural = _("demands")
        ordering = ["solved_on", "pk"]

    def __str__(self) -> str:
        return self.description[:50]

    def clean(self) -> None:
        super().clean()
        if self.solved_on and not (self.solution or "").strip():
            raise ValidationError({"solution": _("Say how the demand was solved.")})
        if self.solved_on and self.visit_id and self.solved_on < self.visit.visited_on:
            raise ValidationError({"solved_on": _("A demand cannot be solved before the visit that raised it.")})
