"""Monitoring points (营商环境监测点 / "四风"观测点): enterprises flagged ``is_monitoring_point`` or
``is_four_winds_point`` (``point_q``, the one definition of a monitoring point) file a short
report each period, answering the active questionnaire (data, versioned: a report keeps the version it
answered)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.scoping import ScopedQuerySet
from parks.models import Enterprise, Park

from .choices import SCORE_MAX, SCORE_MIN, PeriodLength, QuestionKind
from .periods import Period, default_due_working_days, period_label


def point_q(path: str = "") -> Q:
    """The enterprises that are monitoring points: business-environment points and "four winds"
    observation points alike (``path``: the lookup to the enterprise, e.g. "enterprise__")."""
    return Q(**{f"{path}is_monitoring_point": True}) | Q(**{f"{path}is_four_winds_point": True})


def is_point(enterprise: Enterprise) -> bool:
    return enterprise.is_monitoring_point or enterprise.is_four_winds_point


class SettingsQuerySet(ScopedQuerySet):
    park_path = "park"


class ParkMonitoringSettings(models.Model):
    """How often a park's monitoring points report and when a report is due. A park without a row
    reports monthly, due ``MONITORING_DUE_WORKING_DAYS`` (5) working days after the period ends."""

    park = models.OneToOneField(
        Park, verbose_name=_("park"), on_delete=models.CASCADE, related_name="monitoring_settings"
    )
    period_months = models.PositiveSmallIntegerField(
        _("reporting period"), choices=PeriodLength.choices, default=PeriodLength.MONTH
    )
    due_working_days = models.PositiveSmallIntegerField(
        _("due (working days after the period ends)"), default=default_due_working_days
    )

    history = HistoricalRecords()
    objects = SettingsQuerySet.as_manager()

    class Meta:
        verbose_name = _("monitoring settings of a park")
        verbose_name_plural = _("monitoring settings of parks")
        constraints = [
            models.CheckConstraint(
                condition=Q(due_working_days__gte=1) & Q(due_working_days__lte=30),
                name="monitoring_due_days_1_to_30",
                violation_error_message=_("The due day must be 1 to 30 working days after the period ends."),
            )
        ]

    def __str__(self) -> str:
        return str(self.park)


class Questionnaire(models.Model):
    """One version of the questionnaire. Exactly one is active (the one new reports answer); a
    published version never changes — revising it makes the next version."""

    version = models.PositiveIntegerField(_("version"), unique=True)
    is_active = models.BooleanField(_("active"), default=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("monitoring questionnaire")
        verbose_name_plural = _("monitoring questionnaires")
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_active"],
                condition=Q(is_active=True),
                name="monitoring_one_active_questionnaire",
                violation_error_message=_("Only one questionnaire version can be active."),
            ),
            models.CheckConstraint(
                condition=Q(is_active=False) | Q(published_at__isnull=False),
                name="monitoring_active_is_published",
                violation_error_message=_("Only a published version can be active."),
            ),
        ]

    def __str__(self) -> str:
        return _("Questionnaire version %(version)d") % {"version": self.version}

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class Question(models.Model):
    questionnaire = models.ForeignKey(
        Questionnaire,
        verbose_name=_("questionnaire"),
        on_delete=models.CASCADE,
        related_name="questions",
        db_index=False,
    )
    code = models.SlugField(_("code"), max_length=40, help_text=_("Keeps a question comparable across versions."))
    text = models.CharField(_("question"), max_length=200)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    kind = models.CharField(_("kind"), max_length=10, choices=QuestionKind.choices, default=QuestionKind.SCORE)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "code"],
                name="monitoring_question_code_once",
                violation_error_message=_("Two questions of one version cannot share a code."),
            )
        ]

    def __str__(self) -> str:
        return self.text


class ReportQuerySet(ScopedQuerySet):
    park_path = "park"
    enterprise_path = "enterprise"

    def officer_filter(self, user):
        """Park officers see the park's figures (the monitoring page), not who scored them how: the reports
        judge the officers' own work, and naming the enterprise invites retaliation (as with complainants)."""
        return self.none()

    def for_period(self, start):
        return self.filter(period=start)


class MonitoringReport(models.Model):
    """A monitoring point's report for one period (named by its first day)."""

    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        related_name="monitoring_reports",
        db_index=False,
    )
    park = models.ForeignKey(
        Park, verbose_name=_("park"), on_delete=models.PROTECT, related_name="monitoring_reports", db_index=False
    )
    period = models.DateField(_("period"), help_text=_("The first day of the reporting period."))
    period_months = models.PositiveSmallIntegerField(
        _("reporting period"), choices=PeriodLength.choices, default=PeriodLength.MONTH
    )
    questionnaire = models.ForeignKey(
        Questionnaire, verbose_name=_("questionnaire"), on_delete=models.PROTECT, related_name="reports"
    )
    problem = models.TextField(_("any problem to report"), blank=True, max_length=2000)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("filed by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        help_text=_("Empty for reports loaded as data (the demo)."),
    )
    filed_at = models.DateTimeField(_("filed at"))
    due_on = models.DateField(_("due on"))
    complaint = models.ForeignKey(
        "complaints.Complaint",
        verbose_name=_("complaint"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The named complaint the problem was turned into (an anonymous one is not linked)."),
    )
    complaint_filed_at = models.DateTimeField(_("turned into a complaint at"), null=True, blank=True)

    history = HistoricalRecords()
    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("monitoring report")
        verbose_name_plural = _("monitoring reports")
        ordering = ["-period", "enterprise__name", "pk"]
        indexes = [models.Index(fields=["park", "period"])]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "period"],
                name="monitoring_one_report_per_period",
                violation_error_message=_("This enterprise has already reported for this period."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.period_label}"

    def get_absolute_url(self) -> str:
        return reverse("monitoring:report-detail", kwargs={"pk": self.pk})

    @property
    def period_label(self) -> str:
        return period_label(self.period, self.period_months)

    @property
    def period_object(self) -> Period:
        return Period(self.period, self.period_months)

    @property
    def is_late(self) -> bool:
        return self.filed_at.date() > self.due_on


class Answer(models.Model):
    report = models.ForeignKey(
        MonitoringReport, verbose_name=_("report"), on_delete=models.CASCADE, related_name="answers", db_index=False
    )
    question = models.ForeignKey(Question, verbose_name=_("question"), on_delete=models.PROTECT, related_name="answers")
    score = models.PositiveSmallIntegerField(_("score"))
    note = models.CharField(_("note"), max_length=500, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        ordering = ["question__order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["report", "question"], name="monitoring_one_answer_per_question"),
            models.CheckConstraint(
                condition=Q(score__gte=SCORE_MIN) & Q(score__lte=SCORE_MAX),
                name="monitoring_score_1_to_5",
                violation_error_message=_("A score is 1 to 5."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question}: {self.score}"

    def clean(self) -> None:
        super().clean()
        if self.score is not None and not SCORE_MIN <= self.score <= SCORE_MAX:
            raise ValidationError({"score": _("A score is 1 to 5.")})
