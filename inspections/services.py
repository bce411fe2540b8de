"""Inspections, findings, rectification tasks, accountability measures, visits and demands: every
write, with the rule of who may do it. Transitions lock the row and go through the state machines."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.choices import Role
from core.notifications import notify
from core.uploads import check_uploads
from parks.models import Park

from . import finding_hooks
from .choices import FindingSeverity, FindingSource
from .models import AccountabilityMeasure, Demand, Finding, Inspection, RectificationTask, TaskAttachment, Visit
from .workflow import INSPECTION, TASK, inspection_refusal, task_refusal

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

    from accounts.models import User


def _require_staff(actor: User) -> None:
    if not actor.is_commission_staff:
        raise PermissionDenied(_("Only inspectors can do this."))


def _require_parks(actor: User, park_ids) -> None:
    visible = set(Park.objects.visible_to(actor).filter(pk__in=park_ids).values_list("pk", flat=True))
    if set(park_ids) - visible:
        raise ValidationError({"parks": _("You can only act on your own parks.")})


# --- inspections ---------------------------------------------------------------------------------------


TEAM_ROLES = (Role.INSPECTOR, Role.COMMISSION_ADMIN)


def inspection_check(*, actor: User, parks, team) -> None:
    """The rules for an inspection's parks and team (the portal's form, the API and the admin)."""
    if not parks:
        raise ValidationError({"parks": _("Choose at least one park.")})
    _require_parks(actor, [park.pk for park in parks])
    if any(member.role not in TEAM_ROLES or not member.is_active for member in team):
        raise ValidationError({"team": _("Only active inspectors and commission administrators can be on the team.")})


@transaction.atomic
def inspection_save(*, actor: User, inspection: Inspection, parks, team) -> Inspection:
    """Save an inspection with its parks and team. Parks of a joint inspection that lie outside the
    actor's scope are neither shown to them nor theirs to remove: they stay as they were. The status
    moves only through ``inspection_step``."""
    _require_staff(actor)
    kept = list(inspection.parks.exclude(pk__in=Park.objects.visible_to(actor).values("pk"))) if inspection.pk else []
    parks = [park for park in parks if park not in kept]
    team = list(team)
    inspection_check(actor=actor, parks=parks, team=team)
    if inspection.pk:  # whatever the caller's form held, the status stays where the workflow put it
        inspection.status = Inspection.objects.values_list("status", flat=True).get(pk=inspection.pk)
    inspection.full_clean()
    inspection.save()
    inspection.parks.set(parks + kept)
    inspection.team.set(team)
    return inspection


@transaction.atomic
def inspection_step(*, actor: User, inspection: Inspection, step: str) -> Inspection:
    inspection = Inspection.objects.visible_to(actor).select_for_update().get(pk=inspection.pk)
    _authorise(inspection_refusal(inspection, actor, step))
    INSPECTION.apply(inspection, step)
    inspection.save(update_fields=["status"])
    return inspection


def _authorise(refusal: str | None) -> None:
    if refusal is not None:
        raise PermissionDenied(refusal)


# --- findings ------------------------------------------------------------------------------------------


@transaction.atomic
def finding_record(*, actor: User, finding: Finding) -> Finding:
    """Record or correct a finding. Its tasks keep its park (``RectificationTask.park``): on PostgreSQL the
    database moves them with the finding (``task_park_is_findings``, ON UPDATE CASCADE), so the update here
    finds nothing left to move; elsewhere it is what moves them."""
    _require_staff(actor)
    _require_parks(actor, [finding.park_id])
    finding.created_by = finding.created_by or actor
    finding.full_clean()
    correcting = not finding._state.adding
    finding.save()
    if correcting:
        finding.tasks.exclude(park=finding.park_id).update(park=finding.park_id)
    return finding


@transaction.atomic
def finding_from_alert(*, actor: User, alert, extra: dict | None = None) -> Finding:
    """Turn an alert into a finding: one action from the alert's page; the alert is marked converted.
    ``extra``: the registered extensions' fields (``finding_hooks``), applied in the same transaction."""
    from risks.choices import AlertStatus
    from risks.models import Alert

    _require_staff(actor)
    alert = Alert.objects.visible_to(actor).select_for_update().get(pk=alert.pk)
    if hasattr(alert, "finding"):
        return alert.finding
    if alert.status != AlertStatus.OPEN:
        raise ValidationError(_("Only an alert that needs attention can become a finding."))
    rule = alert.rule_object
    finding = finding_record(
        actor=actor,
        finding=Finding(
            park_id=alert.park_id,
            source=FindingSource.ALERT,
            alert=alert,
            description=f"{rule.name if rule else alert.rule}：{alert.explanation}",
            category=_category_for(alert.rule),
            severity=FINDING_SEVERITY_OF_ALERT.get(alert.severity, FindingSeverity.GENERAL),
            responsible_unit=getattr(alert.target, "department", "") or _("to be determined"),
        ),
    )
    alert.status, alert.decided_by, alert.decided_at = AlertStatus.CONVERTED, actor, timezone.now()
    alert._change_reason = _("Turned into a finding")
    alert.save()
    finding_hooks.after_create(actor=actor, finding=finding, data=extra)
    return finding


