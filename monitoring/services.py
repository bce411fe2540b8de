"""Writes: filing a report, turning its problem into a complaint, revising the questionnaire."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.choices import Role
from accounts.models import User
from complaints.choices import Category
from complaints.services import Submission, complaint_submit
from parks.models import Enterprise
from risks.engine import request_evaluation

from .choices import SCORE_MAX, SCORE_MIN
from .models import Answer, MonitoringReport, Question, Questionnaire, is_point
from .periods import Period
from .selectors import active_questionnaire, open_periods, park_settings


@dataclass
class Reply:
    """One question's answer as typed: the score (1–5) and a note."""

    score: int | None
    note: str = ""


def _check_scores(questions: list[Question], replies: dict[str, Reply]) -> None:
    errors = {}
    for question in questions:
        reply = replies.get(question.code)
        if reply is None or reply.score is None:
            errors[f"score_{question.code}"] = _("Please give a score from 1 to 5.")
        elif not SCORE_MIN <= reply.score <= SCORE_MAX:
            errors[f"score_{question.code}"] = _("A score is 1 to 5.")
        elif len(reply.note or "") > Answer._meta.get_field("note").max_length:
            errors[f"note_{question.code}"] = _("The note is too long (at most 500 characters).")
    if errors:
        raise ValidationError(errors)


def report_file(
    *,
    actor: User,
    enterprise: Enterprise,
    period: Period,
    replies: dict[str, Reply],
    problem: str = "",
    now: datetime.datetime | None = None,
) -> MonitoringReport:
    """File ``enterprise``'s report for ``period``: one answer per question of the active questionnaire.
    Only a user of the enterprise files it, only for a monitoring point, only for an open period."""
    now = now or timezone.now()
    if actor.role != Role.ENTERPRISE or actor.enterprise_id != enterprise.pk:
        raise ValidationError(_("Only the enterprise itself files its monitoring report."))
    if not is_point(enterprise):
        raise ValidationError(_("This enterprise is not a monitoring point."))
    if period not in open_periods(enterprise, timezone.localdate(now)):
        raise ValidationError({"period": _("This period is not open for reporting.")})
    questionnaire = active_questionnaire()
    if questionnaire is None:
        raise ValidationError(_("No questionnaire is published yet."))
    questions = list(questionnaire.questions.all())
    _check_scores(questions, replies)
    settings_row = park_settings(enterprise.park)
    report = MonitoringReport(
        enterprise=enterprise,
        park=enterprise.park,
        period=period.start,
        period_months=period.months,
        questionnaire=questionnaire,
        problem=(problem or "").strip(),
        filed_by=actor,
        filed_at=now,
        due_on=period.due_on(settings_row.due_working_days),
    )
    report.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            report.save()
            Answer.objects.bulk_create(
                Answer(
                    report=report, question=q, score=replies[q.code].score, note=(replies[q.code].note or "").strip()
                )
                for q in questions
            )
    except IntegrityError as error:  # two tabs, or two users of the enterprise at once
        raise ValidationError({"period": _("This enterprise has already reported for this period.")}) from error
    request_evaluation(report.park_id)  # the score-drop rule
    return report


def report_to_complaint(*, actor: User, report: MonitoringReport, anonymous: bool = False) -> Submission:
    """The report's "any problem" as a complaint to the park, in one step, through the complaint intake.

    Named (the default), the complaint carries the enterprise user's account like one filed from the
    complaint page, and the report links it (for the enterprise and commission staff). Anonymous, the
    complaint keeps nothing about who filed it and the report does not link it either — only the time,
    so that it is not filed twice."""
    with transaction.atomic():
        report = MonitoringReport.objects.select_for_update().select_related("park").get(pk=report.pk)
        if actor.role != Role.ENTERPRISE or actor.enterprise_id != report.enterprise_id:
            raise ValidationError(_("Only the enterprise itself turns its report into a complaint."))
        if not report.problem:
            raise ValidationError(_("The report names no problem."))
        if report.complaint_filed_at is not None:
            raise ValidationError(_("This problem has already been turned into a complaint."))
        submission = complaint_submit(
            park=report.park,
            category=Category.OTHER,
            subject=_("Problem reported by a monitoring point (%(period)s)") % {"period": report.period_label},
            description=report.problem,
            is_anonymous=anonymous,
            user=actor,
        )
        report.complaint = None if anonymous else submission.complaint
        report.complaint_filed_at = timezone.now()
        report.save(update_fields=["complaint", "complaint_filed_at"])
    return submission


# --- the questionnaire ----------------------------------------------------------------------------------


@dataclass
class QuestionDraft:
    code: str
    text: str
    order: int = 0


@transaction.atomic
def questionnaire_publish(*, questionnaire: Questionnaire, now: datetime.datetime | None = None) -> Questionnaire:
    """Make ``questionnaire`` the active version (the one new reports answer); the previous one stays,
    with the reports that answered it."""
    if not questionnaire.questions.exists():
        raise ValidationError(_("A questionnaire without questions cannot be published."))
    Questionnaire.objects.filter(is_active=True).exclude(pk=questionnaire.pk).update(is_active=False)
    questionnaire.published_at = questionnaire.published_at or now or timezone.now()
    questionnaire.is_active = True
    questionnaire.save(update_fields=["published_at", "is_active"])
    return questionnaire


@transaction.atomic
def questionnaire_revise(
    *, source: Questionnaire, questions: list[QuestionDraft], note: str = "", publish: bool = True
) -> Questionnaire:
    """The next version with ``questions`` (a published version never changes: the reports that answered
    it keep its questions). Published and made active at once unless ``publish`` is False."""
    if not questions:
        raise ValidationError(_("A questionnaire needs at least one question."))
    codes = [draft.code for draft in questions]
    if len(codes) != len(set(codes)):
        raise ValidationError(_("Two questions of one version cannot share a code."))
    last = Questionnaire.objects.select_for_update().order_by("-version").first()
    revised = Questionnaire.objects.create(version=(last.version if last else 0) + 1, note=note or source.note)
    for draft in questions:
        question = Question(questionnaire=revised, code=draft.code, text=draft.text.strip(), order=draft.order)
        question.full_clean(exclude=["questionnaire"])
        question.save()
    return questionnaire_publish(questionnaire=revised) if publish else revised
