"""Every write of the supervision app, with the rule of who may do it: appointments (commission admins),
observations (filed by supervisors in their parks, handled by the park's inspectors). Transitions lock
the row and go through the state machine (``workflow.OBSERVATION``)."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import refusals
from accounts.choices import Role
from core.calendar import Recomputed
from core.notifications import notify
from core.uploads import check_uploads
from core.workdays import add_working_days
from inspections.choices import FindingSource
from inspections.models import Finding
from inspections.services import finding_record

from .choices import AppointmentStatus, ObservationStatus
from .models import Appointment, Observation, ObservationAttachment, ObservationStep
from .workflow import OBSERVATION, observation_refusal

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

    from accounts.models import User


def handle_working_days() -> int:
    """Working days the park's inspectors have to accept or file an observation after it is submitted
    (again, after an answer): ``SUPERVISION_HANDLE_WORKING_DAYS``, 10 by default."""
    return int(getattr(settings, "SUPERVISION_HANDLE_WORKING_DAYS", 10))


# --- appointments ------------------------------------------------------------------------------------------


def _require_admin(actor: User) -> None:
    if not actor.is_commission_admin:
        raise PermissionDenied(refusals.FOR_COMMISSION_ADMINS)


@transaction.atomic
def appointment_save(*, actor: User, appointment: Appointment, parks) -> Appointment:
    """Appoint a supervisor (or correct an appointment) to ``parks`` for a term."""
    _require_admin(actor)
    parks = list(parks)
    if not parks:
        raise ValidationError({"parks": _("Choose at least one park.")})
    appointment.full_clean()
    appointment.save()
    appointment.parks.set(parks)
    return appointment


def _lock_appointment(actor: User, appointment: Appointment) -> Appointment:
    _require_admin(actor)
    return Appointment.objects.visible_to(actor).select_for_update().get(pk=appointment.pk)


@transaction.atomic
def appointment_renew(*, actor: User, appointment: Appointment, ends_on: datetime.date) -> Appointment:
    """Extend the term to ``ends_on`` (an expired term serves again)."""
    appointment = _lock_appointment(actor, appointment)
    if appointment.status == AppointmentStatus.DISMISSED:
        raise ValidationError({"ends_on": _("A dismissed supervisor is appointed again with a new appointment.")})
    if ends_on <= appointment.ends_on:
        raise ValidationError({"ends_on": _("The new end of the term must be after the current one.")})
    appointment.ends_on, appointment.status = ends_on, AppointmentStatus.SERVING
    appointment._change_reason = _("Term extended")
    appointment.full_clean()
    appointment.save()
    notify(
        appointment.supervisor,
        kind="appointment",
        title=_("Your appointment as a supervisor is extended to %(date)s") % {"date": ends_on.isoformat()},
        link=appointment.get_absolute_url(),
    )
    return appointment


@transaction.atomic
def appointment_end(*, actor: User, appointment: Appointment, reason: str) -> Appointment:
    """Dismiss the supervisor (解聘) from today: they file no more observations under this appointment."""
    appointment = _lock_appointment(actor, appointment)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the appointment ends.")})
    if appointment.status == AppointmentStatus.DISMISSED:
        raise ValidationError(_("This appointment has already ended."))
    today = timezone.localdate()
    appointment.status, appointment.ended_on, appointment.end_reason = AppointmentStatus.DISMISSED, today, reason
    appointment._change_reason = _("Dismissed")
    appointment.save()
    notify(
        appointment.supervisor,
        kind="appointment",
        title=_("Your appointment as a supervisor has ended"),
        link=appointment.get_absolute_url(),
    )
    return appointment


# --- observations ------------------------------------------------------------------------------------------


def _park_inspectors(park_id: int):
    from accounts.models import User

    return User.objects.filter(role=Role.INSPECTOR, is_active=True, parks=park_id)


def _step(observation: Observation, step: str, actor: User, note: str = "") -> None:
    ObservationStep.objects.create(observation=observation, step=step, actor=actor, note=note)


def _count_from(observation: Observation, now: datetime.datetime) -> None:
    """The time limit runs from this (re)submission: ``handle_working_days`` working days."""
    observation.counted_from = timezone.localtime(now).date()
    observation.due_on = add_working_days(observation.counted_from, handle_working_days())


def recompute_observation_deadlines(first: datetime.date, last: datetime.date) -> list[Recomputed]:
    """The time limits of observations waiting for the inspectors that a change of the working-day calendar
    (the days ``first``…``last``) moves (registered with core.calendar)."""
    moved = []
    waiting = Observation.objects.select_for_update().filter(status=ObservationStatus.SUBMITTED, due_on__gte=first)
    for observation in waiting.select_related("park").order_by("pk"):
        new = add_working_days(observation.counted_from, handle_working_days())
        if observation.counted_from >= last or new == observation.due_on:
            continue
        old, observation.due_on = observation.due_on, new
        observation.save(update_fields=["due_on"])
        label = _("Observation in %(park)s, to be handled by") % {"park": observation.park.name}
        moved.append(Recomputed(label, old, new, observation.get_absolute_url()))
    return moved


@transaction.atomic
def observation_submit(*, actor: User, observation: Observation, files: list[UploadedFile] = ()) -> Observation:
    """A supervisor files an observation about one of the parks they serve today; the park's inspectors
    are told."""
    if not actor.is_supervisor:
        raise PermissionDenied(_("Only supervisors file observations."))
    appointment = (
        Appointment.objects.visible_to(actor).current().filter(parks=observation.park_id).order_by("-starts_on").first()
    )
    if appointment is None:
        raise ValidationError({"park": _("You are not serving as a supervisor of this park.")})
    checked = check_uploads(list(files))
    now = timezone.now()
    observation.supervisor, observation.appointment = actor, appointment
    observation.status, observation.submitted_at = ObservationStatus.SUBMITTED, now
    _count_from(observation, now)
    observation.full_clean()
    observation.save()
    for item in checked:
        ObservationAttachment(observation=observation).store(item, f"observations/{observation.pk}")
    _step(observation, "submit", actor)
    title = _("New observation from a supervisor: %(category)s") % {"category": observation.get_category_display()}
    for inspector in _park_inspectors(observation.park_id):
        notify(inspector, kind="observation", title=title, link=observation.get_absolute_url())
    return observation


def _lock(actor: User, observation: Observation, step: str) -> Observation:
    observation = Observation.objects.visible_to(actor).select_for_update(of=("self",)).get(pk=observation.pk)
    refusal = observation_refusal(observation, actor, step)
    if refusal is not None:
        raise PermissionDenied(refusal)
    OBSERVATION.check(observation, step)
    return observation


def _tell_supervisor(observation: Observation, title: str) -> None:
    notify(observation.supervisor, kind="observation", title=title, link=observation.get_absolute_url())


def _require_note(note: str, message: str) -> str:
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": message})
    return note


@transaction.atomic
def observation_ask(*, actor: User, observation: Observation, question: str) -> Observation:
    """An inspector asks the supervisor for more (需补充); the supervisor's answer submits it again."""
    question = _require_note(question, _("Write the question for the supervisor."))
    observation = _lock(actor, observation, "ask")
    OBSERVATION.apply(observation, "ask")
    observation.times_asked += 1
    observation.save()
    _step(observation, "ask", actor, question)
    _tell_supervisor(observation, _("An inspector asks for more about your observation"))
    return observation