# A high alert is a serious finding; "grave" is the inspector's judgement, made on the finding's page.
FINDING_SEVERITY_OF_ALERT = {
    "high": FindingSeverity.SERIOUS,
    "medium": FindingSeverity.GENERAL,
    "low": FindingSeverity.GENERAL,
}


def finding_update(*, actor: User, finding: Finding) -> Finding:
    """The inspector corrects a finding (its text, category, severity, responsible unit) — one made from
    an alert starts with the unit "to be determined"."""
    return finding_record(actor=actor, finding=finding)


def _category_for(rule_code: str) -> str:
    from risks.choices import RiskDomain

    if rule_code.startswith("subsidy"):
        return RiskDomain.INCENTIVES
    if rule_code.startswith("contract"):
        return RiskDomain.PROJECTS
    if rule_code.startswith("decision"):
        return RiskDomain.FUNDS
    return RiskDomain.INTERNAL


def complaint_finding_summary(complaint) -> str:
    """The summary a finding made from a complaint starts with: what kind of problem and whom it is
    about. Never the complainant's words or identity: every officer of the park reads a finding, while
    a complaint is read only by those it is assigned to. The inspector edits it before saving."""
    return _("%(category)s reported about %(subject)s") % {
        "category": complaint.get_category_display(),
        "subject": complaint.subject,
    }


@transaction.atomic
def finding_from_complaint(*, actor: User, complaint, finding: Finding, extra: dict | None = None) -> Finding:
    """Record ``finding`` (the inspector's summary, category, severity, responsible unit) as the finding
    of ``complaint``; a complaint has one finding, so a second call returns the first."""
    from complaints.models import Complaint

    _require_staff(actor)
    # Locked, so that a double click or two inspectors at once make one finding, not two.
    complaint = Complaint.objects.visible_to(actor).select_for_update(of=("self",)).get(pk=complaint.pk)
    existing = complaint.findings.first()
    if existing:
        return existing
    finding.park_id, finding.source, finding.complaint = complaint.park_id, FindingSource.COMPLAINT, complaint
    finding = finding_record(actor=actor, finding=finding)
    finding_hooks.after_create(actor=actor, finding=finding, data=extra)
    return finding


# --- rectification tasks ---------------------------------------------------------------------------------


def task_assign(
    *, actor: User, finding: Finding, owner: User | None, measures: str, deadline: datetime.date | None
) -> RectificationTask:
    _require_staff(actor)
    finding = Finding.objects.visible_to(actor).get(pk=finding.pk)
    errors = {}
    if owner is None:
        errors["owner"] = _("Choose who will carry out the rectification.")
    elif not (owner.is_active and owner.role == Role.PARK_OFFICER and owner.parks.filter(pk=finding.park_id).exists()):
        errors["owner"] = _("The owner must be an active officer of the finding's park.")
    if errors:
        raise ValidationError(errors)
    task = RectificationTask(finding=finding, owner=owner, measures=(measures or "").strip(), deadline=deadline)
    task.full_clean()
    with transaction.atomic():
        task.save()
        notify(
            owner,
            kind="task_assigned",
            title=_("New rectification task, due %(date)s") % {"date": deadline.isoformat()},
            body=finding.description,
            link=task.get_absolute_url(),
        )
    return task


def _lock_task(actor: User, task: RectificationTask) -> RectificationTask:
    return (
        RectificationTask.objects.visible_to(actor)
        .select_for_update(of=("self",))
        .select_related("finding")
        .get(pk=task.pk)
    )


@transaction.atomic
def task_start(*, actor: User, task: RectificationTask) -> RectificationTask:
    task = _lock_task(actor, task)
    _authorise(task_refusal(task, actor, "start"))
    TASK.apply(task, "start")
    task.save(update_fields=["status"])
    return task


@transaction.atomic
def task_submit(
    *,
    actor: User,
    task: RectificationTask,
    evidence: str,
    recovered_losses: Decimal | None = None,
    files: list[UploadedFile] | None = None,
) -> RectificationTask:
    """The owner submits evidence; an inspector of the park then verifies or returns it."""
    evidence = (evidence or "").strip()
    if not evidence:
        raise ValidationError({"evidence": _("Describe what was done.")})
    checked = check_uploads(files or [])
    task = _lock_task(actor, task)
    _authorise(task_refusal(task, actor, "submit"))
    TASK.apply(task, "submit")
    task.evidence = evidence
    task.recovered_losses = recovered_losses if recovered_losses is not None else task.recovered_losses
    task.submitted_at = timezone.now()
    task.full_clean()
    task.save()
    for item in checked:
        TaskAttachment(task=task).store(item, f"tasks/{task.pk}")
    for inspector in _park_inspectors(task.park_id):
        notify(
            inspector,
            kind="task_submitted",
            title=_("Rectification submitted for verification"),
            body=task.finding.description,
            link=task.get_absolute_url(),
        )
    return task


def _park_inspectors(park_id: int):
    from accounts.models import User

    return User.objects.filter(role=Role.INSPECTOR, is_active=True, parks=park_id)


@transaction.atomic
def task_verify(*, actor: User, task: RectificationTask) -> RectificationTask:
    """销号: the evidence holds, the task is closed; its recovered losses count for the park."""
    task = _lock_task(actor, task)
    _authorise(task_refusal(task, actor, "verify"))
    TASK.apply(task, "verify")
    task.verified_at, task.verified_by = timezone.now(), actor
    task.save()
    notify(task.owner, kind="task_verified", title=_("Rectification verified and closed"), link=task.get_absolute_url())
    return task


@transaction.atomic
def task_return(*, actor: User, task: RectificationTask, reason: str) -> RectificationTask:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say what is still missing.")})
    task = _lock_task(actor, task)
    _authorise(task_refusal(task, actor, "return"))
    TASK.apply(task, "return")
    task.return_reason = reason
    task.save()
    notify(
        task.owner, kind="task_returned", title=_("Rectification returned"), body=reason, link=task.get_absolute_url()
    )
    return task


def measure_record(*, actor: User, measure: AccountabilityMeasure) -> AccountabilityMeasure:
    task = RectificationTask.objects.visible_to(actor).get(pk=measure.task_id)
    _authorise(task_refusal(task, actor, "measure"))
    measure.full_clean()
    measure.save()
    return measure


# --- visits and demands ----------------------------------------------------------------------------------


def visit_record(*, actor: User, visit: Visit) -> Visit:
    _require_staff(actor)
    _require_parks(actor, [visit.park_id])
    visit.visitor = visit.visitor if visit.visitor_id else actor
    visit.full_clean()
    visit.save()
    return visit


def demand_record(*, actor: User, demand: Demand) -> Demand:
    _require_staff(actor)
    Visit.objects.visible_to(actor).get(pk=demand.visit_id)
    demand.full_clean()
    demand.save()
    return demand


@transaction.atomic
def demand_solve(*, actor: User, demand: Demand, solved_on: datetime.date, solution: str) -> Demand:
    _require_staff(actor)
    demand = Demand.objects.visible_to(actor).select_for_update().get(pk=demand.pk)
    if demand.solved_on:
        raise ValidationError(_("This demand is already solved."))
    demand.solved_on, demand.solution = solved_on, (solution or "").strip()
    demand.full_clean()
    demand.save()
    return demand