@transaction.atomic
def observation_answer(*, actor: User, observation: Observation, answer: str, files=()) -> Observation:
    """The supervisor answers the question: the observation is submitted again, with a new time limit."""
    answer = _require_note(answer, _("Write your answer."))
    observation = _lock(actor, observation, "answer")
    checked = check_uploads(list(files))
    OBSERVATION.apply(observation, "answer")
    _count_from(observation, timezone.now())
    observation.save()
    for item in checked:
        ObservationAttachment(observation=observation).store(item, f"observations/{observation.pk}")
    _step(observation, "answer", actor, answer)
    title = _("A supervisor answered your question on an observation")
    for inspector in _park_inspectors(observation.park_id):
        notify(inspector, kind="observation", title=title, link=observation.get_absolute_url())
    return observation


def _decided(observation: Observation, actor: User) -> None:
    observation.decided_at, observation.decided_by = timezone.now(), actor


@transaction.atomic
def observation_file(*, actor: User, observation: Observation, reason: str) -> Observation:
    """An inspector files the observation away (存档) with the reason, which the supervisor reads."""
    reason = _require_note(reason, _("Say why the observation is filed away."))
    observation = _lock(actor, observation, "file")
    OBSERVATION.apply(observation, "file")
    observation.filed_reason = reason
    _decided(observation, actor)
    observation.save()
    _step(observation, "file", actor, reason)
    _tell_supervisor(observation, _("Your observation was filed away"))
    return observation


def observation_finding_summary(observation: Observation) -> str:
    """What a finding made from an observation starts with: the kind of problem and whom it is about. Not
    who reported it: every officer of the park reads a finding. The inspector edits it before saving."""
    return _("Supervisor's observation (%(category)s): %(unit)s") % {
        "category": observation.get_category_display(),
        "unit": observation.unit_named or observation.place,
    }


@transaction.atomic
def observation_accept(*, actor: User, observation: Observation, finding: Finding) -> Finding:
    """Accept the observation as ``finding`` (the inspector's summary, category, severity, unit), in one
    step: recorded through ``inspections.services.finding_record`` like a complaint's or an alert's."""
    locked = Observation.objects.visible_to(actor).select_for_update(of=("self",)).get(pk=observation.pk)
    if locked.finding_id:  # a double click: the finding made by the first
        return locked.finding
    observation = _lock(actor, observation, "accept")
    finding.park_id, finding.source = observation.park_id, FindingSource.OBSERVATION
    finding.found_on = finding.found_on or timezone.localdate()
    finding = finding_record(actor=actor, finding=finding)
    OBSERVATION.apply(observation, "accept")
    observation.finding = finding
    _decided(observation, actor)
    observation.save()
    _step(observation, "accept", actor)
    _tell_supervisor(observation, _("Your observation was accepted as a finding"))
    return finding
